#!/usr/bin/env bash
# Many links in one namespace: N veths between two namespaces, each end with an address of its
# own /30. Times apply, plan (expected empty), a no-op re-apply and destroy, with the peak RSS of
# each (GNU time), in the sandbox like run.sh. Runs that read a namespace of this size take
# several netlink reads per dump; it is the shape that showed interrupted dumps. Never asserts a
# time.
#
#   tests/bench/wide.sh [--n N] [BINARY]      defaults: N = 10000, build/src/cli/nstopo
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=10000
while [ $# -gt 0 ]; do
  case $1 in
    --n) n=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "wide.sh: unknown option $1 (see --help)" >&2; exit 4 ;;
    *) break ;;
  esac
done
if [ "${NSTOPO_IN_SANDBOX:-}" != 1 ]; then
  bin=$(realpath "${1:-$here/../../build/src/cli/nstopo}")
  [ -x "$bin" ] || { echo "wide.sh: no nstopo binary at $bin" >&2; exit 2; }
  export N=$n BIN=$bin
  exec "$here/../e2e/sandbox.sh" "$here/wide.sh"
fi

export NO_COLOR=1
work=$(mktemp -d /run/nstopo-wide-bench.XXXXXX)
python3 - "$N" >"$work/lab.yaml" <<'PY'
import sys
n = int(sys.argv[1])
print("name: wide")
print("namespaces:")
for side, host in (("wa", 1), ("wb", 2)):
    print(f"  {side}:")
    print("    interfaces:")
    for i in range(n):
        base = i * 4
        addr = f"10.{64 + (base >> 16)}.{(base >> 8) & 255}.{(base & 255) + host}/30"
        print(f"      {side}{i}: {{ addresses: [{addr}] }}")
print("veths:")
for i in range(n):
    print(f"  - [wa/wa{i}, wb/wb{i}]")
PY

# timed PHASE COMMAND...: prints the phase's wall time and peak RSS.
timed() {
  local phase=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 ||
    { echo "wide.sh: $phase failed:" >&2; tail -5 "$work/out" >&2; exit 1; }
  read -r wall rss <"$work/time"
  printf '%-8s %8.2f s  %7.1f MB peak RSS\n' "$phase" "$wall" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}

echo "wide: $N veths between two namespaces ($(wc -c <"$work/lab.yaml") bytes of YAML)"
timed apply "$BIN" -q apply "$work/lab.yaml"
timed plan "$BIN" plan "$work/lab.yaml"  # exit 2, a failure here, if anything is left to do
timed no-op "$BIN" -q apply "$work/lab.yaml"
timed destroy "$BIN" -q destroy wide

# The same lab by `ip -batch` (the host's batch creates the pairs, each namespace's adds addresses
# and sets links up): the kernel's own share of the cost, for comparison.
{
  for i in $(seq 0 $((N - 1))); do echo "link add wa$i netns wa type veth peer name wb$i netns wb"; done
} >"$work/host.batch"
python3 - "$N" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
for side, host in (("wa", 1), ("wb", 2)):
    with open(f"{work}/{side}.batch", "w") as f:
        f.write("link set lo up\n")
        for i in range(n):
            base = i * 4
            addr = f"10.{64 + (base >> 16)}.{(base >> 8) & 255}.{(base & 255) + host}/30"
            f.write(f"addr add {addr} dev {side}{i}\nlink set {side}{i} up\n")
PY
timed ip-batch sh -c "ip netns add wa && ip netns add wb && ip -batch '$work/host.batch' && ip -n wa -batch '$work/wa.batch' && ip -n wb -batch '$work/wb.batch'"
ip netns del wa && ip netns del wb
rm -rf "$work"
