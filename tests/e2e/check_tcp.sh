# nstopo check with `tcp:` and `wait:` checks (root, and rootless with NSTOPO_MODE=rootless): a
# connection to a listener the test starts in the lab (python3 -m http.server through nstopo
# exec, stopped after), a refused port, no route, a wait that holds once the listener is up, and
# answers that are certain at once. Traffic only between the lab's own namespaces.
source "$(dirname "$0")/lib.sh"
before=$(kernel_snapshot)

# cli reaches srv's subnet through r1, and nothing else: srv's loopback address 10.0.9.1 is the
# lab's, but cli has no route to it.
lab="$WORK/tcp-checks.yaml"
cat > "$lab" <<'EOF2'
name: tcp-checks
namespaces:
  cli:
    interfaces:
      cli0: { addresses: [10.0.1.1/24] }
    routes:
      - { to: 10.0.2.0/24, via: 10.0.1.254 }
  r1:
    forwarding: true
    interfaces:
      r1-a: { addresses: [10.0.1.254/24] }
      r1-b: { addresses: [10.0.2.254/24] }
  srv:
    interfaces:
      lo: { addresses: [10.0.9.1/32] }
      srv0: { addresses: [10.0.2.10/24] }
    routes:
      - { to: default, via: 10.0.2.254 }
veths:
  - [cli/cli0, r1/r1-a]
  - [r1/r1-b, srv/srv0]
checks:
EOF2
# with_checks NAME CHECK...: the lab with these checks, as $WORK/NAME.yaml.
with_checks() {
  local name=$1; shift
  { cat "$lab"; printf '  - %s\n' "$@"; } > "$WORK/$name.yaml"
}

expect_rc "apply" 0 "$NSTOPO" apply "$lab"

# The listener: started in srv through nstopo exec; it writes its pid into a directory the
# unprivileged user of rootless mode can write to (as the JUnit report goes).
mkdir -m 777 "$WORK/shared"
"$NSTOPO" exec srv -- sh -c "echo \$\$ > $WORK/shared/pid; exec python3 -m http.server 8080 --bind 10.0.2.10" \
  >"$WORK/shared/log" 2>&1 &
launcher=$!
listener=""
# Whatever happens to the test, the listener does not outlive it.
stop_listener() {
  [ -n "$listener" ] || listener=$(cat "$WORK/shared/pid" 2>/dev/null) || return 0
  kill "$listener" 2>/dev/null || true
  wait "$launcher" 2>/dev/null || true
}
trap stop_listener EXIT

# wait: the check holds as soon as the listener is up (python takes a moment to start).
with_checks waiting "{ from: cli, to: 10.0.2.10, tcp: 8080, wait: 30 }"
expect_rc "a wait check holds once the listener is up" 0 "$NSTOPO" check "$WORK/waiting.yaml"
listener=$(cat "$WORK/shared/pid")
if grep -qE '^✓ cli -> 10\.0\.2\.10 tcp 8080: expected reachable, got connected in [0-9.]+ ms, held after [0-9.]+ s \([0-9]+ tr(y|ies)\) \([0-9.]+ ms\)$' "$WORK/out"
then pass; else fail "the wait check's line"; cat "$WORK/out" >&2; fi

with_checks holding \
  "{ from: cli, to: 10.0.2.10, tcp: 8080 }" \
  "{ from: cli, to: 10.0.2.10, tcp: 8080, source: 10.0.1.1, via: 10.0.1.254 }" \
  "{ from: cli, to: 10.0.2.10, tcp: 8081, expect: unreachable }" \
  "{ from: cli, to: 10.0.9.1, tcp: 80, expect: unreachable }" \
  "{ from: cli, to: 10.0.9.1, expect: unreachable }" \
  "{ from: srv, to: 10.0.9.1, tcp: 8080, expect: unreachable }"
# A timeout of 20 s per check: the unreachable ones can only end before it by a certain answer,
# which their lines name.
expect_rc "tcp checks hold" 0 "$NSTOPO" check --timeout 20000 --junit "$WORK/shared/junit.xml" "$WORK/holding.yaml"
expect_eq "one line per check, then the summary" \
"✓ cli -> 10.0.2.10 tcp 8080: expected reachable, got connected in T ms (T ms)
✓ cli -> 10.0.2.10 tcp 8080 from 10.0.1.1 via 10.0.1.254: expected reachable via 10.0.1.254, got first hop 10.0.1.254 (cli0), connected in T ms (T ms)
✓ cli -> 10.0.2.10 tcp 8081: expected unreachable, got refused (T ms)
✓ cli -> 10.0.9.1 tcp 80: expected unreachable, got no route (T ms)
✓ cli -> 10.0.9.1: expected unreachable, got Network is unreachable (T ms)
✓ srv -> 10.0.9.1 tcp 8080: expected unreachable, got refused (T ms)
check: 6 of 6 checks held (T s)" "$(sed -E 's/[0-9]+\.[0-9]+ (ms|s)\b/T \1/g' "$WORK/out")"
if python3 - "$WORK/shared/junit.xml" <<'EOF2'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall("testsuite/testcase")
assert root.get("tests") == "6" and root.get("failures") == "0", root.attrib
assert cases[0].get("name") == "cli -> 10.0.2.10 tcp 8080", cases[0].attrib
EOF2
then pass; else fail "the JUnit report"; cat "$WORK/shared/junit.xml" >&2; fi

# The same connection expected closed fails, and says it connected; JSON names the port.
with_checks failing "{ from: cli, to: 10.0.2.10, tcp: 8080, expect: unreachable }" \
  "{ from: cli, to: 10.0.2.10, tcp: 8081 }"
expect_rc "a tcp check that does not hold" 1 "$NSTOPO" check --json "$WORK/failing.yaml"
if python3 - "$WORK/out" <<'EOF2'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["passed"] is False and j["failed"] == 2, j
first, second = j["checks"]
assert first["tcp"] == 8080 and first["happened"].startswith("connected in "), first
assert second["happened"] == "refused" and second["tries"] == 1 and second["wait_s"] is None, second
EOF2
then pass; else fail "check --json of tcp checks"; cat "$WORK/out" >&2; fi

# Stop the listener: the port is refused now, and a wait check for that holds at its first try.
stop_listener
with_checks closed "{ from: cli, to: 10.0.2.10, tcp: 8080, expect: unreachable, wait: 30 }"
expect_rc "a closed port, with wait" 0 "$NSTOPO" check "$WORK/closed.yaml"
expect_contains "refused at once" "got refused, held after 0.0 s (1 try)" "$WORK/out"

# A wait that runs out: it tried more than once, and says so.
with_checks never "{ from: cli, to: 10.0.9.1, tcp: 80, wait: 1 }"
expect_rc "a wait that runs out" 1 "$NSTOPO" check "$WORK/never.yaml"
if grep -qE 'got no route, gave up after 1\.[0-9] s \(([2-9]|[1-9][0-9]+) tries\)' "$WORK/out"; then pass
else fail "the wait that ran out"; cat "$WORK/out" >&2; fi

expect_rc "destroy" 0 "$NSTOPO" destroy tcp-checks
expect_eq "nothing remains" "$before" "$(kernel_snapshot)"
# This test's own listener, by its pid: `ps -e` would also see the listener of the other mode's
# run of this test when the two run at once (the sandbox has no PID namespace).
if [ -n "$listener" ] && grep -qa 'http.server' "/proc/$listener/cmdline" 2>/dev/null; then
  fail "the listener is still running"
else pass; fi
finish
