# NAT and firewalls (root, and rootless with NSTOPO_MODE=rootless): topologies/nat.yaml (an edge
# that masquerades a private LAN and forwards a port to its web server) and
# topologies/firewall.yaml (a ruleset that lets web in and keeps "ssh" out). The internet server's
# log proves the edge's address is the source; a rule deleted by hand, a rule added by hand and a
# foreign table are drift that status shows and apply repairs; a ruleset nft refuses is a located
# error with nothing changed; destroy leaves the kernel as it was. Traffic only between the lab's
# own namespaces.
source "$(dirname "$0")/lib.sh"
before=$(kernel_snapshot)
[ "$MODE" = rootless ] && chmod 755 "$WORK"
cp -r "$TOPOLOGIES"/nat.yaml "$TOPOLOGIES"/nat-www "$TOPOLOGIES"/firewall.yaml \
  "$TOPOLOGIES"/firewall.nft "$TOPOLOGIES"/firewall-www "$WORK"/
[ "$MODE" = rootless ] && chmod -R a+rX "$WORK"
nat="$WORK/nat.yaml"

# GET url from namespace ns, a few tries while the server binds (a bound, not a timing claim).
fetch() {
  in_ns "$1" python3 -c '
import sys, time, urllib.request
for attempt in range(50):
    try:
        print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
        sys.exit(0)
    except OSError as e:
        error = e
        time.sleep(0.1)
print(error, file=sys.stderr)
sys.exit(1)' "$2"
}
# The edge's table as status --json has it: "RULES STATE".
edge_table() {
  "$NSTOPO" status nat --json | python3 -c '
import json, sys
for lab in json.load(sys.stdin)["labs"]:
    for t in lab["nftables"]:
        if t["namespace"] == "edge" and t["table"] == "inet nstopo":
            print(t["rules"], t["state"])'
}

expect_rc "plan nat" 0 "$NSTOPO" plan "$nat"
expect_contains "plan loads the edge's table" "+ nftables edge: table inet nstopo (2 rules)" "$WORK/out"
expect_rc "apply nat" 0 "$NSTOPO" apply "$nat"
expect_rc "the nat checks hold" 0 "$NSTOPO" check "$nat"

# Source NAT: the internet server sees the edge's address, never the private one.
if fetch lan1 http://198.51.100.10:8000/ >"$WORK/page"; then pass; else fail "lan1 reaches the internet server"; fi
"$NSTOPO" logs nat inet/server >"$WORK/server.log"
expect_contains "the server saw the edge's address" '198.51.100.1 - - ' "$WORK/server.log"
if grep -q '10\.0\.1\.10' "$WORK/server.log"; then fail "the server saw the private address"; else pass; fi
# Destination NAT: the port forward reaches the private web server.
if fetch inet http://198.51.100.1:8080/ >"$WORK/page"; then pass; else fail "the port forward"; fi
expect_contains "the private server's page" "private web server behind the edge" "$WORK/page"
expect_eq "status: the edge's table" "2 in sync" "$(edge_table)"
expect_rc "a no-op plan" 0 "$NSTOPO" plan "$nat"
expect_eq "no changes" "no changes" "$(cat "$WORK/out")"

# Drift 1: a rule deleted by hand (the masquerade).
in_ns edge nft flush chain inet nstopo nat_postrouting
expect_eq "status: a rule deleted by hand" "1 drifted (apply replaces it)" "$(edge_table)"
expect_rc "plan after the deletion" 0 "$NSTOPO" plan "$nat"
expect_eq "plan replaces the table" "~ nftables edge: table inet nstopo (2 rules)" "$(cat "$WORK/out")"
expect_rc "apply repairs it" 0 "$NSTOPO" apply "$nat"
expect_eq "status: repaired" "2 in sync" "$(edge_table)"
# Drift 2: a rule added by hand.
in_ns edge nft add rule inet nstopo nat_postrouting ip daddr 192.0.2.1 drop
expect_eq "status: a rule added by hand" "3 drifted (apply replaces it)" "$(edge_table)"
expect_rc "apply repairs the addition" 0 "$NSTOPO" apply "$nat"
expect_eq "status: the addition is gone" "2 in sync" "$(edge_table)"
# Drift 3: a table the lab does not own, in one of its namespaces.
in_ns edge nft add table ip foreign
expect_rc "plan with a foreign table" 0 "$NSTOPO" plan "$nat"
expect_eq "plan deletes it" "- nftables edge: table ip foreign" "$(cat "$WORK/out")"
expect_rc "apply deletes it" 0 "$NSTOPO" apply "$nat"
in_ns edge nft -j list tables >"$WORK/tables"
if grep -q foreign "$WORK/tables"; then fail "the foreign table survived"; else pass; fi
expect_rc "the nat checks hold after the repairs" 0 "$NSTOPO" check "$nat"

# The NAT dropped from the file: the table goes.
sed -i '/^    nat:/,/^      - { forward/d' "$nat"
expect_rc "plan without nat" 0 "$NSTOPO" plan "$nat"
expect_eq "the table is deleted" "- nftables edge: table inet nstopo" "$(cat "$WORK/out")"
expect_rc "apply without nat" 0 "$NSTOPO" apply "$nat"
expect_rc "destroy nat" 0 "$NSTOPO" destroy nat

# The firewall: web in, ssh kept out, ping allowed.
expect_rc "apply firewall" 0 "$NSTOPO" apply "$WORK/firewall.yaml"
expect_contains "the table is loaded" "+ nftables srv: table inet nstopo (4 rules)" "$WORK/out"
expect_rc "the firewall checks hold" 0 "$NSTOPO" check "$WORK/firewall.yaml"
# A ruleset nft refuses: nft's message at the file's line, nothing changed.
printf 'chain input {\n  type filter hook input priority filter; policy drop;\n  tcp dport 80 acept\n}\n' >"$WORK/firewall.nft"
state_before=$(kernel_snapshot)
expect_rc "plan a broken ruleset" 3 "$NSTOPO" plan "$WORK/firewall.yaml"
expect_contains "nft's message at the file's line" "$WORK/firewall.nft:3:21: nftables: syntax error, unexpected newline" "$WORK/err"
expect_rc "apply a broken ruleset" 3 "$NSTOPO" apply "$WORK/firewall.yaml"
expect_eq "nothing changed" "$state_before" "$(kernel_snapshot)"
expect_rc "destroy firewall" 0 "$NSTOPO" destroy firewall

expect_eq "the kernel is as before" "$before" "$(kernel_snapshot)"
finish
