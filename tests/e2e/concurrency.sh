# Concurrency: two applies of one lab at once, two labs at once (and two labs racing for one
# name), apply while destroy runs. Every command either succeeds or loses cleanly (exit 6, "busy";
# or exit 1 naming the lab that won a contested name); records always parse; afterwards one more
# apply converges and destroy leaves nothing.
source "$(dirname "$0")/lib.sh"
rounds=${CONCURRENCY_ROUNDS:-4}

# run_bg NAME COMMAND...: runs the command in the background, output to $WORK/NAME.{out,err,rc}.
run_bg() {
  local name=$1; shift
  ( rc=0; "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?; echo "$rc" >"$WORK/$name.rc" ) &
}
rc_of() { cat "$WORK/$1.rc"; }

expect_records_parse() {
  local f
  for f in /run/nstopo/labs/*.json; do
    [ -e "$f" ] || continue
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" && pass || fail "$1: $f does not parse"
  done
}

# expect_ok_or_busy WHAT NAME: NAME exited 0, or 6 saying the lab is busy.
expect_ok_or_busy() {
  case $(rc_of "$2") in
    0) pass ;;
    6) expect_contains "$1 says busy" "is busy" "$WORK/$2.err" ;;
    *) fail "$1: exit $(rc_of "$2")"; cat "$WORK/$2.out" "$WORK/$2.err" >&2 ;;
  esac
}

expect_nothing_left() {
  expect_eq "$1: no namespace left" "" "$(ip netns list)"
  expect_eq "$1: no record left" "" "$(ls -A /run/nstopo/labs 2>/dev/null)"
  expect_eq "$1: host links as before" "$host_links" "$(ip -br link | awk '{print $1}')"
}
host_links=$(ip -br link | awk '{print $1}')

for ((round = 1; round <= rounds; round++)); do
  # Two applies of one lab at once: both succeed (one waits for the other), or one is busy.
  run_bg a1 "$NSTOPO" apply "$TOPOLOGIES/two-routers.yaml"
  run_bg a2 "$NSTOPO" apply "$TOPOLOGIES/two-routers.yaml"
  wait
  expect_ok_or_busy "round $round: first apply" a1
  expect_ok_or_busy "round $round: second apply" a2
  [ "$(rc_of a1)" -eq 0 ] || [ "$(rc_of a2)" -eq 0 ] && pass || fail "round $round: neither apply won"
  expect_records_parse "round $round, two applies"
  expect_rc "round $round: converged" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/two-routers.yaml"

  # Apply while destroy runs: each ends cleanly, then the lab is either wholly up or wholly gone.
  run_bg d "$NSTOPO" destroy two-routers
  run_bg a "$NSTOPO" apply "$TOPOLOGIES/two-routers.yaml"
  wait
  expect_ok_or_busy "round $round: destroy beside an apply" d
  expect_ok_or_busy "round $round: apply beside a destroy" a
  expect_records_parse "round $round, apply and destroy"
  if [ -e /run/nstopo/labs/two-routers.json ]; then
    expect_rc "round $round: up and in sync" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/two-routers.yaml"
  else
    expect_eq "round $round: wholly gone" "" "$(ip netns list)"
  fi
  expect_rc "round $round: destroy" 0 "$NSTOPO" destroy two-routers
  expect_nothing_left "round $round, after apply and destroy"

  # Two labs at once, with no name in common: both come up.
  run_bg p "$NSTOPO" apply "$TOPOLOGIES/pair-ns1-ns2.yaml"
  run_bg t "$NSTOPO" apply "$TOPOLOGIES/two-routers.yaml"
  wait
  expect_eq "round $round: pair-ns1-ns2 beside two-routers" 0 "$(rc_of p)"
  expect_eq "round $round: two-routers beside pair-ns1-ns2" 0 "$(rc_of t)"
  expect_rc "round $round: pair-ns1-ns2 in sync" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/pair-ns1-ns2.yaml"
  expect_rc "round $round: two-routers in sync" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/two-routers.yaml"
  expect_rc "round $round: destroy pair-ns1-ns2" 0 "$NSTOPO" destroy pair-ns1-ns2
  expect_rc "round $round: destroy two-routers" 0 "$NSTOPO" destroy two-routers
  expect_nothing_left "round $round, after two labs"

  # Two labs claiming one namespace (ns01) at once: exactly one gets it, the other is told who.
  sed 's/^name: pair/name: other/' "$TOPOLOGIES/pair.yaml" > "$WORK/other.yaml"
  run_bg p "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
  run_bg o "$NSTOPO" apply "$WORK/other.yaml"
  wait
  expect_eq "round $round: exactly one lab wins ns01" "0 1" "$(sort -n <(rc_of p) <(rc_of o) | xargs)"
  if [ "$(rc_of p)" -eq 0 ]; then winner=pair loser=o; else winner=other loser=p; fi
  expect_contains "round $round: the loser names the winner" "belongs to lab '$winner'" "$WORK/$loser.err"
  expect_records_parse "round $round, contested name"
  expect_rc "round $round: destroy the winner" 0 "$NSTOPO" destroy "$winner"
  expect_rc "round $round: destroy the loser (nothing)" 0 "$NSTOPO" destroy "$([ $winner = pair ] && echo other || echo pair)"
  expect_nothing_left "round $round, after the contested name"
done
finish
