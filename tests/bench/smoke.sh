#!/usr/bin/env bash
# bench.smoke: runs the benchmark at N = 10 and checks its output, never its times. bench.sh
# itself fails when a variant's lab does not work (namespaces, ping end to end) or a teardown
# leaves something; here we check that the CSV has every expected row.
# Usage: smoke.sh NSTOPO_BINARY OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nstopo=$1 out=$2
rm -rf "$out"
rc=0
"$here/run.sh" --sizes 10 --out "$out" --nstopo "$nstopo" || rc=$?
[ "$rc" -eq 0 ] || exit "$rc"  # 77: no sandbox (not root), skipped
expected="shape,n,variant,phase
chain,10,batch,apply
chain,10,batch,destroy
chain,10,ip,apply
chain,10,ip,destroy
chain,10,nstopo,apply
chain,10,nstopo,destroy
chain,10,nstopo,reapply
fabric,10,batch,apply
fabric,10,batch,destroy
fabric,10,ip,apply
fabric,10,ip,destroy
fabric,10,nstopo,apply
fabric,10,nstopo,destroy
fabric,10,nstopo,reapply
lan,10,batch,apply
lan,10,batch,destroy
lan,10,ip,apply
lan,10,ip,destroy
lan,10,nstopo,apply
lan,10,nstopo,destroy
lan,10,nstopo,reapply"
actual=$( (head -1 "$out/results.csv" | cut -d, -f1-4; tail -n +2 "$out/results.csv" | cut -d, -f1-4 | sort))
if [ "$actual" != "$expected" ]; then
  echo "FAIL: results.csv rows differ"; echo "--- expected"; echo "$expected"; echo "--- actual"
  echo "$actual"; exit 1
fi
grep -q '^| chain | 10 |' "$out/results.md" || { echo "FAIL: no chain row in results.md"; exit 1; }
echo "bench.smoke: all variants built and removed the labs; $(($(wc -l <"$out/results.csv") - 1)) rows"
