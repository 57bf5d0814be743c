# Hostile topology files: every file of tests/hostile/ (and two generated at test time, too big to
# commit) is refused by validate, plan and apply alike with exit 3 and exactly the located
# messages of NAME.expected, and neither the kernel nor the state directory changes. A warn-*
# file has warnings only: validate and plan print exactly its messages and exit 0 without
# changing anything, and apply takes it with the same messages, then destroy undoes it.
source "$(dirname "$0")/lib.sh"
HOSTILE=${HOSTILE:-$(dirname "$0")/../hostile}

corpus=$WORK/corpus
mkdir -p "$corpus"
cp "$HOSTILE"/* "$corpus"/

# 100 000 namespaces: the node limit refuses it before any namespace is thought about.
generate_many_namespaces() {
  echo "namespaces:"
  seq -f '  n%06g: {}' 0 99999
}
generate_many_namespaces > "$corpus/many-namespaces.yaml"
# One byte over the size limit (4 MiB), a comment after a valid start: refused before parsing.
{ echo "name: big"; head -c $((4 * 1024 * 1024)) /dev/zero | tr '\0' '#'; } > "$corpus/too-large.yaml"

cd "$corpus"
cases=()
for f in *; do
  case $f in *.expected | *.nft) continue ;; esac
  if [ -f "$f.expected" ] || [ -f "${f%.*}.expected" ]; then cases+=("$f"); else
    fail "$f has no ${f%.*}.expected"
  fi
done
[ "${#cases[@]}" -ge 40 ] && pass || fail "only ${#cases[@]} hostile files (want at least 40)"

state_listing() { find /run/nstopo -printf '%p %s\n' | sort; }
kernel_before=$(kernel_snapshot)
state_before=$(state_listing)
for f in "${cases[@]}"; do
  expected=${f%.*}.expected
  commands=(validate plan apply) want=3
  case $f in warn-*) commands=(validate plan) want=0 ;; esac
  for cmd in "${commands[@]}"; do
    rc=0
    "$NSTOPO" "$cmd" "$f" >"$WORK/out" 2>"$WORK/err" || rc=$?
    expect_eq "$cmd $f: exit code" "$want" "$rc"
    expect_eq "$cmd $f: messages" "$(cat "$expected")" "$(cat "$WORK/err")"
    [ "$want" -eq 0 ] || expect_eq "$cmd $f: nothing on stdout" "" "$(cat "$WORK/out")"
  done
  expect_eq "$f: kernel unchanged" "$kernel_before" "$(kernel_snapshot)"
  expect_eq "$f: state directory unchanged" "$state_before" "$(state_listing)"
done

# Warnings stop nothing: each warn-* file applies, saying the same, and destroys to nothing.
warned=0
for f in warn-*.yaml; do
  expect_rc "apply $f" 0 "$NSTOPO" apply "$f"
  expect_eq "apply $f: messages" "$(cat "${f%.*}.expected")" "$(cat "$WORK/err")"
  expect_rc "destroy $f" 0 "$NSTOPO" destroy "$f"
  expect_eq "$f: kernel as before" "$kernel_before" "$(kernel_snapshot)"
  warned=$((warned + 1))
done
[ "$warned" -ge 1 ] && pass || fail "no warn-* hostile file"
echo "${#cases[@]} hostile files, each through validate, plan and apply ($warned with warnings only)"
cd /
finish
