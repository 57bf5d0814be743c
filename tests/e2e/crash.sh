# kill -9 in the middle of apply and destroy, at random points, on a 30-namespace chain with a LAN
# across it (a switch namespace, its bridge and four ports: the bridge operations too): the next
# apply converges (a plan afterwards is empty), the next destroy leaves nothing, and the state file
# is never half-written. Reproduce a run with CRASH_SEED=N (printed below). Each round kills one
# apply and one destroy; rounds go on (at least CRASH_ROUNDS, at most 3 times that) until 20
# commands were killed mid-run rather than finishing first.
source "$(dirname "$0")/lib.sh"
seed=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
rounds=${CRASH_ROUNDS:-12}
RANDOM=$seed
echo "crash seed $seed ($rounds rounds): rerun with CRASH_SEED=$seed"

# A chain c00 - c01 - ... - c29, one host end on c00, routes along it: every phase has work.
generate_chain() {
  local n=30 i
  echo "name: chain"
  echo "namespaces:"
  for ((i = 0; i < n; i++)); do
    printf '  c%02d:\n    forwarding: true\n    interfaces:\n' "$i"
    [ "$i" -gt 0 ] && printf '      l%02d: { addresses: [10.1.%d.2/24, "fd00:%d::2/64"] }\n' "$i" "$((i - 1))" "$((i - 1))"
    [ "$i" -lt $((n - 1)) ] && printf '      r%02d: { addresses: [10.1.%d.1/24, "fd00:%d::1/64"] }\n' "$i" "$i" "$i"
    [ "$i" -eq 0 ] && printf '      up0: { addresses: [10.0.0.2/24] }\n'
    [ $((i % 5)) -eq 0 ] && [ "$i" -gt 0 ] && printf '      s0: { addresses: [10.50.0.%d/24] }\n' "$i"
    if [ "$i" -gt 0 ]; then
      printf '    routes:\n      - { to: default, via: 10.1.%d.1 }\n' "$((i - 1))"
    else
      printf '    routes:\n      - { to: 10.200.0.0/16, via: 10.1.0.2 }\n'
    fi
  done
  echo "host:"
  echo "  interfaces:"
  echo "    chain-host0: { addresses: [10.0.0.1/24] }"
  echo "veths:"
  echo "  - [chain-host0, c00/up0]"
  for ((i = 0; i < n - 1; i++)); do
    printf '  - [c%02d/r%02d, c%02d/l%02d]\n' "$i" "$i" "$((i + 1))" "$((i + 1))"
  done
  echo "lans:"
  echo "  seg: [c05/s0, c10/s0, c15/s0, c20/s0, c25/s0]"
}
generate_chain > "$WORK/chain.yaml"
expect_rc "the chain is valid" 0 "$NSTOPO" validate "$WORK/chain.yaml"

host_links() { ip -br link show | awk '{print $1, $2}'; }
baseline=$(host_links)

apply_ms=$(duration_ms "$NSTOPO" apply "$WORK/chain.yaml")
destroy_ms=$(duration_ms "$NSTOPO" destroy chain)
echo "a full apply takes ${apply_ms} ms, a destroy ${destroy_ms} ms"

# Every record in the state directory parses as JSON, at any moment.
expect_records_parse() {
  local f
  for f in /run/nstopo/labs/*.json; do
    [ -e "$f" ] || continue
    if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>"$WORK/json"; then pass; else
      fail "$1: $f does not parse"; cat "$WORK/json" "$f" >&2
    fi
  done
}


# Kill points spread over the first half of a cold run's time: warm runs are faster.
for ((round = 1; round <= rounds || (killed < 20 && round <= 3 * rounds); round++)); do
  # A crashed apply, then an apply converges: nothing left to plan.
  kill_at $((RANDOM % (apply_ms / 2 + 1))) "$NSTOPO" apply "$WORK/chain.yaml"
  expect_records_parse "round $round, after the killed apply"
  expect_rc "round $round: apply after a crash" 0 "$NSTOPO" apply "$WORK/chain.yaml"
  expect_rc "round $round: nothing left to plan" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/chain.yaml"
  # A crashed destroy, then a destroy leaves nothing.
  kill_at $((RANDOM % (destroy_ms / 2 + 1))) "$NSTOPO" destroy chain
  expect_records_parse "round $round, after the killed destroy"
  expect_rc "round $round: destroy after a crash" 0 "$NSTOPO" destroy chain
  expect_eq "round $round: no namespace left" "" "$(ip netns list)"
  expect_eq "round $round: no file left in /run/netns" "" "$(ls -A /run/netns)"
  expect_eq "round $round: host links as before" "$baseline" "$(host_links)"
  expect_eq "round $round: no record left" "" "$(ls -A /run/nstopo/labs)"
done
echo "$((killed + finished)) kill points: $killed killed mid-run, $finished finished first"
[ "$killed" -ge 20 ] && pass || fail "only $killed commands were killed mid-run (want at least 20)"
finish
