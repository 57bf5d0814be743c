# nstopo exec: runs a command inside a lab namespace, with that namespace's /sys, passes its exit
# code through, and refuses namespaces no applied lab owns unless --any.
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/pair.yaml"
before=$(kernel_snapshot)
sys_before=$(ls /sys/class/net)

expect_rc "exec before apply" 4 "$NSTOPO" exec ns01 -- true
expect_contains "says why" "namespace 'ns01' is not part of a lab nstopo applied" "$WORK/err"

expect_rc "apply" 0 "$NSTOPO" apply "$file"
expect_rc "exec ip" 0 "$NSTOPO" exec ns01 -- ip -br addr show dev ns01-veth0
expect_contains "sees ns01's address" "192.168.0.1/24" "$WORK/out"
expect_rc "exec without --: everything after the namespace is the command" 0 \
  "$NSTOPO" exec ns01 ip -br addr show dev ns01-veth0
expect_contains "its options are the command's" "192.168.0.1/24" "$WORK/out"
expect_rc "exec with nstopo's options before the namespace" 0 "$NSTOPO" -q exec ns01 ip -br link
expect_contains "ran" "ns01-veth0" "$WORK/out"
expect_rc "exec ping" 0 "$NSTOPO" exec ns01 -- ping -c 1 -W 2 192.168.0.2
expect_rc "exec ls /sys" 0 "$NSTOPO" exec ns01 -- ls /sys/class/net
expect_eq "/sys is the namespace's" "lo ns01-veth0" "$(tr '\n' ' ' < "$WORK/out" | xargs)"
expect_eq "the caller's /sys is untouched" "$sys_before" "$(ls /sys/class/net)"
expect_rc "exec ls /proc/self/fd" 0 "$NSTOPO" exec ns01 -- ls -l /proc/self/fd
expect_eq "no nstopo socket or namespace fd leaks into the command" 0 \
  "$(grep -cE 'socket:|net:\[' "$WORK/out" || true)"
expect_rc "the exit code passes through" 7 "$NSTOPO" exec ns02 -- sh -c 'exit 7'
expect_rc "a missing command" 1 "$NSTOPO" exec ns01 -- nstopo-no-such-command
expect_contains "says so" "command not found" "$WORK/err"

ip netns add foreign
expect_rc "refuses a foreign namespace" 4 "$NSTOPO" exec foreign -- true
expect_contains "says why" "namespace 'foreign' is not part of a lab nstopo applied" "$WORK/err"
expect_rc "--any runs there anyway" 0 "$NSTOPO" exec --any foreign -- ls /sys/class/net
expect_eq "in its own /sys" "lo" "$(cat "$WORK/out")"
ip netns del foreign

expect_rc "destroy" 0 "$NSTOPO" destroy pair
expect_eq "nothing remains" "$before" "$(kernel_snapshot)"
finish
