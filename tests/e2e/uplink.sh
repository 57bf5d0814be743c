# `host: uplink:` on a real kernel (topologies/host-uplink.yaml). The sandbox's "internet" is a
# namespace the test makes with ip (upl-inet, outside the lab), reached from the host by the veth
# up0, which plays the host's eth0: traffic never leaves the sandbox. It has no route back to the
# lab's subnets, so only masquerade lets the lab through, and its server reports the source it
# sees: the host's address on up0, never a lab address. Forwarding goes on for exactly veth0 and
# up0, net.ipv4.ip_forward stays 0; a rule or the table deleted by hand and a forwarding key reset
# by hand are drift that apply repairs; a table of the lab's name nstopo did not make is refused.
# Bystanders: a foreign host table, a host route and every forwarding sysctl, byte-equal across
# apply (but what the lab owns) and destroy. With NSTOPO_MODE=rootless the uplink is refused.
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/host-uplink.yaml"
table="ip nstopo-host-uplink"

if [ "$MODE" = rootless ]; then
  expect_rc "rootless: refused" 5 "$NSTOPO" apply "$file" --set out=eth0
  expect_contains "saying why" "\`host: uplink\` is not permitted in rootless mode" "$WORK/err"
  expect_contains "located" "host-uplink.yaml:" "$WORK/err"
  expect_rc "plan refuses it too" 5 "$NSTOPO" plan "$file" --set out=eth0
  expect_rc "nothing was applied" 0 "$NSTOPO" status
  expect_contains "no lab" "no lab is up" "$WORK/out"
  expect_contains "no session is left" "no session is running" "$WORK/out"
  finish
  exit 0
fi

inet_pid=
cleanup() {
  [ -n "$inet_pid" ] && kill "$inet_pid" 2>/dev/null
  uplink_world_gone upl-inet
}
trap cleanup EXIT

make_internet upl-inet
ip -n upl-inet addr add 198.51.100.10/24 dev inet0
ip -n upl-inet link set inet0 up
ip -n upl-inet link set lo up
# The server answers each connection with the address it came from, and logs it.
ip netns exec upl-inet python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.51.100.10", 8080)); s.listen(8)
log = open(sys.argv[1], "a")
while True:
    c, peer = s.accept(); log.write(peer[0] + "\n"); log.flush(); c.sendall(peer[0].encode()); c.close()
' "$WORK/server.log" &
inet_pid=$!
# What the lab's hosts get from the server: the source address it saw.
fetch() {
  ip netns exec "$1" python3 -c '
import socket
c = socket.create_connection(("198.51.100.10", 8080), timeout=3); print(c.recv(64).decode())'
}

# The bystanders: a foreign host table, a host route through a veth of the test's own.
nft -f - <<'EOF'
table inet bystander {
  chain post { type nat hook postrouting priority srcnat + 10; policy accept; ip saddr 192.0.2.0/24 oifname "by0" masquerade; }
}
EOF
make_bystander_route
forwarding() { sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|conf\.[^.]+\.forwarding) ' | sort; }
forwarding_without() { forwarding | grep -vE "^net\\.ipv4\\.conf\\.($1)\\.forwarding "; }
ruleset_before=$(nft -j list ruleset)
bystander_table=$(nft -j list table inet bystander)
routes_before=$(ip -j route)
bystander_route=$(ip -j route show 203.0.113.0/24)
forwarding_before=$(forwarding)

# Refusals that change nothing: an `out` the host lacks, a host end as `out` (the file's
# error), a table of the lab's name the lab did not make.
expect_rc "an out the host lacks" 1 "$NSTOPO" apply "$file" --set out=nope0
expect_contains "named" "uplink \`out\` 'nope0' is not an interface of the host" "$WORK/err"
expect_rc "a host end as out" 3 "$NSTOPO" plan "$file" --set out=veth0
expect_contains "located" "is a host end of this lab" "$WORK/err"
nft add table $table
expect_rc "a table of the lab's name made by hand" 1 "$NSTOPO" apply "$file" --set out=up0
expect_contains "refused" "the host already has nftables table $table, which lab 'host-uplink' did not make" "$WORK/err"
expect_eq "no namespace was made" "upl-inet" "$(ip netns list | cut -d' ' -f1)"
nft delete table $table
expect_eq "the ruleset as before the refusals" "$ruleset_before" "$(nft -j list ruleset)"

expect_rc "plan" 0 "$NSTOPO" plan "$file" --set out=up0
expect_contains "plan shows out's forwarding" "~ set sysctl net.ipv4.conf.up0.forwarding=1 in host" "$WORK/out"
expect_contains "plan shows veth0's forwarding" "~ set sysctl net.ipv4.conf.veth0.forwarding=1 in host" "$WORK/out"
expect_contains "plan shows the table" "+ nftables host: table $table (1 rule)" "$WORK/out"
if grep -E '(ip_forward|conf\.all\.|conf\.default\.).* in host$' "$WORK/out"; then
  fail "plan touches a host-wide switch"
else pass; fi

expect_rc "apply host-uplink" 0 "$NSTOPO" apply "$file" --set out=up0
expect_contains "the record keeps out's previous value" '"net.ipv4.conf.up0.forwarding":{"previous":"0","value":"1"}' \
  <(tr -d ' \n' < /run/nstopo/labs/host-uplink.json)
expect_eq "forwarding on up0" 1 "$(sysctl -n net.ipv4.conf.up0.forwarding)"
expect_eq "forwarding on veth0" 1 "$(sysctl -n net.ipv4.conf.veth0.forwarding)"
expect_eq "the global switch stays off" 0 "$(sysctl -n net.ipv4.ip_forward)"
expect_eq "every other forwarding key as before" "$(grep -vE '^net\.ipv4\.conf\.up0\.' <<<"$forwarding_before")" \
  "$(forwarding_without 'up0|veth0')"
expect_eq "the foreign table after apply" "$bystander_table" "$(nft -j list table inet bystander)"
expect_eq "the bystander route after apply" "$bystander_route" "$(ip -j route show 203.0.113.0/24)"

# Masquerade: both lab subnets reach the server, which sees the host's up0 address.
expect_eq "far (10.0.1.2) seen as the host's out" "198.51.100.1" "$(fetch far 2>&1)"
expect_eq "netns1 (10.1.1.1) seen as the host's out" "198.51.100.1" "$(fetch netns1 2>&1)"
expect_eq "the server saw no lab address" "198.51.100.1
198.51.100.1" "$(cat "$WORK/server.log")"

expect_rc "status" 0 "$NSTOPO" status host-uplink
expect_contains "status: the uplink" "uplink out up0: masquerade 10.0.1.0/24, 10.1.1.0/24" "$WORK/out"
expect_contains "status: the table" "nftables table $table (1 rule)  in sync" "$WORK/out"
expect_contains "status: the sysctl" "sysctl net.ipv4.conf.up0.forwarding=1 (was 0)  in sync" "$WORK/out"
expect_rc "in sync" 0 "$NSTOPO" plan --detailed-exitcode "$file" --set out=up0

# Drift: the rule deleted, the table deleted, a forwarding key reset, each by hand.
nft flush chain $table postrouting
expect_rc "a rule deleted: drift" 2 "$NSTOPO" status --detailed-exitcode host-uplink
expect_contains "replaced" "~ nftables host: table $table (1 rule)" "$WORK/out"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$file" --set out=up0
expect_eq "masquerade again" "198.51.100.1" "$(fetch far 2>&1)"
nft delete table $table
expect_rc "the table deleted: drift" 2 "$NSTOPO" status --detailed-exitcode host-uplink
expect_contains "loaded again" "+ nftables host: table $table (1 rule)" "$WORK/out"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$file" --set out=up0
sysctl -qw net.ipv4.conf.up0.forwarding=0
expect_rc "forwarding reset: drift" 2 "$NSTOPO" status --detailed-exitcode host-uplink
expect_contains "set again" "~ set sysctl net.ipv4.conf.up0.forwarding=1 in host" "$WORK/out"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$file" --set out=up0
expect_eq "forwarding on up0 again" 1 "$(sysctl -n net.ipv4.conf.up0.forwarding)"
expect_contains "the previous value is still the first one" '"net.ipv4.conf.up0.forwarding":{"previous":"0","value":"1"}' \
  <(tr -d ' \n' < /run/nstopo/labs/host-uplink.json)
expect_eq "replies again" "198.51.100.1" "$(fetch far 2>&1)"

expect_rc "destroy host-uplink" 0 "$NSTOPO" destroy host-uplink
expect_contains "destroy sets out's forwarding back" "~ set sysctl net.ipv4.conf.up0.forwarding=0 in host" "$WORK/out"
expect_eq "up0's forwarding restored" 0 "$(sysctl -n net.ipv4.conf.up0.forwarding)"
expect_eq "the ruleset as before" "$ruleset_before" "$(nft -j list ruleset)"
expect_eq "the routes as before" "$routes_before" "$(ip -j route)"
expect_eq "every forwarding sysctl as before" "$forwarding_before" "$(forwarding)"
finish
