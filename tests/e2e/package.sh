# The Debian package: scripts/package.sh builds nstopo_VERSION_ARCH.deb; dpkg-deb shows what it
# holds and what it depends on; dpkg installs it into this sandbox's own /usr, /etc and /var
# (overlays in a private mount namespace, with the source and build trees hidden), where the
# installed nstopo runs a lab from the installed examples; dpkg -r removes it, leaving nothing.
source "$(dirname "$0")/lib.sh"
: "${NSTOPO_SOURCE_DIR:?}" "${NSTOPO_BUILD_DIR:?}"
for tool in dpkg-deb dpkg-shlibdeps cpack; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (scripts/install-deps.sh)"; exit 77; }
done

deb=$(NSTOPO_BUILD_DIR=$NSTOPO_BUILD_DIR "$NSTOPO_SOURCE_DIR/scripts/package.sh" "$WORK/package" \
  2>"$WORK/package.log") || { cat "$WORK/package.log" >&2; fail "scripts/package.sh"; finish; }
version=$("$NSTOPO" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
expect_eq "package file name" "nstopo_${version}_${arch}.deb" "$(basename "$deb")"

# What it says about itself.
expect_eq "Package" nstopo "$(dpkg-deb -f "$deb" Package)"
expect_eq "Version" "$version" "$(dpkg-deb -f "$deb" Version)"
expect_eq "Architecture" "$arch" "$(dpkg-deb -f "$deb" Architecture)"
depends=$(dpkg-deb -f "$deb" Depends)
# Computed from the libraries the binary links (dpkg-shlibdeps), not written by hand: each one
# the binary itself needs (its NEEDED entries; what those need in turn is their packages' to
# depend on, as libnftables1 depends on libmnl0).
needed=$(objdump -p "$NSTOPO_BUILD_DIR/src/cli/nstopo" | awk '$1 == "NEEDED" {print $2}')
for lib in $(ldd "$NSTOPO_BUILD_DIR/src/cli/nstopo" |
             awk -v needed="$needed" 'BEGIN { n = split(needed, w, "\n"); for (i = 1; i <= n; i++) want[w[i]] = 1 }
                                      /=> \// && ($1 in want) {print $3}'); do
  owner=""
  for path in "$lib" "${lib#/usr}" "/usr${lib#/usr}" "$(realpath "$lib")"; do
    [ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)
  done
  if [ -z "$owner" ]; then fail "no Debian package owns $lib"; continue; fi
  # The owner, or a name it provides (libspdlog1.10 provides libspdlog1.10-fmt9), is depended on.
  names=$(printf '%s\n' "$owner"; dpkg-query -W -f='${Provides}' "$owner" | tr ',' '\n' |
    awk '{print $1}')
  if grep -qxFf <(grep -v '^$' <<<"$names") <(sed 's/, /\n/g' <<<"$depends" | awk '{print $1}'); then
    pass
  else
    fail "Depends lacks $owner (for $lib): $depends"
  fi
done

# What it holds.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$WORK/contents"
for f in /usr/bin/nstopo /usr/share/man/man1/nstopo.1.gz /usr/share/man/man5/nstopo-topology.5.gz \
  /usr/share/bash-completion/completions/nstopo /usr/share/zsh/vendor-completions/_nstopo \
  /usr/share/fish/vendor_completions.d/nstopo.fish /usr/share/nstopo/topology.schema.json \
  /usr/share/doc/nstopo/examples/two-routers.yaml /usr/share/doc/nstopo/examples/web-www/; do
  if grep -qxF "$f" "$WORK/contents"; then pass; else fail "the package lacks $f"; fi
done
if grep -v '^/usr' "$WORK/contents" | grep -v '^/$' | grep -q .; then
  fail "files outside /usr:"; grep -v '^/usr' "$WORK/contents" >&2
else pass; fi

# Installed, run and removed in a mount namespace of its own (installed.sh), from copies: the
# source and build trees are hidden there.
cp "$deb" "$WORK/nstopo.deb"
cp "$(dirname "$0")/installed.sh" "$(dirname "$0")/lib.sh" "$(dirname "$0")/user.sh" "$WORK/"
chmod 755 "$WORK"
hide=("$NSTOPO_SOURCE_DIR")
case $(realpath "$NSTOPO_BUILD_DIR") in "$(realpath "$NSTOPO_SOURCE_DIR")"/*) ;; *) hide+=("$NSTOPO_BUILD_DIR") ;; esac
if unshare --mount --propagation private env WORK_OUTER="$WORK" NSTOPO=/usr/bin/nstopo \
  TOPOLOGIES=/usr/share/doc/nstopo/examples bash "$WORK/installed.sh" "$WORK/nstopo.deb" \
  "${hide[@]}" >"$WORK/installed.log" 2>&1; then
  pass
else
  fail "installed package"
fi
cat "$WORK/installed.log"
finish
