#!/usr/bin/env bash
# The nstopo benchmark: one command. Generates labs of N namespaces in three shapes (a routed
# chain, a leaf-spine fabric with hosts, one LAN of N hosts on one switch) and brings each up and
# down with nstopo, with a script of one `ip` command per operation, and with `ip -batch`, side by
# side. Everything runs in a private
# network + mount namespace (tests/e2e/sandbox.sh): the machine's interfaces are never touched and
# nothing is left behind. Needs root, python3, GNU time (package `time`), gnuplot (`gnuplot-nox`).
#
#   tests/bench/run.sh [--sizes "10 100 500 1000"] [--shapes "chain fabric lan"] [--out DIR]
#                      [--nstopo PATH]
#
# Writes DIR/results.csv (one row per variant and phase), DIR/results.md (the table, with the
# ratios) and DIR/time-vs-n.png. Default DIR: tests/bench/results. Never asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sizes="10 100 500 1000"
shapes="chain fabric lan"
out=$root/tests/bench/results
nstopo=${NSTOPO:-$root/build/src/cli/nstopo}
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --shapes) shapes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --nstopo) nstopo=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 4 ;;
  esac
done
[ -x "$nstopo" ] || { echo "run.sh: no nstopo binary at $nstopo (build first, or --nstopo)" >&2; exit 2; }
for tool in /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (scripts/install-deps.sh)" >&2; exit 2; }
done
mkdir -p "$out"
export NSTOPO=$(realpath "$nstopo") OUT=$(realpath "$out") SIZES=$sizes SHAPES=$shapes
exec "$root/tests/e2e/sandbox.sh" "$root/tests/bench/bench.sh"
