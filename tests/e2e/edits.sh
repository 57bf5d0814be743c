# Edits to an applied lab converge in place with a minimal plan; drift made by hand is repaired.
source "$(dirname "$0")/lib.sh"
lab="$WORK/edit.yaml"
cp "$TOPOLOGIES/two-routers.yaml" "$lab"
sed -i 's/^name: two-routers/name: edit/' "$lab"
# The edits below change addresses the lab's checks name (a check's `source` must stay an address
# of its namespace); checks are e2e.check's business, so they go.
sed -i '/^checks:/,$d' "$lab"
expect_rc "apply the base lab" 0 "$NSTOPO" apply "$lab"

# edit SED-EXPRESSION: changes the lab file. plan_is EXPECTED: the plan is exactly that, then
# apply converges it, and the plan is empty afterwards.
edit() { sed -i "$1" "$lab"; }
plan_is() {
  expect_rc "plan" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
  expect_eq "$2" "$1" "$(cat "$WORK/out")"
  expect_rc "apply: $2" 0 "$NSTOPO" apply "$lab"
  expect_rc "plan after: $2" 0 "$NSTOPO" plan --detailed-exitcode "$lab"
}

# Add a route.
edit 's|      - { to: 10.0.0.0/24, via: 172.16.0.2 }|&\n      - { to: 10.9.0.0/16, via: 172.16.0.2 }|'
plan_is "+ add route 10.9.0.0/16 via 172.16.0.2 metric 0 in router01" "add a route"

# Change an address (same subnet): the new one first, then the old one goes; routes stay.
edit 's|ns01-veth0: { addresses: \[192.168.0.1/24\] }|ns01-veth0: { addresses: [192.168.0.7/24] }|'
plan_is "+ add address 192.168.0.7/24 to ns01-veth0 in ns01
- delete address 192.168.0.1/24 from ns01-veth0 in ns01" "change an address"
expect_eq "default route survived the address change" \
  "default via 192.168.0.254 dev ns01-veth0 proto 201 " "$(ip -n ns01 route show default)"
expect_ping ns01 10.0.0.1

# Change an mtu.
edit 's|gw01-veth1: { addresses: \[172.16.0.1/24\] }|gw01-veth1: { addresses: [172.16.0.1/24], mtu: 1400 }|'
plan_is "~ set mtu 1400 on gw01-veth1 in router01" "change an mtu"
expect_contains "mtu set" "mtu 1400" <(ip -n router01 link show gw01-veth1)

# Set a link down (one that no route of its namespace needs: the validator refuses a route whose
# gateway is reachable only through a down link, as the kernel would).
edit 's|gw01-veth0: { addresses: \[192.168.0.254/24\] }|gw01-veth0: { addresses: [192.168.0.254/24], state: down }|'
expect_rc "plan link down" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_eq "link down planned" "~ set link gw01-veth0 down in router01" "$(cat "$WORK/out")"
expect_rc "apply link down" 0 "$NSTOPO" apply "$lab"
expect_rc "plan after link down" 0 "$NSTOPO" plan --detailed-exitcode "$lab"
edit 's|, state: down }| }|'
expect_rc "bring it back up" 0 "$NSTOPO" apply "$lab"

# Rename a veth end: the old pair goes (one delete removes both ends), the new one comes.
edit 's|ns02-veth0|ns02-eth9|g'
expect_rc "plan rename" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_contains "old pair deleted" "- delete link" "$WORK/out"
expect_contains "new pair created" "+ create veth router02/gw02-veth1 <-> ns02/ns02-eth9" "$WORK/out"
expect_rc "apply rename" 0 "$NSTOPO" apply "$lab"
expect_rc "plan after rename" 0 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_ping ns01 10.0.0.1

# Remove a namespace (ns02 and its cable): only its namespace goes; the rest stays.
python3 - "$lab" <<'PY'
import sys, re
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"  ns02:\n(    .*\n)+", "", s)
s = s.replace("  - [router02/gw02-veth1, ns02/ns02-eth9]\n", "")
s = re.sub(r"      gw02-veth1: .*\n", "", s)
open(p, "w").write(s)
PY
expect_rc "plan remove namespace" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_contains "namespace deleted" "- delete namespace ns02" "$WORK/out"
expect_rc "apply remove namespace" 0 "$NSTOPO" apply "$lab"
expect_eq "ns02 is gone" "" "$(ip netns list | awk '$1=="ns02"')"
expect_rc "plan after removal" 0 "$NSTOPO" plan --detailed-exitcode "$lab"

# Drift made by hand is repaired: a route deleted, a stray address added, a link set down.
ip -n router01 route del 10.0.0.0/24
ip -n ns01 addr add 192.168.0.99/24 dev ns01-veth0
ip -n router02 link set gw02-veth0 down
expect_rc "plan shows drift" 2 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_contains "route repaired" "+ add route 10.0.0.0/24 via 172.16.0.2 metric 0 in router01" "$WORK/out"
expect_contains "stray address removed" "- delete address 192.168.0.99/24 from ns01-veth0 in ns01" "$WORK/out"
expect_contains "link brought up" "~ set link gw02-veth0 up in router02" "$WORK/out"
expect_rc "apply repairs drift" 0 "$NSTOPO" apply "$lab"
expect_rc "no drift left" 0 "$NSTOPO" plan --detailed-exitcode "$lab"

expect_rc "destroy" 0 "$NSTOPO" destroy edit
expect_eq "nothing left" "" "$(ip netns list)"
# What the file leaves unset is still defined: an mtu changed by hand goes back to the kind's
# default, a mac changed by hand goes back to the one the link was created with; both are drift.
cp "$TOPOLOGIES/pair.yaml" "$WORK/unset.yaml"
expect_rc "apply pair" 0 "$NSTOPO" apply "$WORK/unset.yaml"
link_field() { ip -n "$1" -j link show dev "$2" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$3'])"; }
mac=$(link_field ns01 ns01-veth0 address)
ip -n ns02 link set ns02-veth0 mtu 1300
ip -n ns01 link set ns01-veth0 address 02:00:00:00:99:99
expect_rc "status sees the drift" 2 "$NSTOPO" status --detailed-exitcode pair
expect_contains "the mtu" "~ set mtu 1500 on ns02-veth0 in ns02" "$WORK/out"
expect_contains "the mac" "~ set mac $mac on ns01-veth0 in ns01" "$WORK/out"
expect_rc "apply repairs both" 0 "$NSTOPO" apply "$WORK/unset.yaml"
expect_eq "mtu back" 1500 "$(link_field ns02 ns02-veth0 mtu)"
expect_eq "mac back" "$mac" "$(link_field ns01 ns01-veth0 address)"
expect_rc "in sync" 0 "$NSTOPO" status --detailed-exitcode pair

# IPv6 addresses skip duplicate address detection in lab namespaces by default; a file that sets
# accept_dad gets it.
sed -i 's|192.168.0.1/24\]|192.168.0.1/24, "2001:db8:d::1/64"]|; s|192.168.0.2/24\]|192.168.0.2/24, "2001:db8:d::2/64"]|' "$WORK/unset.yaml"
expect_rc "apply IPv6 addresses" 0 "$NSTOPO" apply "$WORK/unset.yaml"
ip -n ns01 -6 addr show dev ns01-veth0 > "$WORK/addr"
expect_contains "nodad by default" "2001:db8:d::1/64 scope global nodad" "$WORK/addr"
sed -i 's|^  ns02:$|  ns02:\n    sysctls: { net.ipv6.conf.ns02-veth0.accept_dad: 1 }|; s|2001:db8:d::2/64|2001:db8:d::22/64|' "$WORK/unset.yaml"
expect_rc "plan shows it" 0 "$NSTOPO" plan "$WORK/unset.yaml"
expect_contains "with DAD" "+ add address 2001:db8:d::22/64 to ns02-veth0 in ns02 with duplicate address detection" "$WORK/out"
expect_rc "apply with accept_dad" 0 "$NSTOPO" apply "$WORK/unset.yaml"
ip -n ns02 -6 addr show dev ns02-veth0 > "$WORK/addr"
expect_contains "the address is there" "2001:db8:d::22/64" "$WORK/addr"
if grep -q '2001:db8:d::22/64 scope global nodad' "$WORK/addr"; then
  fail "accept_dad: 1 still added the address without DAD"
else pass; fi
expect_rc "destroy pair" 0 "$NSTOPO" destroy pair
expect_eq "nothing left at the end" "" "$(ip netns list)"
finish
