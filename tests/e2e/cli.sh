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

# A file that runs a program validates; --no-processes refuses it, located, in every command;
# plan shows the command it would run, and changes nothing.
printf 'name: runs\nnamespaces:\n  a:\n    processes:\n      p: { command: [sleep, "1"] }\n' > "$WORK/runs.yaml"
expect_rc "validate a file with a process" 0 "$NSTOPO" validate "$WORK/runs.yaml"
for cmd in validate plan apply; do
  expect_rc "$cmd --no-processes" 3 "$NSTOPO" --no-processes "$cmd" "$WORK/runs.yaml"
  expect_contains "$cmd --no-processes names it" "$WORK/runs.yaml:5:7: error: process 'p' in namespace 'a': processes are refused (--no-processes)" "$WORK/err"
done
expect_rc "plan of a file with a process" 0 "$NSTOPO" plan "$WORK/runs.yaml"
expect_eq "plan shows its command last" "+ start process p in a: sleep 1" "$(tail -n 1 "$WORK/out")"
expect_rc "plan --json of it" 0 "$NSTOPO" plan --json "$WORK/runs.yaml"
expect_eq "as a start-process operation of the processes phase" "start-process processes a p" "$(python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))["operations"][-1]
print(o["kind"], o["phase"], o["namespace"], o["object"])' "$WORK/out")"
expect_eq "files with processes change nothing" "$before" "$(kernel_snapshot)"

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

# A command that takes one file refuses a second; nothing is silently ignored.
for cmd in plan apply graph; do
  expect_rc "$cmd of two files" 4 "$NSTOPO" "$cmd" "$TOPOLOGIES/pair.yaml" "$TOPOLOGIES/ring.yaml"
  expect_contains "$cmd names the extra file" "The following argument was not expected: $TOPOLOGIES/ring.yaml" "$WORK/err"
done
expect_eq "two files applied nothing" "$before" "$(kernel_snapshot)"
# check takes several files, but every lab must be up before a check runs.
expect_rc "check of two labs, neither up" 4 "$NSTOPO" check "$TOPOLOGIES/pair.yaml" "$TOPOLOGIES/ring.yaml"
expect_contains "check names the first lab not applied" "lab 'pair' is not applied" "$WORK/err"
expect_rc "validate takes several" 0 "$NSTOPO" validate "$TOPOLOGIES/pair.yaml" "$TOPOLOGIES/ring.yaml"
expect_eq "one line per file" 2 "$(wc -l < "$WORK/out")"

# Global options anywhere on the line.
expect_rc "apply" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml" -q
expect_eq "-q after the file: quiet" "" "$(cat "$WORK/out")"
expect_rc "destroy -q NAME" 0 "$NSTOPO" destroy -q pair
expect_eq "quiet destroy" "" "$(cat "$WORK/out")"
expect_eq "and it is gone" "" "$(ip netns list)"
expect_rc "--state-dir after the command" 0 "$NSTOPO" status --state-dir "$WORK/state"
expect_eq "another state directory, no lab" "no lab is up" "$(cat "$WORK/out")"

# An unknown command names the commands and the nearest one; help works.
expect_rc "misspelt command" 4 "$NSTOPO" aply "$TOPOLOGIES/pair.yaml"
expect_eq "suggests apply" "nstopo: unknown command 'aply'; did you mean 'apply'?
commands: validate, plan, apply, destroy, status, logs, check, exec, shell, import, graph, init, help, completion (nstopo help COMMAND)" "$(cat "$WORK/err")"
expect_rc "unknown command without a near one" 4 "$NSTOPO" frobnicate
expect_contains "lists the commands" "commands: validate, plan," "$WORK/err"
expect_rc "help" 0 "$NSTOPO" help
expect_contains "help lists apply" "apply" "$WORK/out"
expect_rc "help apply" 0 "$NSTOPO" help apply
expect_contains "help apply shows its options" "--dry-run" "$WORK/out"
expect_rc "help of an unknown command" 4 "$NSTOPO" help aply
expect_contains "suggests" "did you mean 'apply'?" "$WORK/err"

# Plurals.
expect_rc "validate a one-veth lab" 0 "$NSTOPO" validate "$TOPOLOGIES/pair.yaml"
expect_eq "singular" "$TOPOLOGIES/pair.yaml: ok (lab pair, 2 namespaces, 1 veth)" "$(cat "$WORK/out")"
printf 'name: solo\nnamespaces:\n  only: {}\n' > "$WORK/solo.yaml"
expect_rc "validate one namespace" 0 "$NSTOPO" validate "$WORK/solo.yaml"
expect_eq "singular namespace, no veths" "$WORK/solo.yaml: ok (lab solo, 1 namespace, 0 veths)" "$(cat "$WORK/out")"

# validate --json: the diagnostics as objects.
expect_rc "validate --json of a bad and a good file" 3 "$NSTOPO" validate --json "$WORK/bad.yaml" "$TOPOLOGIES/pair.yaml"
expect_eq "validate json" "False
$WORK/bad.yaml False None
$WORK/bad.yaml 3 3 error namespace name 'a/b' contains '/'
$TOPOLOGIES/pair.yaml True pair" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["valid"])
for f in d["files"]:
    print(f["file"], f["valid"], f["lab"])
    for g in f["diagnostics"]:
        print(g["file"], g["line"], g["column"], g["severity"], g["message"])' "$WORK/out")"
expect_rc "validate --json of a good file" 0 "$NSTOPO" validate --json "$TOPOLOGIES/pair.yaml"

# destroy of a name no lab ever had is a usage error listing the labs up; of a lab that was up
# and is gone, "nothing to destroy".
expect_rc "apply pair" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_rc "destroy a name never applied" 4 "$NSTOPO" destroy nosuchlab
expect_eq "lists the labs up" "nstopo: no lab 'nosuchlab' was ever applied here; the labs up:
  pair" "$(cat "$WORK/err")"
expect_rc "destroy pair" 0 "$NSTOPO" destroy pair
expect_rc "destroy pair again" 0 "$NSTOPO" destroy pair
expect_eq "says it is not up" "nothing to destroy (lab pair is not up)" "$(cat "$WORK/out")"
expect_rc "destroy a name never applied, nothing up" 4 "$NSTOPO" destroy nosuchlab
expect_eq "says so" "nstopo: no lab 'nosuchlab' was ever applied here; no lab is up" "$(cat "$WORK/err")"

# status says what drift is measured against, and when the file differs from what was applied.
cp "$TOPOLOGIES/pair.yaml" "$WORK/pair.yaml"
expect_rc "apply a copy" 0 "$NSTOPO" apply "$WORK/pair.yaml"
expect_rc "status in sync" 0 "$NSTOPO" status --detailed-exitcode
expect_contains "against its file" "in sync with its file" "$WORK/out"
sed -i 's|192.168.0.1/24|192.168.0.11/24|' "$WORK/pair.yaml"
expect_rc "status after the file changed" 0 "$NSTOPO" status --detailed-exitcode
expect_contains "against what was applied" "in sync with what was applied" "$WORK/out"
expect_contains "says the file changed" "$WORK/pair.yaml has changed since it was applied: \`nstopo plan $WORK/pair.yaml\` shows what apply would do now" "$WORK/out"
expect_rc "status json" 0 "$NSTOPO" status --json
expect_eq "source_file changed" "changed" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["labs"][0]["source_file"])' "$WORK/out")"
rm "$WORK/pair.yaml"
expect_rc "status after the file is gone" 0 "$NSTOPO" status
expect_contains "says it is gone" "$WORK/pair.yaml is gone: \`nstopo destroy pair\` still works from what was applied" "$WORK/out"
ip -n ns01 link set ns01-veth0 down
expect_rc "status --detailed-exitcode with drift" 2 "$NSTOPO" status --detailed-exitcode
expect_contains "drift against what was applied" "drift from what was applied (nstopo apply would do):" "$WORK/out"
expect_rc "destroy" 0 "$NSTOPO" destroy pair
expect_rc "status --detailed-exitcode of a lab not up" 1 "$NSTOPO" status --detailed-exitcode pair
finish
