# The state directory trusts no file in it: a damaged record (not JSON, a symbolic link to a FIFO
# or to /dev/zero) is its own lab's problem, named, and stops no other lab; a symbolic link at a
# temporary's or a lock file's name is never followed.
source "$(dirname "$0")/lib.sh"
labs=/run/nstopo/labs
locks=/run/nstopo/locks

# One unparseable record: every other lab still applies, plans, shows and destroys.
expect_rc "apply pair" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
printf '{not json' > "$labs/junk.json"
expect_rc "apply another lab beside a damaged record" 0 "$NSTOPO" apply "$TOPOLOGIES/pair-ns1-ns2.yaml"
expect_contains "warns, naming the file" "warning: state record \"$labs/junk.json\" is not JSON" "$WORK/err"
expect_rc "re-apply of pair" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_rc "status lists every lab" 0 "$NSTOPO" status
expect_contains "pair is in sync" "in sync with its file" "$WORK/out"
expect_contains "junk is damaged" "lab junk  [damaged]" "$WORK/out"
expect_contains "and why" "state record \"$labs/junk.json\" is not JSON" "$WORK/out"
expect_rc "status --json" 0 "$NSTOPO" status --json
expect_eq "json: damaged labs" "junk:True pair:False pair-ns1-ns2:False" "$(python3 -c '
import json, sys
print(" ".join("%s:%s" % (l["lab"], l["damaged"]) for l in json.load(open(sys.argv[1]))["labs"]))' "$WORK/out")"
expect_rc "status --detailed-exitcode: not all in sync" 2 "$NSTOPO" status --detailed-exitcode
expect_rc "status of the damaged lab" 0 "$NSTOPO" status junk
expect_contains "names the file" "labs/junk.json" "$WORK/out"
expect_rc "destroy without a name, three labs up" 4 "$NSTOPO" destroy
expect_contains "lists the damaged lab as such" "junk  (record damaged: see nstopo status junk)" "$WORK/err"
expect_contains "and the others plainly" "  pair-ns1-ns2" "$WORK/err"
expect_rc "destroy of the damaged lab stops" 1 "$NSTOPO" destroy junk
expect_contains "names the file, no internal error" "nstopo: state record \"$labs/junk.json\" is not JSON" "$WORK/err"
expect_contains "says what to do" "move the file away, then \`nstopo destroy --from-marks junk\`" "$WORK/err"
expect_rc "destroy of another lab works" 0 "$NSTOPO" destroy pair-ns1-ns2
rm "$labs/junk.json"

# A record that is a symbolic link to a FIFO (which would hang a reader) or to /dev/zero (which
# would read without end): status and destroy answer at once.
mkfifo "$WORK/fifo"
ln -s "$WORK/fifo" "$labs/fifo.json"
ln -s /dev/zero "$labs/zero.json"
expect_rc "status beside a FIFO and /dev/zero" 0 timeout 20 "$NSTOPO" status
expect_contains "the FIFO's lab is damaged" "state record \"$labs/fifo.json\" is a symbolic link" "$WORK/out"
expect_contains "so is /dev/zero's" "state record \"$labs/zero.json\" is a symbolic link" "$WORK/out"
expect_rc "destroy of the FIFO's lab" 1 timeout 20 "$NSTOPO" destroy fifo
expect_contains "names it" "state record \"$labs/fifo.json\" is a symbolic link" "$WORK/err"
expect_rc "destroy of /dev/zero's lab" 1 timeout 20 "$NSTOPO" destroy zero
expect_rc "plan of pair still works" 0 timeout 20 "$NSTOPO" plan "$TOPOLOGIES/pair.yaml"
rm "$labs/fifo.json" "$labs/zero.json"

# A symbolic link at the record's temporary name: apply writes its own temporary, never the
# link's target.
printf 'precious\n' > "$WORK/target"
ln -s "$WORK/target" "$labs/pair.json.tmp"
sed 's/192.168.0.1\/24/192.168.0.3\/24/' "$TOPOLOGIES/pair.yaml" > "$WORK/pair.yaml"
expect_rc "apply with a link at the temporary's name" 0 "$NSTOPO" apply "$WORK/pair.yaml"
expect_eq "the link's target is untouched" "precious" "$(cat "$WORK/target")"
expect_eq "no temporary left" "" "$(ls -A "$labs" | grep tmp || true)"
expect_rc "the record is the new one" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/pair.yaml"

# A dangling symbolic link at a lock file's name: apply refuses, naming it, and makes nothing
# where it points.
expect_rc "destroy pair" 0 "$NSTOPO" destroy pair
ln -sf "$WORK/made-by-the-link" "$locks/pair.lock"
before=$(kernel_snapshot)
expect_rc "apply with a link as the lock" 1 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_contains "names the lock file" "lock file \"$locks/pair.lock\" is a symbolic link" "$WORK/err"
expect_eq "nothing made where it points" "absent" "$([ -e "$WORK/made-by-the-link" ] && echo present || echo absent)"
expect_eq "nothing changed" "$before" "$(kernel_snapshot)"
rm "$locks/pair.lock"

# A read-only locks directory, as root: a read-only file system, not a call for root (exit 1).
mount -t tmpfs -o ro nstopo-ro "$locks"
expect_rc "apply with read-only locks" 1 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_contains "says read-only" "cannot open lock file \"$locks/pair.lock\": Read-only file system" "$WORK/err"
if grep -q "needs root" "$WORK/err"; then fail "read-only locks: says it needs root"; else pass; fi
umount "$locks"
expect_rc "apply once it is gone" 0 "$NSTOPO" apply "$TOPOLOGIES/pair.yaml"
expect_rc "destroy" 0 "$NSTOPO" destroy pair
expect_eq "nothing left" "" "$(ip netns list)"
finish
