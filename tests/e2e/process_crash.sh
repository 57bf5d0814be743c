# kill -9 of nstopo while it starts and stops a lab's processes, at random points: the next apply
# converges (a plan afterwards is empty, exactly one of each declared program runs) and the next
# destroy leaves no process, no namespace and no record. Reproduce a run with CRASH_SEED=N.
source "$(dirname "$0")/lib.sh"
seed=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
rounds=${CRASH_ROUNDS:-10}
RANDOM=$seed
echo "process crash seed $seed ($rounds rounds): rerun with CRASH_SEED=$seed"

# Six namespaces, each running two programs (one of them forks a child that stays in its group).
n=6
{
  echo "name: procs"
  echo "namespaces:"
  for ((i = 0; i < n; i++)); do
    printf '  p%d:\n    processes:\n' "$i"
    printf '      a:\n        command: [sleep, "%d"]\n' "$((5000 + i))"
    printf '      b:\n        command: [sh, -c, "sleep %d & exec sleep %d"]\n' "$((6000 + i))" "$((7000 + i))"
  done
} > "$WORK/procs.yaml"
expect_rc "the lab is valid" 0 "$NSTOPO" validate "$WORK/procs.yaml"

# Live processes running one of the lab's sleeps.
lab_sleeps() { ps -e -o stat=,args= | awk '$1 !~ /^Z/ && $2 == "sleep" && $3 ~ /^[567]00[0-9]$/ { print $3 }' | sort; }
expected=$(for ((i = 0; i < n; i++)); do echo $((5000 + i)); echo $((6000 + i)); echo $((7000 + i)); done | sort)

apply_ms=$(duration_ms "$NSTOPO" apply "$WORK/procs.yaml")
destroy_ms=$(duration_ms "$NSTOPO" destroy procs)
echo "a full apply takes ${apply_ms} ms, a destroy ${destroy_ms} ms"


for ((round = 1; round <= rounds || (killed < 10 && round <= 3 * rounds); round++)); do
  kill_at $((RANDOM % (apply_ms + 1))) "$NSTOPO" apply "$WORK/procs.yaml"
  expect_rc "round $round: apply after a crash" 0 "$NSTOPO" apply "$WORK/procs.yaml"
  expect_rc "round $round: nothing left to plan" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/procs.yaml"
  # A program's own child (`sleep 6000 &`) may still be a forked shell for a moment.
  for _ in $(seq 1 100); do [ "$(lab_sleeps)" = "$expected" ] && break; sleep 0.05; done
  expect_eq "round $round: one of each program runs" "$expected" "$(lab_sleeps)"
  kill_at $((RANDOM % (destroy_ms + 1))) "$NSTOPO" destroy procs
  expect_rc "round $round: destroy after a crash" 0 "$NSTOPO" destroy procs
  expect_eq "round $round: no process left" "" "$(lab_sleeps)"
  expect_eq "round $round: no namespace left" "" "$(ip netns list)"
  expect_eq "round $round: no record left" "" "$(ls -A /run/nstopo/labs)"
  expect_eq "round $round: no log left" "" "$(ls -A /run/nstopo/logs 2>/dev/null)"
done
echo "$((killed + finished)) kill points: $killed killed mid-run, $finished finished first"
[ "$killed" -ge 10 ] && pass || fail "only $killed commands were killed mid-run (want at least 10)"
finish
