# `nstopo init DIR` makes a course repository whose own grading workflow passes: the files are
# there, a second init refuses and changes nothing, the workflow is a GitHub Actions workflow
# (YAML with the keys GitHub requires), and its `run:` steps, run here in the same order (the
# install step aside: the nstopo under test is on PATH; `sudo` is the test's own user),
# validate, apply, check and destroy every lab. Runs in root and rootless mode (NSTOPO_MODE).
source "$(dirname "$0")/lib.sh"
repo=$WORK/course
[ "$MODE" = rootless ] && { mkdir -p "$repo"; chown "$ROOTLESS_UID" "$repo"; }
before=$(kernel_snapshot)

expect_rc "init" 0 "$NSTOPO" init "$repo"
for f in labs/01-lan.yaml labs/02-router.yaml README.md .github/workflows/labs.yml; do
  expect_eq "init made $f" present "$([ -f "$repo/$f" ] && echo present || echo absent)"
done
expect_contains "the second lab extends the first" "extends: 01-lan.yaml" "$repo/labs/02-router.yaml"
expect_contains "the labs point at the installed schema" \
  '$schema=/usr/share/nstopo/topology.schema.json' "$repo/labs/01-lan.yaml"
printf 'my notes\n' > "$repo/README.md"
snapshot() { (cd "$repo" && find . -type f -exec sha256sum {} + | sort); }
files_before=$(snapshot)
rm "$repo/labs/02-router.yaml"
expect_rc "a second init refuses" 4 "$NSTOPO" init "$repo"
expect_contains "naming what is there" "README.md" "$WORK/err"
expect_eq "and writes nothing" "$(echo "$files_before" | grep -v 02-router)" "$(snapshot)"
rm -rf "$repo"
[ "$MODE" = rootless ] && { mkdir -p "$repo"; chown "$ROOTLESS_UID" "$repo"; }
expect_rc "init again" 0 "$NSTOPO" init "$repo"

# The workflow: its structure, then its run steps as a script, in order.
if python3 - "$repo/.github/workflows/labs.yml" "$WORK/steps.sh" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
assert isinstance(wf.get("name"), str), "a workflow needs a name"
assert on and "push" in on, "it runs on push"
jobs = wf["jobs"]
assert jobs, "jobs"
script = ["set -euo pipefail"]
for name, job in jobs.items():
    assert "runs-on" in job, f"job {name} needs runs-on"
    assert job["steps"], f"job {name} needs steps"
    for step in job["steps"]:
        assert ("uses" in step) != ("run" in step), f"a step has one of uses and run: {step}"
        if "run" in step and step.get("id") != "install":
            script.append("( " + step["run"] + "\n)")
open(sys.argv[2], "w").write("\n".join(script) + "\n")
PY
then pass; else fail "the workflow's structure"; fi
bin=$WORK/bin
mkdir -p "$bin"
printf '#!/bin/sh\nexec "$@"\n' > "$bin/sudo"
chmod 755 "$bin/sudo"
steps=(env PATH="$bin:$PATH" bash -c "cd '$repo' && bash '$WORK/steps.sh'")
if [ "$MODE" = rootless ]; then
  # A student without root: the whole workflow as the user, `sudo` a no-op, nstopo rootless.
  ln -s "$REAL_NSTOPO" "$bin/nstopo"
  chown -R "$ROOTLESS_UID" "$repo"
  expect_rc "the workflow's steps pass" 0 as_user "$ROOTLESS_UID" "${steps[@]}"
else
  ln -s "$NSTOPO" "$bin/nstopo"
  expect_rc "the workflow's steps pass" 0 "${steps[@]}"
fi
expect_contains "each lab's checks ran" "check: 3 of 3 checks held" "$WORK/out"
expect_eq "a report per lab" "01-lan.xml 02-router.xml" "$(ls "$repo/reports" | tr '\n' ' ' | sed 's/ $//')"
expect_contains "a JUnit report" '<testsuite name="course"' "$repo/reports/02-router.xml"
expect_eq "the kernel is as before" "$before" "$(kernel_snapshot)"
finish
