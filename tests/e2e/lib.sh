# Shared helpers for the end-to-end tests. Sourced by each test, which runs inside sandbox.sh.
set -euo pipefail
: "${NSTOPO:?NSTOPO must name the nstopo binary}"
: "${TOPOLOGIES:?TOPOLOGIES must name the topologies directory}"
export NO_COLOR=1
WORK=$(mktemp -d /run/nstopo-e2e.XXXXXX)
failures=0
checks=0

# NSTOPO_MODE=rootless: every nstopo command runs as an unprivileged user (ROOTLESS_UID, default
# 65534) with a private XDG_RUNTIME_DIR, through a wrapper that takes $NSTOPO's place; commands
# inside lab namespaces go through `nstopo exec` (ip netns cannot see a session's namespaces).
MODE=${NSTOPO_MODE:-root}
source "$(dirname "${BASH_SOURCE[0]}")/user.sh"
if [ "$MODE" = rootless ]; then
  ROOTLESS_UID=${ROOTLESS_UID:-65534}
  REAL_NSTOPO=$NSTOPO
  NSTOPO=$WORK/nstopo
  printf '#!/usr/bin/env bash\nsource %q\nas_user %q %q "$@"\n' "$(dirname "${BASH_SOURCE[0]}")/user.sh" \
    "$ROOTLESS_UID" "$REAL_NSTOPO" > "$NSTOPO"
  chmod 755 "$NSTOPO" "$WORK"
  in_ns() { local ns=$1; shift; "$NSTOPO" exec "$ns" "$@"; }
  on_host() { "$NSTOPO" exec --host "$@"; }
else
  in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
  on_host() { "$@"; }
fi

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then pass; else
    fail "$1"; echo "--- expected" >&2; echo "$2" >&2; echo "--- actual" >&2; echo "$3" >&2
  fi
}

# expect_rc WHAT EXPECTED_RC COMMAND... : runs the command, output to $WORK/out and $WORK/err.
expect_rc() {
  local what=$1 want=$2; shift 2
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" -eq "$want" ]; then pass; else
    fail "$what: exit $rc, expected $want"; cat "$WORK/out" "$WORK/err" >&2
  fi
}

expect_contains() {
  if grep -qF -- "$2" "$3"; then pass; else fail "$1: '$2' not in $3"; cat "$3" >&2; fi
}

# Pings only between namespaces the test itself made. Three echo requests, 0.2 s apart; one
# answer is success (the first may be lost while a fresh path resolves its neighbours).
expect_ping() {
  local ns=$1 dst=$2; shift 2
  if in_ns "$ns" ping -c 3 -i 0.2 -W 2 "$@" "$dst" >"$WORK/ping" 2>&1; then pass; else
    fail "ping from $ns to $dst $*"; cat "$WORK/ping" >&2
  fi
}

# kernel_snapshot, once the kernel has settled: carrier, operstate and IPv6 link-local addresses
# follow a link change asynchronously (linkwatch; addrconf's duplicate address detection, which
# host-side links still do), so the picture must show no tentative address and two pictures
# taken 0.3 s apart must agree (at most 8 s).
settled_snapshot() {
  local previous current
  previous=$(kernel_snapshot)
  for _ in $(seq 1 26); do
    sleep 0.3
    current=$(kernel_snapshot)
    if [ "$current" == "$previous" ] && ! grep -q '"tentative":true' <<<"$current"; then break; fi
    previous=$current
  done
  echo "$current"
}

# A bridge's and its ports' timers (gc_timer, hello_timer, forward_delay_timer, ...) count down
# by themselves: left out of the pictures.
without_timers() { sed -E 's/"[a-z_]*_timer":[0-9.]+,?//g'; }

# A byte-for-byte picture of the kernel: namespaces, and in each, and in the host, links,
# addresses and routes, as ip -j prints them (ifindex-free fields are what matter; keep all).
kernel_snapshot() {
  if [ "$MODE" = rootless ]; then session_snapshot; return; fi
  ip netns list | sort
  for ns in "" $(ip netns list | awk '{print $1}' | sort); do
    local n=()
    [ -n "$ns" ] && n=(-n "$ns")
    echo "== ${ns:-host}"
    ip "${n[@]}" -j -d link show | without_timers
    ip "${n[@]}" -j addr show
    ip "${n[@]}" -j route show table all
    ip "${n[@]}" -j -6 route show table all
  done
}

# In rootless mode: the machine's namespaces (none may appear), then each namespace of the labs
# that are up as `ip -j` sees it from inside.
session_snapshot() {
  ip netns list | sort
  local ns
  for ns in $("$NSTOPO" status --json 2>/dev/null | python3 -c '
import json, sys
for lab in json.load(sys.stdin)["labs"]:
    for ns in sorted(lab.get("observed", {}).get("namespaces", {})):
        print(ns)'); do
    echo "== $ns"
    in_ns "$ns" ip -j -d link show | without_timers
    in_ns "$ns" ip -j addr show
    in_ns "$ns" ip -j route show table all
    in_ns "$ns" ip -j -6 route show table all
  done
}

# duration_ms COMMAND...: runs the command (its output and exit status dropped) and prints how
# many milliseconds it took.
duration_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# kill_at MS COMMAND...: starts the command, kills it with SIGKILL after MS milliseconds, and
# counts in $killed the runs it interrupted and in $finished those that ended first.
killed=0 finished=0
kill_at() {
  local ms=$1 rc=0; shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" || rc=$?
  if [ "$rc" -eq 137 ]; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
  echo "  $1 $2 killed after ${ms} ms: exit $rc"
}

finish() {
  rm -rf "$WORK"
  if [ "$failures" -gt 0 ]; then
    echo "$failures of $((checks + failures)) checks failed" >&2
    exit 1
  fi
  echo "all $checks checks passed"
}

# For the uplink's tests: the "internet", namespace $1 of the test's own behind the host's veth
# up0 (198.51.100.1/24; its end is inet0), with host-wide forwarding off; and a bystander host
# route, 203.0.113.0/24 via 192.0.2.2 on the test's own veth by0. uplink_world_gone NS removes both.
make_internet() {
  echo 0 > /proc/sys/net/ipv4/ip_forward
  ip netns add "$1"
  ip link add up0 type veth peer name inet0 netns "$1"
  ip addr add 198.51.100.1/24 dev up0
  ip link set up0 up
}
make_bystander_route() {
  ip link add by0 type veth peer name by1
  ip addr add 192.0.2.1/24 dev by0
  ip link set by0 up
  ip route add 203.0.113.0/24 via 192.0.2.2 dev by0
}
uplink_world_gone() {
  ip netns del "$1" 2>/dev/null || true
  ip link del by0 2>/dev/null || true
}
