# The OSPF lab (topologies/ospf.yaml): four routers whose file gives them addresses only; FRR's
# zebra and ospfd, run by the lab in each router namespace, learn the routes. The checks wait
# until OSPF has converged; the routes FRR installs are the daemon's, not drift (status in sync,
# plan empty); a link taken down in the file moves r1's traffic to r3 onto the long way round
# through r4, and back when it comes up again; destroy stops every daemon and leaves nothing.
# Root mode only: FRR drops its privileges to the user frr, which a rootless session cannot be.
source "$(dirname "$0")/lib.sh"
if [ ! -x /usr/lib/frr/zebra ] || [ ! -x /usr/lib/frr/ospfd ] || ! id frr >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: FRR is not installed (scripts/install-deps.sh)" >&2; exit 1; fi
  echo "SKIP: FRR is not installed (Debian package frr)" >&2
  exit 77
fi
# FRR keeps its run files under /run/frr, which the package makes at boot; the sandbox's /run is
# a fresh tmpfs, so make it here as the package does (frr:frr, 0755).
install -d -o frr -g frr -m 0755 /run/frr
before=$(kernel_snapshot)
cp -r "$TOPOLOGIES/ospf.yaml" "$TOPOLOGIES/ospf" "$WORK/"
file=$WORK/ospf.yaml
daemons() { ps -e -o stat=,args= | awk '$1 !~ /^Z/ && / -N ospf-r[1-4] /' | wc -l; }
# However the test ends, no daemon outlives it (they would outlive the sandbox's namespaces):
# destroy stops them; a daemon destroy could not reach is killed by its command line, which only
# this test's daemons have.
cleanup() {
  "$NSTOPO" destroy ospf >/dev/null 2>&1 || true
  pkill -KILL -f -- '-N ospf-r[1-4] ' 2>/dev/null || true
}
trap cleanup EXIT

expect_rc "apply" 0 "$NSTOPO" apply "$file"
expect_eq "eight daemons run, zebra and ospfd per router" 8 "$(daemons)"
expect_rc "the checks hold once OSPF has converged" 0 "$NSTOPO" check "$file"
expect_contains "r1 reaches r3 through r2" "r1 reaches r3 through r2" "$WORK/out"
route=$(ip -n r1 -j route show 10.0.34.0/24 | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
print(r["protocol"], r["gateway"])')
expect_eq "r1's route to r3's far link is OSPF's, through r2" "ospf 10.0.12.2" "$route"
expect_rc "FRR's routes are not drift: in sync" 0 "$NSTOPO" status ospf
expect_rc "plan: nothing to do" 0 "$NSTOPO" plan --detailed-exitcode "$file"

# The r1-r2 link goes down (in the file, as a teacher breaks a lab): OSPF re-converges through r4.
sed -e 's|r1-eth0: { addresses: \[10.0.12.1/24\] }|r1-eth0: { addresses: [10.0.12.1/24], state: down }|' \
    -e 's|name: r1 reaches r3 through r2, from: r1, to: 10.0.34.3, via: 10.0.12.2|name: r1 reaches r3 through r4, from: r1, to: 10.0.34.3, via: 10.0.14.4|' \
    -e 's|from: r3, to: 10.0.12.1|from: r3, to: 10.0.14.1|' -e 's|to: 10.0.12.2, wait|to: 10.0.23.2, wait|' \
    "$file" >"$WORK/ospf-broken.yaml"
expect_rc "apply the broken link" 0 "$NSTOPO" apply "$WORK/ospf-broken.yaml"
expect_contains "only the link changes" "r1-eth0" "$WORK/out"
if grep -q "process" "$WORK/out"; then fail "the daemons were restarted"; cat "$WORK/out" >&2; else pass; fi
expect_rc "the checks re-converge over the other path" 0 "$NSTOPO" check "$WORK/ospf-broken.yaml"
expect_contains "r1 reaches r3 through r4" "r1 reaches r3 through r4" "$WORK/out"

expect_rc "apply the repaired lab" 0 "$NSTOPO" apply "$file"
expect_rc "back through r2" 0 "$NSTOPO" check "$file"
expect_eq "the same eight daemons" 8 "$(daemons)"

expect_rc "destroy" 0 "$NSTOPO" destroy ospf
expect_eq "no daemon is left" 0 "$(daemons)"
expect_eq "the kernel is as before" "$before" "$(kernel_snapshot)"
finish
