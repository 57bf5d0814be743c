# Run by package.sh in a mount namespace of its own: installs the package with dpkg into overlays
# of /usr, /etc and /var (their changes stay in this namespace), hides the source and build trees
# and /usr/local,
# runs the installed nstopo (version, man pages, completion, a lab from the installed examples,
# in root mode and as an unprivileged user), removes the package and checks that nothing of it
# is left. Usage: installed.sh DEB HIDDEN_DIR...
set -euo pipefail
deb=$1; shift
here=$(dirname "$0")
overlays=$(mktemp -d /run/nstopo-overlay.XXXXXX)
for dir in /usr /etc /var; do
  mkdir -p "$overlays$dir/upper" "$overlays$dir/work"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$overlays$dir/upper,workdir=$overlays$dir/work" "$dir"
done
for dir in "$@"; do mount -t tmpfs nstopo-hidden "$dir"; done
# As on a fresh Debian, /usr/local is empty: an nstopo installed there (scripts/setup.sh, the
# README's first command) would otherwise come first on the PATH and in man's search.
mount -t tmpfs nstopo-hidden /usr/local

source "$here/lib.sh"
snapshot() { find /usr /etc /var/lib/dpkg/info -xdev | sort; }
snapshot >"$WORK/before"

if dpkg -i "$deb" >"$WORK/dpkg" 2>&1; then pass; else fail "dpkg -i"; cat "$WORK/dpkg" >&2; finish; fi
expect_eq "on the PATH" /usr/bin/nstopo "$(command -v nstopo)"
expect_eq "--version" "nstopo $(dpkg-deb -f "$deb" Version)" "$(nstopo --version)"
if ldd /usr/bin/nstopo | grep -q 'not found'; then fail "a library is missing"; ldd /usr/bin/nstopo >&2; else pass; fi
for dir in "$@"; do
  if ldd /usr/bin/nstopo | grep -qF "$dir"; then fail "links from $dir"; else pass; fi
done
expect_eq "man finds nstopo(1)" /usr/share/man/man1/nstopo.1.gz "$(man -w nstopo)"
expect_eq "man finds nstopo-topology(5)" /usr/share/man/man5/nstopo-topology.5.gz \
  "$(man -w 5 nstopo-topology)"
expect_eq "man renders without warnings" "" \
  "$(MANWIDTH=80 man --warnings nstopo 2>&1 >/dev/null; MANWIDTH=80 man --warnings 5 nstopo-topology 2>&1 >/dev/null)"
expect_eq "bash completion" "complete -F _nstopo nstopo" \
  "$(bash --norc -c 'source /usr/share/bash-completion/completions/nstopo; complete -p nstopo')"
expect_eq "the installed schema is the one the examples name" /usr/share/nstopo/topology.schema.json \
  "$(cd /usr/share/doc/nstopo/examples && realpath "$(sed -n '1s/.*\$schema=//p' two-routers.yaml)")"

# A lab from the installed examples: root mode, then as an unprivileged user (rootless session).
lab=/usr/share/doc/nstopo/examples/two-routers.yaml
nstopo validate "$lab" >/dev/null || fail "validate the installed example"
for mode in root rootless; do
  run=(nstopo)
  [ "$mode" = root ] || run=(as_user 61190 /usr/bin/nstopo)
  expect_rc "$mode: apply the installed example" 0 "${run[@]}" apply "$lab"
  expect_rc "$mode: check it" 0 "${run[@]}" check "$lab"
  if [ "$mode" = root ]; then expect_ping ns01 10.0.0.1; else
    expect_rc "rootless: ping across" 0 "${run[@]}" exec ns01 ping -c 3 -i 0.2 -W 2 10.0.0.1
  fi
  expect_rc "$mode: destroy it" 0 "${run[@]}" destroy two-routers
done

if dpkg -r nstopo >"$WORK/dpkg" 2>&1; then pass; else fail "dpkg -r"; cat "$WORK/dpkg" >&2; fi
expect_eq "not installed after dpkg -r" "" "$(dpkg-query -W -f='${db:Status-Status}' nstopo 2>/dev/null | grep -v not-installed || true)"
snapshot >"$WORK/after"
if diff "$WORK/before" "$WORK/after" >"$WORK/diff"; then pass; else
  fail "dpkg -r left files behind or took some away"; cat "$WORK/diff" >&2
fi
finish
