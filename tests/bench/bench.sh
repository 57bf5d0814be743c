#!/usr/bin/env bash
# The benchmark proper; run it through run.sh, which puts it inside the sandbox (a private network
# and mount namespace with tmpfs over /run). For each shape and size: generate the lab (gen.py),
# then bring it up and take it down three ways, checking after each bring-up that the lab works
# and after each teardown that nothing is left:
#   nstopo  apply, no-op re-apply (observe + plan, nothing to do), destroy (verified empty);
#           each the median of 3 runs
#   ip      one `ip` process per operation (ip.sh), then `ip netns del` per namespace
#   batch   `ip -batch` for the host, `ip -n NS -batch` per namespace, then one `ip -batch` of
#           `netns del` lines
# Writes OUT/results.csv, OUT/results.md and OUT/time-vs-n.png.
set -euo pipefail
[ "${NSTOPO_IN_SANDBOX:-}" = 1 ] || { echo "bench.sh: run me through tests/bench/run.sh" >&2; exit 2; }
: "${NSTOPO:?NSTOPO must name the nstopo binary}"
: "${OUT:?OUT must name the results directory}"
: "${SIZES:?}" "${SHAPES:?}"
here=$(cd "$(dirname "$0")" && pwd)
export NO_COLOR=1
work=$(mktemp -d /run/nstopo-bench.XXXXXX)
csv=$OUT/results.csv
mkdir -p "$OUT"
echo "shape,n,variant,phase,wall_s,per_ns_ms,maxrss_kb,user_s,sys_s" >"$csv"
failures=0

fail() { echo "bench: FAIL: $*" >&2; failures=$((failures + 1)); }

# measure SHAPE N VARIANT PHASE COMMAND...: runs the command under GNU time, appends a CSV row.
measure() {
  local shape=$1 n=$2 variant=$3 phase=$4; shift 4
  local start end rc=0
  start=$(date +%s%N)
  /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" >"$work/out" 2>&1 || rc=$?
  end=$(date +%s%N)
  if [ "$rc" -ne 0 ]; then
    fail "$shape $n $variant $phase: exit $rc"; tail -20 "$work/out" >&2
  fi
  local ns=$((end - start))
  # GNU time: peak RSS of the largest process, and user and system CPU of the whole tree.
  read -r rss user sys < <(tail -1 "$work/rss")
  awk -v s="$shape" -v n="$n" -v v="$variant" -v p="$phase" -v ns="$ns" -v rss="$rss" \
    -v user="$user" -v sys="$sys" 'BEGIN {
      printf "%s,%d,%s,%s,%.4f,%.4f,%d,%.2f,%.2f\n", s, n, v, p, ns / 1e9, ns / 1e6 / n, rss, user, sys
    }' >>"$csv"
  echo "bench: $shape N=$n $variant $phase: $(awk -v ns="$ns" 'BEGIN { printf "%.3f s", ns / 1e9 }')" >&2
}

# The runs of nstopo take a second or less, where one run is at the mercy of whatever else the
# machine does at that moment (the same apply took 0.64-0.90 s here). Their rows are collected
# in files under $work and the row of the median wall time is kept (keep_median).
runs() { echo "$work/runs-$1.csv"; }

# measure_into NAME SHAPE N VARIANT PHASE COMMAND...: measure, with the row going to runs NAME.
measure_into() {
  local name=$1 all=$csv; shift
  csv=$(runs "$name")
  measure "$@"
  csv=$all
}

# keep_median NAME: appends the row of the median wall time among runs NAME, and forgets them.
keep_median() {
  local f
  f=$(runs "$1")
  sort -t, -k5,5g "$f" | sed -n "$((($(wc -l <"$f") + 1) / 2))p" >>"$csv"
  rm -f "$f"
}

# The lab is really there: every namespace exists and, where the path is short enough for the
# default TTL, the far ends ping each other (traffic only between the sandbox's own namespaces).
check_up() {
  local dir=$1 what=$2 n=$3
  if [ "$(ip netns list | awk '{print $1}' | sort)" != "$(cat "$dir/namespaces.txt")" ]; then
    fail "$what: the namespaces are not all there"
  fi
  if [ "$n" -le 50 ] || [ "$(basename "$dir")" != chain ]; then
    sh "$dir/check.sh" || fail "$what: the lab does not forward end to end"
  fi
}

# Nothing is left: no namespace, no lab record, no link but the sandbox's lo in the host.
check_empty() {
  local what=$1
  [ -z "$(ip netns list)" ] || fail "$what: namespaces left: $(ip netns list | head -3)"
  [ "$(ip -br link | awk '{print $1}')" = lo ] || fail "$what: host links left"
  [ -z "$(ls /run/nstopo/labs 2>/dev/null)" ] || fail "$what: lab records left"
}

# Deleted namespaces are freed by the kernel in the background (cleanup_net); let that work finish
# so it does not land in the next variant's measurement.
settle() { sleep "$(awk -v n="$1" 'BEGIN { print 0.5 + n / 400 }')"; }

wait_namespaces_gone() {
  while [ -n "$(ip netns list)" ]; do sleep 0.01; done
}
export -f wait_namespaces_gone

for n in $SIZES; do
  for shape in $SHAPES; do
    dir=$work/$shape-$n/$shape
    python3 "$here/gen.py" "$shape" "$n" "$dir"

    # nstopo: three bring-ups and teardowns, and three no-op re-applies after the first.
    for run in 1 2 3; do
      measure_into apply "$shape" "$n" nstopo apply "$NSTOPO" -q apply "$dir/lab.yaml"
      check_up "$dir" "$shape $n nstopo" "$n"
      if [ "$run" -eq 1 ]; then
        for _ in 1 2 3; do
          measure_into reapply "$shape" "$n" nstopo reapply "$NSTOPO" -q apply "$dir/lab.yaml"
        done
        "$NSTOPO" plan --detailed-exitcode "$dir/lab.yaml" >/dev/null ||
          fail "$shape $n: plan not empty"
      fi
      measure_into destroy "$shape" "$n" nstopo destroy "$NSTOPO" -q destroy "$shape$n"
      check_empty "$shape $n nstopo"
      settle "$n"
    done
    keep_median apply
    keep_median reapply
    keep_median destroy

    measure "$shape" "$n" ip apply sh "$dir/ip.sh"
    check_up "$dir" "$shape $n ip" "$n"
    measure "$shape" "$n" ip destroy bash -c "sh '$dir/ip-down.sh' && wait_namespaces_gone"
    check_empty "$shape $n ip"
    settle "$n"

    measure "$shape" "$n" batch apply sh "$dir/batch.sh"
    check_up "$dir" "$shape $n batch" "$n"
    measure "$shape" "$n" batch destroy bash -c "ip -batch '$dir/batch-down.batch' && wait_namespaces_gone"
    check_empty "$shape $n batch"
    settle "$n"
  done
done

python3 "$here/report.py" "$OUT"
rm -rf "$work"
if [ "$failures" -gt 0 ]; then
  echo "bench: $failures failures" >&2
  exit 1
fi
echo "bench: results in $OUT" >&2
