# A lab that runs its own programs (topologies/web.yaml: a web server in srv, reached from cli
# through rtr): plan shows the command first, apply starts it last, the client fetches a page
# through the router, status and logs show it, a no-op apply touches nothing, a server killed
# by hand is restarted by the next apply, an edited definition restarts it, and destroy stops it
# (and a daemon that forked away) before the namespaces go, leaving no process, no mount and no
# log behind. Runs in root and rootless mode (NSTOPO_MODE).
source "$(dirname "$0")/lib.sh"
file="$TOPOLOGIES/web.yaml"
before=$(kernel_snapshot)
# The mount table but the namespaces' own files (bound under /run/netns in root mode).
host_mounts() { grep -v -e ' - nsfs ' -e '/netns' /proc/self/mountinfo; }
mounts_before=$(host_mounts)
[ "$MODE" = rootless ] && chmod 755 "$WORK"

# The lab's web server, as status --json reports it: "STATE PID".
web_run() {
  "$NSTOPO" status web --json | python3 -c '
import json, sys
for lab in json.load(sys.stdin)["labs"]:
    for p in lab["processes"]:
        if (p["namespace"], p["name"]) == ("srv", "web"):
            print(p["state"], p["pid"])'
}

# Fetches the page from cli; the server may still be binding its socket just after apply, so
# a few tries (a bound for a broken server, not a timing assertion).
fetch() {
  in_ns cli python3 -c '
import sys, time, urllib.request
for attempt in range(50):
    try:
        print(urllib.request.urlopen("http://10.0.2.1:8080/", timeout=2).read().decode())
        sys.exit(0)
    except OSError as e:
        error = e
        time.sleep(0.1)
print(error, file=sys.stderr)
sys.exit(1)'
}

# Live processes whose command line is `$1`, the program's directory aside (python3 may be run
# through a wrapper that execs it by its full path), of this test's user (root, or the rootless
# user): the root and rootless runs of this test run the same server at once.
mine=0
[ "$MODE" = rootless ] && mine=$ROOTLESS_UID
count_of() { ps -e -o uid=,stat=,args= | awk -v want="$1" -v uid="$mine" '$1 == uid && $2 !~ /^Z/ { $1 = ""; $2 = ""; sub(/^ +/, ""); sub(/^[^ ]*\//, ""); if ($0 == want) n++ } END { print n + 0 }'; }
server="python3 -m http.server 8080 --bind 10.0.2.1"

expect_rc "plan" 0 "$NSTOPO" plan "$file"
expect_eq "plan shows the command last" "+ start process web in srv: $server" "$(tail -n 1 "$WORK/out")"
expect_rc "apply" 0 "$NSTOPO" apply "$file"
expect_contains "apply starts it" "+ start process web in srv: $server" "$WORK/out"
expect_rc "ping across the router" 0 "$NSTOPO" check "$file"
expect_ping cli 10.0.2.1
if fetch >"$WORK/page" 2>&1; then pass; else fail "fetch the page"; cat "$WORK/page" >&2; fi
expect_contains "the page is the lab's" "hello from srv, through the router" "$WORK/page"
expect_eq "one server runs" 1 "$(count_of "$server")"
expect_eq "the host's mount table is unchanged" "$mounts_before" "$(host_mounts)"
read -r state pid <<<"$(web_run)"
expect_eq "status: running" running "$state"
expect_eq "the recorded pid is the server" "$server" "$(ps -o args= -p "$pid" | sed 's#^[^ ]*/python3 #python3 #')"
expect_rc "status" 0 "$NSTOPO" status web
expect_contains "status lists it" "process web        running, pid $pid, up" "$WORK/out"
expect_rc "logs" 0 "$NSTOPO" logs web srv/web
expect_contains "the request is in its log" '"GET / HTTP/1.1" 200' "$WORK/out"
expect_rc "logs of the one lab up, every process" 0 "$NSTOPO" logs
expect_contains "prefixed by the process" "srv/web | " "$WORK/out"
expect_rc "logs of a process the lab does not have" 4 "$NSTOPO" logs web srv/nope
expect_contains "says which it has" "has no log of process 'srv/nope'; it has: srv/web" "$WORK/err"

expect_rc "a second apply" 0 "$NSTOPO" apply "$file"
expect_contains "changes nothing" "no changes" "$WORK/out"
expect_eq "the same server" "running $pid" "$(web_run)"

# Killed by hand: drift, and the next apply starts it again.
kill -9 "$pid"
for _ in $(seq 1 100); do [ "$(count_of "$server")" = 0 ] && break; sleep 0.05; done
expect_rc "status sees it exited" 2 "$NSTOPO" status web --detailed-exitcode
expect_eq "exited" "exited $pid" "$(web_run)"
expect_rc "apply restarts it" 0 "$NSTOPO" apply "$file"
expect_contains "by starting it" "+ start process web in srv: $server" "$WORK/out"
read -r state pid2 <<<"$(web_run)"
expect_eq "running again" running "$state"
if [ "$pid2" != "$pid" ]; then pass; else fail "a new pid"; fi
if fetch >/dev/null 2>&1; then pass; else fail "fetch after the restart"; fi

# An edited definition (another variable) restarts it; a new process beside it is a daemon that
# double-forks into a session of its own, which only the namespace scan at destroy catches.
edited="$WORK/web-edited.yaml"
cp -r "$TOPOLOGIES/web-www" "$WORK/web-www"
python3 - "$file" "$edited" <<'PY'
import sys
text = open(sys.argv[1]).read()
text = text.replace('PYTHONUNBUFFERED: "1"', 'PYTHONUNBUFFERED: "1", LAB: edited')
text = text.replace("    processes:\n", "    processes:\n      daemon:\n"
                    "        command: [sh, -c, \"setsid sh -c 'exec sleep 4243' & exec sleep 4242\"]\n", 1)
open(sys.argv[2], "w").write(text)
PY
[ "$MODE" = rootless ] && chmod -R a+rX "$WORK"
expect_rc "the edited file is valid" 0 "$NSTOPO" validate "$edited"
expect_rc "plan the edit" 0 "$NSTOPO" plan "$edited"
expect_contains "restarts the server" "~ restart process web in srv: $server" "$WORK/out"
expect_contains "starts the daemon" "+ start process daemon in srv: sh -c" "$WORK/out"
expect_rc "apply the edit" 0 "$NSTOPO" apply "$edited"
read -r state pid3 <<<"$(web_run)"
expect_eq "running" running "$state"
if [ "$pid3" != "$pid2" ]; then pass; else fail "restarted with a new pid"; fi
expect_eq "one server" 1 "$(count_of "$server")"
for _ in $(seq 1 100); do [ "$(count_of "sleep 4243")" = 1 ] && break; sleep 0.05; done
expect_eq "the daemon forked away" 1 "$(count_of "sleep 4243")"
if fetch >/dev/null 2>&1; then pass; else fail "fetch after the edit"; fi

expect_rc "destroy" 0 "$NSTOPO" destroy web
expect_contains "stops the processes first" "- stop process daemon in srv" "$WORK/out"
expect_eq "no server left" 0 "$(count_of "$server")"
expect_eq "no daemon left" 0 "$(count_of "sleep 4243")"
expect_eq "no daemon parent left" 0 "$(count_of "sleep 4242")"
expect_eq "nothing of the kernel remains" "$before" "$(kernel_snapshot)"
expect_eq "the host's mount table is as before" "$mounts_before" "$(host_mounts)"
if [ "$MODE" = root ]; then
  expect_eq "no log left" "" "$(ls /run/nstopo/logs 2>/dev/null)"
fi
# `user:`: as root, the program runs as that user; a rootless session maps only root, so there
# the same file is refused by name and line, with what came before it applied and kept.
users="$WORK/users.yaml"
printf 'name: users\nnamespaces:\n  u:\n    processes:\n      p: { command: [sleep, "4244"], user: nobody }\n' > "$users"
[ "$MODE" = rootless ] && chmod a+r "$users"
if [ "$MODE" = root ]; then
  expect_rc "apply as nobody" 0 "$NSTOPO" apply "$users"
  expect_eq "runs as nobody" "nobody" "$(ps -e -o user=,args= | awk '$2 == "sleep" && $3 == "4244" { print $1 }')"
else
  expect_rc "apply as nobody, rootless" 1 "$NSTOPO" apply "$users"
  expect_contains "names the process, its line and why" "$users:5:7: cannot start process 'p': user 'nobody' (uid 65534, gid 65534) has no mapping in this user namespace; a rootless session maps only root: leave \`user:\` unset, or apply the lab as root (namespace u: start process 'p'" "$WORK/err"
  expect_rc "the namespace before it stays" 0 "$NSTOPO" exec --any u -- true
fi
expect_rc "destroy users" 0 "$NSTOPO" destroy users
expect_eq "no sleep 4244 left" "" "$(ps -e -o stat=,args= | awk '$1 !~ /^Z/ && $2 == "sleep" && $3 == "4244"')"
expect_eq "nothing remains at the end" "$before" "$(kernel_snapshot)"
finish
