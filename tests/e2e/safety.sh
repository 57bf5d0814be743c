# Ownership and safety: foreign objects are refused and left untouched; labs do not share names;
# one apply at a time per lab; without privileges, one line saying so.
source "$(dirname "$0")/lib.sh"

# A pre-existing host interface with a name the lab wants is refused and left untouched.
ip link add veth0 type veth peer name bystander0   # made by hand, not by nstopo
ip addr add 198.51.100.1/24 dev veth0
before=$(kernel_snapshot)
expect_rc "host interface conflict" 1 "$NSTOPO" apply "$TOPOLOGIES/host-link.yaml"
expect_contains "names the interface" "host interface 'veth0' already exists" "$WORK/err"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"
ip link del veth0

# A namespace made by someone else is refused, unless adopted.
ip netns add ns01
before=$(kernel_snapshot)
expect_rc "foreign namespace conflict" 1 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_contains "names the namespace" "namespace 'ns01' already exists and was not created by lab 'pair'" "$WORK/err"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"
expect_rc "destroy does not touch it" 0 "$NSTOPO" destroy pair
expect_eq "foreign namespace kept" "ns01" "$(ip netns list | awk '{print $1}')"
ip netns del ns01

# Two labs may not claim one name.
expect_rc "apply pair" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
sed 's/^name: pair/name: other/' "$TOPOLOGIES/pair.yaml" > "$WORK/other.yaml"
before=$(kernel_snapshot)
expect_rc "second lab claiming ns01" 1 "$NSTOPO" apply "$WORK/other.yaml"
expect_contains "names the owner" "namespace 'ns01' belongs to lab 'pair'" "$WORK/err"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"

# destroy with no argument and several labs up: says so, lists them, exits non-zero.
expect_rc "apply a second lab" 0 "$NSTOPO" apply "$TOPOLOGIES/pair-ns1-ns2.yaml"
expect_rc "ambiguous destroy" 4 "$NSTOPO" destroy
expect_contains "lists the labs" "2 labs are up" "$WORK/err"
expect_contains "lists pair" "  pair" "$WORK/err"

# status shows both labs, in sync.
expect_rc "status" 0 "$NSTOPO" status
expect_contains "status pair" "lab pair" "$WORK/out"
expect_contains "status in sync" "in sync with its file" "$WORK/out"
expect_rc "status --json" 0 "$NSTOPO" status pair --json
expect_eq "status json" "pair True" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["labs"][0]["lab"], d["labs"][0]["in_sync"])' "$WORK/out")"

# One apply or destroy at a time per lab: a held lock makes the second wait, then fail clearly.
flock /run/nstopo/locks/pair.lock sleep 5 &
holder=$!
sleep 0.3
expect_rc "busy lab" 6 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_contains "says busy" "lab 'pair' is busy" "$WORK/err"
wait $holder

# Destroy works from the record, even after the file is gone.
cp "$TOPOLOGIES/pair-ns1-ns2.yaml" "$WORK/gone.yaml"
rm "$WORK/gone.yaml"
expect_rc "destroy by name without the file" 0 "$NSTOPO" destroy pair-ns1-ns2
expect_rc "destroy the last one" 0 "$NSTOPO" destroy
expect_eq "nothing left" "" "$(ip netns list)"

# A recorded namespace deleted and made again by hand (with a veth of its own inside) is not the
# lab's: plan refuses it, status says so, destroy leaves it as it is.
expect_rc "apply pair" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
ip netns del ns01
ip netns add ns01
ip -n ns01 link add precious type veth peer name precious1
expect_rc "plan refuses the re-made namespace" 1 "$NSTOPO" plan "$TOPOLOGIES/pair.yaml"
expect_contains "names it" "namespace 'ns01' already exists and was not created by lab 'pair'" "$WORK/err"
expect_rc "status" 0 "$NSTOPO" status pair
expect_contains "status says it cannot converge" "cannot converge: namespace 'ns01' already exists" "$WORK/out"
expect_rc "destroy" 0 "$NSTOPO" destroy pair
expect_eq "the re-made namespace is kept, with its veth" "precious" \
  "$(ip -n ns01 -br link show dev precious | awk '{print $1}' | cut -d@ -f1)"
expect_eq "the lab's other namespace is gone" "ns01" "$(ip netns list | awk '{print $1}')"
ip netns del ns01

# A namespace that wins a race for a name the lab wants is never destroyed: apply of a
# 50-namespace lab while `ip netns add c049` (plus a veth inside) runs.
{
  echo "name: race"; echo "namespaces:"
  for i in $(seq -w 0 49); do echo "  c0$i: {}"; done
} > "$WORK/race.yaml"
for round in 1 2 3 4 5; do
  "$NSTOPO" apply "$WORK/race.yaml" >/dev/null 2>&1 &
  apply=$!
  made=0
  for _ in $(seq 1 200); do
    if ip netns add c049 2>/dev/null; then made=1; break; fi
    sleep 0.001
  done
  wait "$apply" || true
  if [ "$made" -eq 1 ]; then
    ip -n c049 link add racer type veth peer name racer1
    expect_rc "round $round: destroy" 0 "$NSTOPO" destroy race
    expect_eq "round $round: the race winner is kept" "racer" \
      "$(ip -n c049 -br link show dev racer | awk '{print $1}' | cut -d@ -f1)"
    ip netns del c049
  else
    expect_rc "round $round: destroy" 0 "$NSTOPO" destroy race
  fi
  expect_eq "round $round: nothing left" "" "$(ip netns list)"
done

# The mark alone grants nothing: a hand-made namespace and a host veth wearing a lab's mark are
# refused by apply, and destroy without a record asks for --from-marks.
ip netns add ns01
ip -n ns01 link set lo alias nstopo:pair
ip -n ns01 link add keepme type veth peer name keepme1
before=$(kernel_snapshot)
expect_rc "apply refuses the marked namespace" 1 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_contains "names it" "namespace 'ns01' already exists and was not created by lab 'pair'" "$WORK/err"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"
rm -f /run/nstopo/labs/pair.json
expect_rc "destroy without a record" 4 "$NSTOPO" destroy pair
expect_contains "asks for --from-marks" "nstopo destroy --from-marks pair" "$WORK/err"
expect_eq "still nothing changed" "$before" "$(kernel_snapshot)"
expect_rc "destroy --from-marks" 0 "$NSTOPO" destroy --from-marks pair
expect_contains "says what it deletes" "- delete namespace ns01" "$WORK/out"
expect_eq "gone" "" "$(ip netns list)"
ip link add veth0 type veth peer name bystander0
ip link set veth0 alias nstopo:host-link
expect_rc "apply refuses the marked host veth" 1 "$NSTOPO" apply "$TOPOLOGIES/host-link.yaml"
expect_contains "names it" "host interface 'veth0' already exists and was not created by lab 'host-link'" "$WORK/err"
expect_eq "the host veth is kept" "veth0" "$(ip -br link show dev veth0 | awk '{print $1}' | cut -d@ -f1)"
ip link del veth0
expect_eq "no namespace made" "" "$(ip netns list)"

# Host ends may not take what the host routes elsewhere: a subnet overlapping a host address or
# a host route the lab does not own is refused at plan time, before anything changes; so is one
# wider than /16 (at validate).
ip link add uplink0 type veth peer name uplink1
ip addr add 192.0.2.1/24 dev uplink0
ip link set uplink0 up
ip route add 10.200.0.0/16 via 192.0.2.254
capture() {  # capture HOST-ADDRESS: the host-link lab with that address on its host end
  sed "s|10.1.1.2/24|$1|; s|10.1.1.1/24|$2|; /to: 10.1.1.2/d" "$TOPOLOGIES/host-link.yaml" > "$WORK/capture.yaml"
}
before=$(kernel_snapshot)
capture 192.0.2.100/25 192.0.2.101/25
expect_rc "a host end inside the uplink's subnet" 1 "$NSTOPO" apply "$WORK/capture.yaml"
expect_contains "names the host address" "host-end address 192.0.2.100/25 on 'veth0' would take 192.0.2.0/25 from the host, which has 192.0.2.1/24 on uplink0; nstopo never changes the host's routing" "$WORK/err"
capture 10.200.7.1/24 10.200.7.2/24
expect_rc "a host end under a host route" 1 "$NSTOPO" plan "$WORK/capture.yaml"
expect_contains "names the host route" "which routes 10.200.0.0/16 via 192.0.2.254 dev uplink0" "$WORK/err"
capture 200.0.0.1/1 200.0.0.2/1
expect_rc "a host end wider than /16" 3 "$NSTOPO" apply "$WORK/capture.yaml"
expect_contains "says why" "host-end address 200.0.0.1/1 on 'veth0' is wider than /16" "$WORK/err"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"
ip link del uplink0

# Checks never send traffic out of the lab: a check whose route leaves through the host end is
# not sent (the host may forward it anywhere), one for the host end itself is.
cat > "$WORK/out-of-lab.yaml" <<'YAML'
name: outward
namespaces:
  netns1:
    interfaces:
      veth1: { addresses: [10.1.1.1/24, 10.5.0.1/16] }
    routes:
      - { to: 10.6.0.0/16, via: 10.1.1.2 }
veths:
  - [veth0, netns1/veth1]
host:
  interfaces:
    veth0: { addresses: [10.1.1.2/24, 10.6.0.2/16] }
checks:
  - { from: netns1, to: 10.1.1.2 }
  - { from: netns1, to: 10.6.9.9 }
YAML
expect_rc "apply" 0 "$NSTOPO" apply "$WORK/out-of-lab.yaml"
expect_rc "check" 1 "$NSTOPO" check "$WORK/out-of-lab.yaml"
expect_contains "the host end answers" "✓ netns1 -> 10.1.1.2" "$WORK/out"
expect_contains "the other is not sent" "✗ netns1 -> 10.6.9.9: expected reachable, got not sent: the route to 10.6.9.9 leaves the lab through the host (veth1)" "$WORK/out"
expect_rc "destroy" 0 "$NSTOPO" destroy outward

# Without privileges nstopo works in rootless mode (rootless.sh tests it at length): plan sees an
# empty session of its own, and nothing of it reaches the machine.
expect_rc "unprivileged plan" 0 setpriv --reuid=65534 --regid=65534 --clear-groups \
  --inh-caps=-all --bounding-set=-all "$NSTOPO" plan "$TOPOLOGIES/pair.yaml"
expect_contains "plans the whole lab" "+ create namespace ns01" "$WORK/out"
expect_eq "nothing on the machine" "" "$(ip netns list)"
finish
