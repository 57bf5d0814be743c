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

# Without privileges: one line saying what is missing and how to run it.
expect_rc "unprivileged plan" 5 setpriv --reuid=65534 --regid=65534 --clear-groups \
  --inh-caps=-all --bounding-set=-all "$NSTOPO" plan "$TOPOLOGIES/pair.yaml"
expect_contains "how to run it" "run it as: sudo nstopo plan" "$WORK/err"
expect_eq "one line" 1 "$(wc -l < "$WORK/err")"
finish
