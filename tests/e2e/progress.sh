# apply and destroy on a terminal show one updating line (stage or phase, operations done of
# the total, elapsed); piped, with -v or --no-progress, one line per operation and no control
# character.
source "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
lab=$TOPOLOGIES/two-routers.yaml

# on_terminal OUT ARGS...: nstopo ARGS on a pseudo-terminal, everything it printed in OUT.
on_terminal() { local out=$1; shift; python3 "$here/pty_run.py" "$out" "$NSTOPO" "$@"; }

# The bytes of FILE as Python sees them, with \r and escapes shown.
shown() { python3 -c 'import sys; print(repr(open(sys.argv[1], "rb").read()))' "$1"; }

# updating_line WHAT FILE VERB: FILE holds one line redrawn in place (several \r, each redraw
# "VERB: PHASE DONE/TOTAL, S s" followed by erase-to-end), then the summary on a line of its own.
updating_line() {
  local what=$1 file=$2 verb=$3
  if python3 - "$file" "$verb" <<'PY'; then pass; else fail "$what: not one updating line"; shown "$file" >&2; fi
import re, sys
data = open(sys.argv[1], "rb").read().decode()
verb = sys.argv[2]
data = data.replace("\r\n", "\n")              # the terminal's own line ending
lines = data.split("\n")
assert lines[-1] == "", "output ends with a newline"
assert len(lines) == 2, f"{len(lines) - 1} lines, expected 1 (the updating line ends erased)"
redraws = lines[0].split("\r")[1:]
assert len(redraws) >= 3, f"{len(redraws)} redraws"
erase = "\x1b[K"
pattern = re.compile(rf"{verb}: [a-z]+ \d+/(\d+), \d+\.\d s")
totals = set()
for r in redraws[:-1]:
    assert r.endswith(erase), f"redraw {r!r} does not erase the rest of the line"
    m = pattern.fullmatch(r[: -len(erase)])
    assert m, f"redraw {r!r}"
    totals.add(m.group(1))
assert len(totals) == 1, f"the total changed: {totals}"
phases = {r.split()[1] for r in redraws[:-1]}
assert "verifying" in phases, phases
assert redraws[-1].startswith(erase) and redraws[-1][len(erase):].startswith(f"{verb}: "), redraws[-1]
PY
}

# no_control WHAT FILE: no byte below 0x20 but newline.
no_control() {
  if python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
sys.exit(any(b < 0x20 and b != 0x0a for b in data))' "$2"; then pass; else
    fail "$1: control characters"; shown "$2" >&2
  fi
}

on_terminal "$WORK/apply" apply "$lab" || fail "apply on a terminal: exit $?"
updating_line "apply on a terminal" "$WORK/apply" apply
expect_contains "apply summary" "verified: the kernel matches" "$WORK/apply"
on_terminal "$WORK/noop" apply "$lab" || fail "no-op apply on a terminal"
expect_eq "a no-op apply draws no line" "lab two-routers: no changes" "$(tr -d '\r' <"$WORK/noop")"
on_terminal "$WORK/destroy" destroy two-routers || fail "destroy on a terminal: exit $?"
updating_line "destroy on a terminal" "$WORK/destroy" destroy

# Piped: one line per operation, no control characters.
"$NSTOPO" apply "$lab" >"$WORK/piped" 2>&1 || fail "piped apply"
no_control "piped apply" "$WORK/piped"
expect_contains "piped apply lists operations" "+ create namespace ns01" "$WORK/piped"
"$NSTOPO" destroy two-routers >"$WORK/piped" 2>&1 || fail "piped destroy"
no_control "piped destroy" "$WORK/piped"
expect_contains "piped destroy lists operations" "- delete namespace ns01" "$WORK/piped"

# On a terminal with --no-progress or -v: one line per operation, no \r.
# Colour is allowed on a terminal, except with --no-progress: NO_COLOR is unset for these runs, and
# only -v may colour its lines.
for option in --no-progress -v; do
  env -u NO_COLOR python3 "$here/pty_run.py" "$WORK/lines" "$NSTOPO" apply "$option" "$lab" ||
    fail "apply $option on a terminal"
  tr -d '\r' <"$WORK/lines" >"$WORK/lines.n"  # the terminal's CR LF
  expect_contains "apply $option lists operations" "+ create namespace ns01" "$WORK/lines.n"
  # The terminal ends each line with CR LF; any other CR, or an escape other than a colour, is a
  # redraw; with --no-progress there is no escape at all.
  if python3 -c '
import re, sys
data = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
if sys.argv[2] == "-v":
    data = re.sub(rb"\x1b\[[0-9;]*m", b"", data)
sys.exit(b"\r" in data or b"\x1b" in data)' "$WORK/lines" "$option"; then pass; else
    fail "apply $option on a terminal: control characters"; shown "$WORK/lines" >&2
  fi
  "$NSTOPO" destroy -q two-routers || fail "destroy after $option"
done

# A failed apply keeps the line it reached and ends it, so the error starts on a line of its own.
cat >"$WORK/bad.yaml" <<'YAML'
name: bad
namespaces:
  ns01:
    interfaces: { ns01-veth0: { addresses: [192.168.0.1/24] } }
    processes: { broken: { command: [/nonexistent/program] } }
  ns02:
    interfaces: { ns02-veth0: { addresses: [192.168.0.2/24] } }
veths:
  - [ns01/ns01-veth0, ns02/ns02-veth0]
YAML
chmod 644 "$WORK/bad.yaml"
if on_terminal "$WORK/failed" apply "$WORK/bad.yaml"; then fail "apply of a program that cannot start"; fi
if python3 - "$WORK/failed" <<'PY'; then pass; else fail "failed apply: the error does not start its own line"; shown "$WORK/failed" >&2; fi
import sys
data = open(sys.argv[1], "rb").read().decode().replace("\r\n", "\n")
line, rest = data.split("\n", 1)
assert line.startswith("\rapply: ") and line.rstrip("\r").endswith("\x1b[K"), line
last = line.split("\r")[-1]
assert last.startswith("apply: processes "), last
assert rest.startswith("nstopo: ") or rest.startswith("bad.yaml") or "/nonexistent/program" in rest.split("\n")[0], rest
PY
"$NSTOPO" destroy -q bad || fail "destroy bad"
finish
