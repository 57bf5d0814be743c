# Traffic control on a real kernel (topologies/shaped-link.yaml): a bounded TCP transfer from ns01
# to ns02 runs at the file's rate (within 25%); a new rate in the file is a `~ shape` changed in
# place (the qdisc keeps its handle and its counters) and the transfer follows it; shaping deleted
# by hand is drift that apply repairs; a qdisc added by hand where the file declares none is
# removed; netem, which this kernel may lack, is refused before anything changes; destroy leaves
# the kernel as it was. With NSTOPO_MODE=rootless (lib.sh) all of it in a user's session.
source "$(dirname "$0")/lib.sh"
lab=$WORK/shaped.yaml
cp "$TOPOLOGIES/shaped-link.yaml" "$lab"
cp "$TOPOLOGIES/pair.yaml" "$(dirname "$lab")/"  # what it extends
throughput=$(dirname "$0")/throughput.py
chmod 755 "$WORK"
cp "$throughput" "$WORK/throughput.py"
chmod 755 "$WORK/throughput.py"
bytes=$((3 * 1000 * 1000))

before=$(kernel_snapshot)
expect_rc "apply shaped-link" 0 "$NSTOPO" apply "$lab"
expect_contains "shaped after the routes" "+ shape ns01-veth0 in ns01: rate 10mbit" "$WORK/out"
expect_rc "status" 0 "$NSTOPO" status shaped-link
expect_contains "status shows the rate" "shaped rate 10mbit" "$WORK/out"
expect_rc "status --json" 0 "$NSTOPO" status --json shaped-link
expect_eq "status --json has the rate" "10000000" "$(python3 -c '
import json, sys
lab = json.load(open(sys.argv[1]))["labs"][0]
print(lab["observed"]["namespaces"]["ns01"]["interfaces"]["ns01-veth0"]["shaping"]["rate"])' "$WORK/out")"

# measure PORT: kbit/s of one transfer of $bytes from ns01 to ns02 (receiver started first).
measure() {
  local port=$1 out=$WORK/recv-$1 pid
  : >"$out"
  in_ns ns02 /usr/bin/python3 "$WORK/throughput.py" recv "$port" "$bytes" >>"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do grep -q listening "$out" && break; sleep 0.05; done
  in_ns ns01 /usr/bin/python3 "$WORK/throughput.py" send 192.168.0.2 "$port" "$bytes" ||
    fail "sending to ns02"
  wait "$pid" || fail "receiving in ns02: $(cat "$out")"
  tail -1 "$out"
}
# within WHAT KBITS WANT: KBITS is within 25% of WANT.
within() {
  echo "$1: $2 kbit/s (rate $3 kbit/s)" >&2
  if [ "$2" -ge $(($3 * 75 / 100)) ] && [ "$2" -le $(($3 * 125 / 100)) ]; then pass; else
    fail "$1: $2 kbit/s is not within 25% of $3 kbit/s"
  fi
}
tc_root() { in_ns "$1" tc -s -j qdisc show dev "$2" | python3 -c '
import json, sys
q = [q for q in json.load(sys.stdin) if q.get("root")][0]
print(q["kind"], q["handle"], q.get("bytes", 0))'; }

within "the 10mbit link" "$(measure 5001)" 10000
read -r kind handle sent <<<"$(tc_root ns01 ns01-veth0)"
expect_eq "a TBF root of handle 1:" "tbf 1:" "$kind $handle"

sed -i 's/rate: 10mbit /rate: 20mbit /' "$lab"
expect_rc "plan a new rate" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_eq "the rate is changed, nothing else" "~ shape ns01-veth0 in ns01: rate 10mbit -> 20mbit" \
  "$(cat "$WORK/out")"
expect_rc "apply the new rate" 0 "$NSTOPO" apply "$lab"
read -r kind handle after <<<"$(tc_root ns01 ns01-veth0)"
expect_eq "the same qdisc" "tbf 1:" "$kind $handle"
[ "$after" -ge "$sent" ] && pass || fail "the qdisc's byte counter went from $sent to $after: made anew"
within "the 20mbit link" "$(measure 5002)" 20000
expect_rc "in sync" 0 "$NSTOPO" plan --detailed-exitcode "$lab"

# Drift: the shaping deleted by hand.
in_ns ns01 tc qdisc del dev ns01-veth0 root
expect_rc "status sees it" 2 "$NSTOPO" status --detailed-exitcode shaped-link
expect_contains "as a shape to add" "+ shape ns01-veth0 in ns01: rate 20mbit" "$WORK/out"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$lab"
expect_eq "shaped again" "tbf 1:" "$(tc_root ns01 ns01-veth0 | cut -d' ' -f1,2)"

# A qdisc added by hand on an interface the file does not shape: removed.
in_ns ns02 tc qdisc add dev ns02-veth0 root tbf rate 1mbit burst 10kb latency 50ms
expect_rc "plan sees it" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
# The kernel numbers a qdisc added without a handle (8001:, 8002:, ...).
expect_contains "to be removed" "- unshape ns02-veth0 in ns02: qdisc tbf 80" "$WORK/out"
expect_rc "apply removes it" 0 "$NSTOPO" apply "$lab"
expect_eq "the kernel's default again" "noqueue" "$(tc_root ns02 ns02-veth0 | cut -d' ' -f1)"
expect_rc "in sync after the repairs" 0 "$NSTOPO" plan --detailed-exitcode "$lab"

# netem: refused before any change where the kernel lacks sch_netem; else applied.
cp "$lab" "$WORK/netem.yaml"
sed -i 's/rate: 20mbit /rate: 20mbit\n        netem: { delay: 10ms }/' "$WORK/netem.yaml"
has_netem=0
in_ns ns01 tc qdisc add dev lo root netem delay 1ms 2>/dev/null && has_netem=1 &&
  in_ns ns01 tc qdisc del dev lo root
if [ "$has_netem" = 0 ]; then
  picture=$(kernel_snapshot)
  expect_rc "netem refused" 1 "$NSTOPO" apply "$WORK/netem.yaml"
  expect_contains "naming the module" "no netem qdisc (module sch_netem not built or not loaded); nothing was changed" "$WORK/err"
  # Located where `netem:` is written (this file), not at the interface (which pair.yaml, the
  # file it extends, declares).
  netem_line=$(grep -n 'netem: { delay' "$WORK/netem.yaml" | cut -d: -f1)
  expect_contains "at the netem key" "netem.yaml:$netem_line:9:" "$WORK/err"
  expect_eq "nothing changed" "$picture" "$(kernel_snapshot)"
  expect_rc "plan refuses it too" 1 "$NSTOPO" plan "$WORK/netem.yaml"
else
  expect_rc "netem applied" 0 "$NSTOPO" apply "$WORK/netem.yaml"
  expect_eq "netem root" "netem 2:" "$(tc_root ns01 ns01-veth0 | cut -d' ' -f1,2)"
  expect_rc "back to the rate alone" 0 "$NSTOPO" apply "$lab"
fi

expect_rc "destroy" 0 "$NSTOPO" destroy shaped-link
expect_eq "destroy leaves the kernel as before" "$before" "$(kernel_snapshot)"
finish
