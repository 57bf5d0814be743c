# The command line: help, version, validate, plan output formats, exit codes. No kernel changes.
source "$(dirname "$0")/lib.sh"
expect_rc "--version" 0 "$NSTOPO" --version
expect_contains "version" "nstopo " "$WORK/out"
expect_rc "--help" 0 "$NSTOPO" --help
for cmd in validate plan apply destroy status; do
  expect_rc "$cmd --help" 0 "$NSTOPO" "$cmd" --help
done
expect_rc "no command" 4 "$NSTOPO"
expect_rc "unknown command" 4 "$NSTOPO" frobnicate

expect_rc "validate all labs" 0 "$NSTOPO" validate "$TOPOLOGIES"/*.yaml
expect_contains "validate says ok" "two-routers.yaml: ok (lab two-routers, 4 namespaces, 3 veths)" "$WORK/out"

printf 'name: bad\nnamespaces:\n  a/b: {}\n' > "$WORK/bad.yaml"
before=$(kernel_snapshot)
for cmd in validate plan apply; do
  expect_rc "$cmd of a bad file" 3 "$NSTOPO" "$cmd" "$WORK/bad.yaml"
  expect_contains "$cmd locates the error" "$WORK/bad.yaml:3:3: error:" "$WORK/err"
done
expect_eq "bad files change nothing" "$before" "$(kernel_snapshot)"

expect_rc "plan --json" 0 "$NSTOPO" plan --json "$TOPOLOGIES/pair.yaml"
expect_eq "plan json" "create-namespace ns01 $TOPOLOGIES/pair.yaml" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
o = d["operations"][0]
print(o["kind"], o["object"], o["source"]["file"])' "$WORK/out")"
expect_rc "apply --dry-run is plan" 0 "$NSTOPO" apply --dry-run "$TOPOLOGIES/pair.yaml"
expect_contains "dry run prints the plan" "+ create namespace ns01" "$WORK/out"
expect_eq "dry run changes nothing" "$before" "$(kernel_snapshot)"
# A reader that goes away early does not stop an apply halfway.
"$NSTOPO" apply "$TOPOLOGIES/pair.yaml" | head -1 >/dev/null
expect_rc "apply survived a closed pipe" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/pair.yaml"
expect_rc "destroy it" 0 "$NSTOPO" destroy pair
expect_rc "destroy with nothing up" 0 "$NSTOPO" destroy
expect_eq "nothing to destroy" "nothing to destroy" "$(cat "$WORK/out")"
finish
