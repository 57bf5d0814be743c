# The README's tours run as written: every `$ ` line of its ```console blocks, in order, from a
# directory that holds the repository's topologies/, with the exit code its `# exit N` comment
# names (0 without one). The machine is as before afterwards. Runs in root and rootless mode
# (NSTOPO_MODE); README names the README (default: the one beside topologies/).
source "$(dirname "$0")/lib.sh"
readme=${README:-$TOPOLOGIES/../README.md}
tour=$WORK/tour
mkdir -p "$tour"
ln -s "$TOPOLOGIES" "$tour/topologies"
[ "$MODE" = rootless ] && chown "$ROOTLESS_UID" "$tour"
before=$(kernel_snapshot)

# One line per command: EXPECTED_RC<TAB>COMMAND.
python3 - "$readme" >"$WORK/commands" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in re.findall(r"^```console\n(.*?)^```", text, re.S | re.M):
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        command, _, comment = line[2:].partition("#")
        m = re.match(r"\s*exit (\d+)", comment)
        print(f"{m.group(1) if m else 0}\t{command.strip()}")
PY
expect_eq "the README shows commands" yes "$([ "$(wc -l <"$WORK/commands")" -ge 10 ] && echo yes || echo no)"

cd "$tour"
while IFS=$'\t' read -r want command; do
  read -r -a words <<<"$command"
  if [ "${words[0]}" != nstopo ]; then
    fail "a README command that is not nstopo's: $command"
    continue
  fi
  expect_rc "README: $command" "$want" "$NSTOPO" "${words[@]:1}" </dev/null
  n=$((${n:-0} + 1))
  cat "$WORK/out" "$WORK/err" >"$WORK/said.$n"
  echo "$n $command" >>"$WORK/index"
done <"$WORK/commands"
said() { echo "$WORK/said.$(grep -F -m1 -- "$1" "$WORK/index" | cut -d' ' -f1)"; }

# What the tour's comments say each command shows.
expect_contains "traceroute: router01 first" " 192.168.0.254 " "$(said "traceroute")"
expect_contains "the drift names the link" "~ set link gw01-veth1 up in router01" "$(said "status two-routers --detailed-exitcode")"
# A link set down by hand takes its routes with it: the repair is the link and its route.
expect_eq "the repair is two operations" 2 "$(grep -c '^ *[-+~] ' "$(said "plan topologies/two-routers.yaml")")"
expect_contains "the route the kernel dropped" "+ add route 10.0.0.0/24 via 172.16.0.2" "$(said "plan topologies/two-routers.yaml")"
expect_eq "nothing of the labs is left" "$before" "$(kernel_snapshot)"
expect_eq "init made a course repository" yes \
  "$([ -f "$tour/my-course/labs/02-router.yaml" ] && echo yes || echo no)"
expect_contains "the JUnit report names a failing check" "<failure" "$tour/report.xml"
finish
