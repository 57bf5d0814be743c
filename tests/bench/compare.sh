#!/usr/bin/env bash
# Compares the no-op re-apply of nstopo binaries (for example the previous build and this one) on
# one generated lab. Runs are interleaved, binary by binary, so that the machine's drift hits
# them alike, and each binary's median wall time and median CPU (user + system, GNU time) are
# printed. Runs inside the sandbox, like run.sh; never asserts a time.
#
#   tests/bench/compare.sh [--shape chain|fabric] [--n N] [--runs R] BINARY...
#
# Defaults: fabric, N = 1000, 15 runs. Needs root, python3 and GNU time (package `time`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shape=fabric n=1000 runs=15
while [ $# -gt 0 ]; do
  case $1 in
    --shape) shape=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 4 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "compare.sh: name at least one nstopo binary" >&2; exit 4; }
if [ "${NSTOPO_IN_SANDBOX:-}" != 1 ]; then
  bins=()
  for b in "$@"; do
    [ -x "$b" ] || { echo "compare.sh: $b is not an executable" >&2; exit 2; }
    bins+=("$(realpath "$b")")
  done
  export SHAPE=$shape N=$n RUNS=$runs
  exec "$here/../e2e/sandbox.sh" "$here/compare.sh" "${bins[@]}"
fi

export NO_COLOR=1
work=$(mktemp -d /run/nstopo-compare.XXXXXX)
python3 "$here/gen.py" "$SHAPE" "$N" "$work/lab"
lab=$work/lab/lab.yaml
"$1" -q apply "$lab"
for b in "$@"; do "$b" -q apply "$lab"; done  # each writes the record its own way once
for _ in $(seq "$RUNS"); do
  for i in $(seq $#); do
    b=${!i}
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$work/cpu" "$b" -q apply "$lab"
    end=$(date +%s%N)
    echo "$(((end - start) / 1000)) $(awk '{ printf "%d", ($1 + $2) * 1000000 }' "$work/cpu")" \
      >>"$work/runs-$i"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f ms", v[int((NR + 1) / 2)] / 1000 }'; }
echo "no-op re-apply, $SHAPE N=$N, $RUNS runs each, medians:"
for i in $(seq $#); do
  echo "  ${!i}: wall $(cut -d' ' -f1 "$work/runs-$i" | median), CPU $(cut -d' ' -f2 "$work/runs-$i" | median)"
done
"$1" -q destroy "$SHAPE$N"
rm -rf "$work"
