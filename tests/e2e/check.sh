# nstopo check: refuses a lab that is not applied, fails (exit 1) when a check does not hold, one
# line per check and a summary; --json and --junit (well-formed, right counts). Pings only inside
# the lab this test applies in its sandbox.
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/two-routers.yaml"
before=$(kernel_snapshot)

expect_rc "check before apply" 4 "$NSTOPO" check "$file"
expect_contains "says the lab is not applied" "lab 'two-routers' is not applied" "$WORK/err"

expect_rc "apply" 0 "$NSTOPO" apply "$file"

# The same lab with checks of which four must fail.
failing="$WORK/two-routers.yaml"
sed '/^checks:/,$d' "$file" > "$failing"
cat >> "$failing" <<'EOF'
checks:
  - { from: ns01, to: 10.0.0.1 }
  - { from: ns01, to: 10.0.0.1, expect: unreachable }
  - { from: ns01, to: 10.0.0.1, via: 192.168.0.9 }
  - { from: ns01, to: 192.168.0.254, via: 192.168.0.254 }
  - { from: ns01, to: 10.0.0.77 }
EOF
expect_rc "failing checks exit 1" 1 "$NSTOPO" check --junit "$WORK/junit.xml" "$failing"
# Timings vary: each becomes T.
expect_eq "one line per check, then the summary" \
"✓ ns01 -> 10.0.0.1: expected reachable, got reply in T ms (T ms)
✗ ns01 -> 10.0.0.1: expected unreachable, got reply in T ms (T ms)
✗ ns01 -> 10.0.0.1 via 192.168.0.9: expected reachable via 192.168.0.9, got first hop 192.168.0.254 (ns01-veth0), reply in T ms (T ms)
✗ ns01 -> 192.168.0.254 via 192.168.0.254: expected reachable via 192.168.0.254, got direct (no gateway) on ns01-veth0, reply in T ms (T ms)
✗ ns01 -> 10.0.0.77: expected reachable, got no reply (T ms)
check: 4 of 5 checks failed (T s)" "$(sed -E 's/[0-9]+\.[0-9]+ (ms|s)\b/T \1/g' "$WORK/out")"

# All five run at once: well under five timeouts of 1 s.
elapsed=$(sed -nE 's/^check: .*\(([0-9.]+) s\)$/\1/p' "$WORK/out")
if python3 -c "import sys; sys.exit(0 if float('$elapsed') < 2.5 else 1)"; then pass; else
  fail "checks ran one after another ($elapsed s)"; fi

if python3 - "$WORK/junit.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = root.findall("testsuite")
cases = root.findall("testsuite/testcase")
failed = [c for c in cases if c.find("failure") is not None]
assert root.tag == "testsuites", root.tag
assert len(suites) == 1 and suites[0].get("name") == "two-routers", suites
assert len(cases) == 5 and len(failed) == 4, (len(cases), len(failed))
assert root.get("tests") == "5" and root.get("failures") == "4", root.attrib
assert cases[0].find("failure") is None and cases[0].get("name") == "ns01 -> 10.0.0.1"
assert "two-routers.yaml:" in failed[0].find("failure").text, failed[0].find("failure").text
EOF
then pass; else fail "the JUnit report"; cat "$WORK/junit.xml" >&2; fi

# A router that cannot deliver says so: router02 answers "host unreachable" (from its address
# towards ns01) once neighbour discovery for 10.0.0.77 gives up, about 3 s; check reports who said
# it and stops waiting then, well before its 6 s timeout.
sed '/^checks:/,$d' "$file" > "$failing"
echo 'checks: [{ from: ns01, to: 10.0.0.77 }]' >> "$failing"
expect_rc "an unreachable host" 1 "$NSTOPO" check --timeout 6000 --tries 1 "$failing"
expect_contains "router02 said so" "got destination unreachable from 172.16.0.2" "$WORK/out"
if grep -qE '^check: 1 of 1 check failed \([0-5]\.[0-9]+ s\)$' "$WORK/out"; then pass; else
  fail "check waited on after the router's answer"; cat "$WORK/out" >&2; fi

# The lab's own checks, as JSON.
expect_rc "the lab's checks hold" 0 "$NSTOPO" check --json "$file"
if python3 - "$WORK/out" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["lab"] == "two-routers" and j["passed"] is True and j["failed"] == 0, j
assert j["total"] == 5 and all(c["held"] for c in j["checks"]), j
assert j["checks"][0]["source"] == "192.168.0.1" and j["checks"][0]["via"] == "192.168.0.254"
EOF
then pass; else fail "check --json"; cat "$WORK/out" >&2; fi

# A router that stops forwarding breaks the checks across it, and check says so.
ip netns exec router01 sysctl -qw net.ipv4.ip_forward=0
expect_rc "checks fail without forwarding" 1 "$NSTOPO" check --timeout 500 "$file"
expect_contains "the path across is gone" "✗ ns01 -> 10.0.0.1 from 192.168.0.1 via 192.168.0.254" "$WORK/out"
expect_rc "apply repairs forwarding" 0 "$NSTOPO" apply "$file"
expect_rc "and the checks hold again" 0 "$NSTOPO" check "$file"

expect_rc "destroy" 0 "$NSTOPO" destroy two-routers
expect_rc "check after destroy" 4 "$NSTOPO" check "$file"
expect_eq "nothing remains" "$before" "$(kernel_snapshot)"
finish
