# kill -9 in the middle of apply and destroy of a lab with every kind that changes more than
# links: shaping (rate:), a namespace's nftables table (nat: and nftables:), host routes and an
# uplink (a host table and host forwarding sysctls). After each killed command the next apply
# converges (a plan afterwards is empty) and the next destroy leaves the host as it was before
# the lab: links, routes, the whole nftables ruleset (a foreign table included) and every
# forwarding sysctl byte-equal. Reproduce a run with CRASH_SEED=N. Rounds go on (at least
# CRASH_ROUNDS, at most 3 times that) until 10 commands were killed mid-run.
source "$(dirname "$0")/lib.sh"
seed=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
rounds=${CRASH_ROUNDS:-6}
RANDOM=$seed
echo "crash seed $seed ($rounds rounds): rerun with CRASH_SEED=$seed"

trap 'uplink_world_gone ck-inet' EXIT

# The "internet": a namespace of the test's own behind the host's up0 (the uplink's `out`).
make_internet ck-inet
# Bystanders: a foreign host table and a host route.
nft add table inet bystander
nft add chain inet bystander keep '{ type filter hook forward priority filter; policy accept; }'
nft add rule inet bystander keep ip saddr 192.0.2.0/24 accept
make_bystander_route

cat > "$WORK/edge.nft" <<'EOF'
chain input {
  type filter hook input priority filter; policy accept;
  tcp dport 22 drop
}
EOF
cat > "$WORK/kinds.yaml" <<'EOF'
name: kinds
namespaces:
  edge:
    forwarding: true
    nat:
      - { masquerade: edge-up }
    nftables: edge.nft
    interfaces:
      edge-up: { addresses: [10.1.1.1/24], rate: 20mbit }
      edge-lan: { addresses: [10.0.1.1/24] }
    routes:
      - { to: default, via: 10.1.1.2 }
  lan:
    interfaces:
      lan-eth0: { addresses: [10.0.1.2/24], rate: 10mbit }
    routes:
      - { to: default, via: 10.0.1.1 }
veths:
  - [kinds-h0, edge/edge-up]
  - [edge/edge-lan, lan/lan-eth0]
host:
  interfaces:
    kinds-h0: { addresses: [10.1.1.2/24], rate: 50mbit }
  routes:
    - { to: 10.0.1.0/24, via: 10.1.1.1 }
  uplink: { out: up0, subnets: [10.1.1.0/24, 10.0.1.0/24] }
EOF
expect_rc "the lab is valid" 0 "$NSTOPO" validate "$WORK/kinds.yaml"

forwarding() { sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|conf\.[^.]+\.forwarding) ' | sort; }
host_links() { ip -br link show | awk '{print $1, $2}'; }
links_before=$(host_links)
routes_before=$(ip -j route)
ruleset_before=$(nft -j list ruleset)
forwarding_before=$(forwarding)

apply_ms=$(duration_ms "$NSTOPO" apply "$WORK/kinds.yaml")
expect_rc "applied once" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/kinds.yaml"
destroy_ms=$(duration_ms "$NSTOPO" destroy kinds)
echo "a full apply takes ${apply_ms} ms, a destroy ${destroy_ms} ms"

expect_host_as_before() {
  expect_eq "$1: no namespace of the lab left" "ck-inet" "$(ip netns list | cut -d' ' -f1)"
  expect_eq "$1: host links as before" "$links_before" "$(host_links)"
  expect_eq "$1: host routes as before" "$routes_before" "$(ip -j route)"
  expect_eq "$1: the ruleset as before" "$ruleset_before" "$(nft -j list ruleset)"
  expect_eq "$1: forwarding sysctls as before" "$forwarding_before" "$(forwarding)"
  expect_eq "$1: no record left" "" "$(ls -A /run/nstopo/labs)"
}
expect_host_as_before "after the first destroy"

for ((round = 1; round <= rounds || (killed < 10 && round <= 3 * rounds); round++)); do
  kill_at $((RANDOM % (apply_ms * 3 / 4 + 1))) "$NSTOPO" apply "$WORK/kinds.yaml"
  expect_rc "round $round: apply after a crash" 0 "$NSTOPO" apply "$WORK/kinds.yaml"
  expect_rc "round $round: nothing left to plan" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/kinds.yaml"
  expect_eq "round $round: up0 forwards" 1 "$(sysctl -n net.ipv4.conf.up0.forwarding)"
  # A killed apply of an applied lab, then a killed destroy, then destroy.
  kill_at $((RANDOM % (destroy_ms * 3 / 4 + 1))) "$NSTOPO" destroy kinds
  if [ $((round % 2)) -eq 0 ]; then
    # Half the rounds: an apply picks up after the killed destroy, then a clean destroy.
    expect_rc "round $round: apply after a killed destroy" 0 "$NSTOPO" apply "$WORK/kinds.yaml"
  fi
  expect_rc "round $round: destroy after a crash" 0 "$NSTOPO" destroy kinds
  expect_host_as_before "round $round"
done
echo "$((killed + finished)) kill points: $killed killed mid-run, $finished finished first"
[ "$killed" -ge 10 ] && pass || fail "only $killed commands were killed mid-run (want at least 10)"
finish
