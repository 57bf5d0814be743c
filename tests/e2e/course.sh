# A course in three labs that build on one another (topologies/course: 01-lan, 02-router extends
# it, 03-broken extends that): each applies over the one before with a plan of what changed
# only, its checks hold (the broken one's fail, with their hints), `--set` wins over `vars:`,
# and destroy leaves nothing. Runs in root and rootless mode (NSTOPO_MODE).
source "$(dirname "$0")/lib.sh"
dir=$TOPOLOGIES/course
before=$(kernel_snapshot)

expect_rc "apply 01-lan" 0 "$NSTOPO" apply "$dir/01-lan.yaml"
expect_rc "01-lan's checks hold" 0 "$NSTOPO" check "$dir/01-lan.yaml"
expect_contains "a named check" "h1 reaches h2 on the LAN" "$WORK/out"

# 02-router over 01-lan: only what is new (the router, the server, the hosts' routes).
expect_rc "plan 02-router over 01-lan" 2 "$NSTOPO" plan --detailed-exitcode "$dir/02-router.yaml"
# (in lan1, only r1's new port: up, and joined to the bridge)
if grep -E '^- |^~ .* in (h1|h2|h3|lan1)$' "$WORK/out" | grep -qv ' r1-r1-eth0 '; then
  fail "02 over 01 deletes or changes something of 01"; cat "$WORK/out" >&2
else pass; fi
expect_contains "the router is new" "+ create namespace r1" "$WORK/out"
expect_contains "h1 gets its default route" "+ add route default via 10.0.1.254 metric 0 in h1" "$WORK/out"
if grep -qE 'namespace (h1|h2|h3|lan1)$' "$WORK/out"; then fail "02 over 01 makes a namespace of 01 again"; else pass; fi
expect_rc "apply 02-router" 0 "$NSTOPO" apply "$dir/02-router.yaml"
expect_rc "02-router's checks hold" 0 "$NSTOPO" check "$dir/02-router.yaml"
expect_eq "02-router has its three checks" 3 "$(grep -c '✓' "$WORK/out")"

# 03-broken over 02-router: exactly two changes, h3's route and r1's link to the server.
expect_rc "plan 03-broken over 02-router" 2 "$NSTOPO" plan --detailed-exitcode "$dir/03-broken.yaml"
expect_eq "two operations" 2 "$(grep -cE '^[-+~] ' "$WORK/out")"
expect_contains "h3 loses its route" "- delete route default via 10.0.1.254 dev h3-eth0 metric 0 in h3" "$WORK/out"
expect_contains "r1's link to the server goes down" "~ set link r1-eth1 down in r1" "$WORK/out"
expect_rc "apply 03-broken" 0 "$NSTOPO" apply "$dir/03-broken.yaml"
expect_rc "03-broken's checks fail" 1 "$NSTOPO" check "$dir/03-broken.yaml"
expect_contains "with the hint, its variable substituted" \
  'hint: Which gateway does h3 use? `nstopo exec h3 -- ip route get 10.0.2.1`' "$WORK/out"
reports=$WORK/reports
mkdir -p "$reports"
[ "$MODE" = rootless ] && chown "$ROOTLESS_UID" "$reports"
expect_rc "check --junit" 1 "$NSTOPO" check --junit "$reports/report.xml" "$dir/03-broken.yaml"
expect_contains "the JUnit report names the check" 'name="h3 reaches the server"' "$reports/report.xml"

# Back to 02-router: the two changes undone, and --set wins over vars: (a plan only).
expect_rc "apply 02-router again" 0 "$NSTOPO" apply "$dir/02-router.yaml"
expect_rc "in sync" 0 "$NSTOPO" plan --detailed-exitcode "$dir/02-router.yaml"
expect_rc "plan with --set" 2 "$NSTOPO" plan --detailed-exitcode "$dir/02-router.yaml" --set servers=10.0.7
expect_contains "--set moves the server's subnet" "+ add address 10.0.7.1/24 to srv-eth0 in srv" "$WORK/out"
expect_rc "check two labs' files at once" 0 "$NSTOPO" check "$dir/02-router.yaml" "$dir/02-router.yaml"
expect_contains "a summary of both" "check: 2 of 2 labs held, 6 of 6 checks" "$WORK/out"

expect_rc "destroy" 0 "$NSTOPO" destroy course
expect_eq "the kernel is as before" "$before" "$(kernel_snapshot)"
finish
