# Rootless mode beyond the labs (labs.sh runs every lab rootless too): two users with one lab
# file at once, a session whose holder was killed, kill -9 of apply and destroy, nothing left
# after the last destroy, and the message where user namespaces are refused.
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/two-routers.yaml"
# Users of this test alone: parallel tests must not see (or pkill) each other's processes.
alice=61001 bob=61002
nstopo_as() { local uid=$1; shift; as_user "$uid" "$REAL_NSTOPO" "$@"; }
holder_of() { cat "/run/user/$1/nstopo/holder" 2>/dev/null | awk '{print $1}'; }
# A user's live processes. A killed holder is reparented to init, which reaps it on a normal
# machine; this sandbox's pid 1 may not, and a zombie holds nothing but its pid: not counted.
processes_of() { ps -u "$1" -o stat=,pid=,args= 2>/dev/null | awk '$1 !~ /^Z/' || true; }
chmod 755 "$WORK"

# Two users apply the same file at the same time; both work; neither sees the other's.
nstopo_as $alice apply "$file" >"$WORK/alice" 2>&1 &
a=$!
nstopo_as $bob apply "$file" >"$WORK/bob" 2>&1 &
b=$!
rc_a=0 rc_b=0
wait $a || rc_a=$?
wait $b || rc_b=$?
expect_eq "alice's apply" 0 "$rc_a"
expect_eq "bob's apply" 0 "$rc_b"
expect_rc "alice's checks hold" 0 nstopo_as $alice check "$file"
expect_rc "bob's checks hold" 0 nstopo_as $bob check "$file"
expect_rc "alice's status" 0 nstopo_as $alice status --json
expect_eq "alice sees her lab, rootless" "rootless two-routers" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["mode"], " ".join(l["lab"] for l in d["labs"]))' "$WORK/out")"
expect_rc "status says how to get in" 0 nstopo_as $alice status
expect_contains "names the session" "mode: rootless (session holder pid $(holder_of $alice)" "$WORK/out"
expect_eq "two holders" 2 "$( (holder_of $alice; holder_of $bob) | sort -u | wc -l)"
expect_eq "the machine has no namespace" "" "$(ip netns list)"
# Bob's namespace is not alice's: a change in one is not seen in the other.
nstopo_as $bob exec ns01 ip link set ns01-veth0 down
expect_rc "bob sees his drift" 2 nstopo_as $bob status --detailed-exitcode
expect_rc "alice is in sync" 0 nstopo_as $alice status --detailed-exitcode
expect_rc "bob repairs it" 0 nstopo_as $bob apply "$file"

# The last destroy ends the session: no process, no namespace, only the documented directory.
expect_rc "bob destroys" 0 nstopo_as $bob destroy two-routers
expect_eq "bob has no process left" "" "$(processes_of $bob)"
expect_eq "bob's session is gone" "" "$(holder_of $bob)"
expect_eq "bob's runtime directory holds only nstopo's files" "in-use
locks
session
session.lock" "$(ls /run/user/$bob/nstopo)"
expect_eq "its session mount point is empty outside the session" "" "$(ls /run/user/$bob/nstopo/session)"
expect_rc "alice's lab is untouched" 0 nstopo_as $alice check "$file"

# A holder killed with -9: its labs are gone; the next command says so and carries on.
kill -9 "$(holder_of $alice)"
sleep 0.2
expect_rc "status after the holder died" 0 nstopo_as $alice status
expect_contains "says the session ended" "had ended (its holder is gone), and its labs went with it" "$WORK/err"
expect_contains "no lab is up" "no lab is up" "$WORK/out"
expect_rc "apply starts a new session" 0 nstopo_as $alice apply "$file"
expect_rc "and it works" 0 nstopo_as $alice check "$file"

# kill -9 of apply and of destroy at a few points: the next run converges, or reports cleanly.
for ms in 2 5 10 20 40; do
  nstopo_as $alice destroy two-routers >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$(printf '%02d' $ms)"
  pkill -9 -u $alice -x nstopo 2>/dev/null || true
  wait $pid 2>/dev/null || true
  expect_rc "apply after destroy killed at ${ms} ms" 0 nstopo_as $alice apply "$file"
  nstopo_as $alice apply "$file" >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$(printf '%02d' $ms)"
  pkill -9 -u $alice -x nstopo 2>/dev/null || true
  wait $pid 2>/dev/null || true
  expect_rc "apply after apply killed at ${ms} ms" 0 nstopo_as $alice apply "$file"
  expect_rc "plan empty" 0 nstopo_as $alice plan --detailed-exitcode "$file"
done
expect_rc "alice destroys" 0 nstopo_as $alice destroy
expect_eq "alice has no process left" "" "$(processes_of $alice)"
expect_eq "the machine has no namespace" "" "$(ip netns list)"

# Where unprivileged user namespaces are refused (user.max_user_namespaces=0, set in a user
# namespace of its own so the machine's setting stays), the message says so and what to do.
expect_rc "refused user namespaces" 5 unshare --user --map-root-user sh -c \
  'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" --rootless apply "$1"' "$REAL_NSTOPO" "$file"
expect_contains "says why" "rootless mode needs an unprivileged user namespace, and this machine refuses one (user.max_user_namespaces is 0" "$WORK/err"
expect_contains "says what to do" "or run nstopo with sudo" "$WORK/err"
finish
