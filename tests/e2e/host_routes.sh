# `host: routes:` on a real kernel (topologies/host-routes.yaml): the host reaches the lab subnet
# behind the lab's router with ping; the route carries nstopo's protocol; deleted by hand it is
# drift that apply repairs; a hand-made route of the same destination is refused, never
# replaced; destroy removes exactly the lab's route, and a bystander route of the same table is
# byte-equal after apply and after destroy. With NSTOPO_MODE=rootless (lib.sh) the host is the
# session's namespace: a second lab (pair) keeps the session alive around the destroy.
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/host-routes.yaml"
echo 0 > /proc/sys/net/ipv4/ip_forward

expect_rc "a bystander lab" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
# The bystander: a host route of the test's own, through a veth it made by hand.
on_host ip link add by0 type veth peer name by1
on_host ip addr add 192.0.2.1/24 dev by0
on_host ip link set by0 up
on_host ip route add 198.51.100.0/24 via 192.0.2.2 dev by0
bystander() { on_host ip -j route show table main 198.51.100.0/24; }
main_table() { on_host ip -j route show table main; }
bystander_before=$(bystander)
table_before=$(main_table)

expect_rc "apply host-routes" 0 "$NSTOPO" apply "$file"
expect_contains "the host route is added" "+ add route 10.0.1.0/24 via 10.1.1.1 metric 0 in host" "$WORK/out"
expect_contains "nstopo's protocol" "10.0.1.0/24 via 10.1.1.1 dev veth0 proto 201" \
  <(on_host ip route show 10.0.1.0/24)
if on_host ping -c 3 -i 0.2 -W 2 10.0.1.2 >"$WORK/ping" 2>&1; then pass; else
  fail "ping from the host to 10.0.1.2"; cat "$WORK/ping" >&2
fi
expect_eq "the bystander after apply" "$bystander_before" "$(bystander)"
expect_rc "check host-routes" 0 "$NSTOPO" check "$file"
expect_rc "status" 0 "$NSTOPO" status host-routes
expect_contains "status shows the host route" "route 10.0.1.0/24 via 10.1.1.1 dev veth0 metric 0" "$WORK/out"
expect_rc "in sync" 0 "$NSTOPO" plan --detailed-exitcode "$file"

# Drift: the route deleted by hand.
on_host ip route del 10.0.1.0/24
expect_rc "status sees it" 2 "$NSTOPO" status --detailed-exitcode host-routes
expect_contains "as a route to add" "+ add route 10.0.1.0/24 via 10.1.1.1 metric 0 in host" "$WORK/out"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$file"
expect_contains "added again" "proto 201" <(on_host ip route show 10.0.1.0/24)

# A hand-made route of the same destination: refused, left as it is.
on_host ip route del 10.0.1.0/24
on_host ip route add 10.0.1.0/24 via 10.1.1.1
hand_made=$(on_host ip -j route show 10.0.1.0/24)
expect_rc "apply refuses to replace it" 1 "$NSTOPO" apply "$file"
expect_contains "saying why" "that lab 'host-routes' did not add; nstopo never replaces a host route" "$WORK/err"
expect_eq "the hand-made route stays" "$hand_made" "$(on_host ip -j route show 10.0.1.0/24)"
on_host ip route del 10.0.1.0/24
expect_rc "apply once it is gone" 0 "$NSTOPO" apply "$file"

expect_rc "destroy host-routes" 0 "$NSTOPO" destroy host-routes
expect_eq "the lab's route is gone" "" "$(on_host ip route show 10.0.1.0/24)"
expect_eq "the bystander after destroy" "$bystander_before" "$(bystander)"
expect_eq "the main table as before" "$table_before" "$(main_table)"
expect_rc "destroy the bystander lab" 0 "$NSTOPO" destroy pair
[ "$MODE" = rootless ] || ip link del by0
finish
