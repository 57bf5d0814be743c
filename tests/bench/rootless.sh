#!/usr/bin/env bash
# Root mode beside rootless mode: apply, no-op re-apply and destroy of one generated lab, by
# root and by an unprivileged user (in the session nstopo starts for them), interleaved run by
# run so that the machine's drift hits both alike. Prints each mode's median wall time per
# phase. Runs inside the sandbox, like run.sh; never asserts a time.
#
#   tests/bench/rootless.sh [--shape chain|fabric] [--n N] [--runs R] [--uid UID] [BINARY]
#
# Defaults: chain, N = 100, 5 runs, uid 61999, build/src/cli/nstopo. Needs root, python3 and
# setpriv. The user's runtime directory is /run/user/UID on the sandbox's tmpfs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shape=chain n=100 runs=5 uid=61999
while [ $# -gt 0 ]; do
  case $1 in
    --shape) shape=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --uid) uid=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    -*) echo "rootless.sh: unknown option $1 (see --help)" >&2; exit 4 ;;
    *) break ;;
  esac
done
if [ "${NSTOPO_IN_SANDBOX:-}" != 1 ]; then
  bin=$(realpath "${1:-$here/../../build/src/cli/nstopo}")
  [ -x "$bin" ] || { echo "rootless.sh: no nstopo binary at $bin" >&2; exit 2; }
  export SHAPE=$shape N=$n RUNS=$runs BENCH_UID=$uid BIN=$bin
  exec "$here/../e2e/sandbox.sh" "$here/rootless.sh"
fi

source "$here/../e2e/user.sh"
export NO_COLOR=1
work=$(mktemp -d /run/nstopo-rootless-bench.XXXXXX)
chmod 755 "$work"
python3 "$here/gen.py" "$SHAPE" "$N" "$work/lab"
chmod -R a+rX "$work/lab"
lab=$work/lab/lab.yaml

# timed MODE PHASE COMMAND...: appends the wall time in microseconds to runs-MODE-PHASE.
timed() {
  local mode=$1 phase=$2 start end; shift 2
  start=$(date +%s%N)
  "$@" >"$work/out" 2>&1 || { echo "rootless.sh: $mode $phase failed:" >&2; cat "$work/out" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000)) >>"$work/runs-$mode-$phase"
}

root() { "$BIN" -q "$@"; }
user() { as_user "$BENCH_UID" "$BIN" -q "$@"; }

for _ in $(seq "$RUNS"); do
  for mode in root user; do
    timed "$mode" apply "$mode" apply "$lab"
    timed "$mode" no-op "$mode" apply "$lab"
    timed "$mode" destroy "$mode" destroy "$SHAPE$N"
    sleep "$(awk -v n="$N" 'BEGIN { print 0.5 + n / 400 }')"  # the kernel frees namespaces lazily
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%8.1f ms", v[int((NR + 1) / 2)] / 1000 }'; }
echo "$SHAPE N=$N, $RUNS runs each, median wall time:"
printf '  %-8s %11s %11s %11s\n' mode apply no-op destroy
for mode in root user; do
  printf '  %-8s' "$([ "$mode" = root ] && echo root || echo rootless)"
  for phase in apply no-op destroy; do printf ' %s' "$(median <"$work/runs-$mode-$phase")"; done
  echo
done
rm -rf "$work"
