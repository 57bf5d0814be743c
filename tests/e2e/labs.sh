# Every seed lab: applies, passes its pings, plans empty, re-applies with zero kernel changes,
# destroys to nothing, and destroys again with exit 0. Usage: labs.sh LAB. With
# NSTOPO_MODE=rootless (lib.sh) all of it as an unprivileged user, in that user's session.
source "$(dirname "$0")/lib.sh"
lab=$1
file="$TOPOLOGIES/$lab.yaml"

# overheard SPY FROM SRC DST MARKER: how many of 5 echo requests FROM (address SRC) sends to DST
# reach SPY's eth0 (tests/e2e/sniff.py, a raw packet socket in SPY), ended by an echo to MARKER.
overheard() {
  local spy=$1 from=$2 src=$3 dst=$4 marker=$5 pid out=$WORK/sniff-$1
  # A file of its own, made empty before the sniffer starts: a "listening" left from an earlier
  # run must not let the pings go before this sniffer listens.
  : >"$out"
  in_ns "$spy" /usr/bin/python3 "$(dirname "$0")/sniff.py" eth0 "$src" "$dst" "$marker" \
    >>"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 400); do grep -q listening "$out" && break; sleep 0.05; done
  # Both pings on one CPU: the frames then pass the kernel's per-CPU receive queues in the order
  # they were sent, so the marker cannot overtake the last echo on its way to the spy.
  in_ns "$from" taskset -c 0 ping -c 5 -i 0.2 -W 2 "$dst" >/dev/null 2>&1 ||
    fail "ping from $from to $dst"
  in_ns "$from" taskset -c 0 ping -b -c 1 -W 1 "$marker" >/dev/null 2>&1 || true
  wait "$pid" || fail "sniffing in $spy: $(cat "$out")"
  echo "$spy: $(tail -2 "$out" | head -1)" >&2
  tail -1 "$out"
}

before=$(kernel_snapshot)
# The machine's own forwarding stays off in the sandbox: routers must turn it on themselves.
echo 0 > /proc/sys/net/ipv4/ip_forward

expect_rc "apply $lab" 0 "$NSTOPO" apply "$file"
expect_contains "apply verifies" "verified: the kernel matches" "$WORK/out"
if [ "$lab" = hub-vs-switch ]; then
  # The switch side of `lans:`, by the names the README documents.
  expect_contains "the switch namespace" "+ create namespace switch" "$WORK/out"
  expect_contains "a member's veth" "+ create veth h1/eth0 <-> switch/h1-eth0" "$WORK/out"
  expect_contains "the hub's bridge" "+ create bridge br0 in hub" "$WORK/out"
  expect_contains "a port" "~ set master of spy2-eth0 br0 in hub" "$WORK/out"
fi
# The lab's own checks (ICMP echo and route lookups from inside its namespaces) all hold.
expect_rc "check $lab" 0 "$NSTOPO" check "$file"
expect_contains "every check held" "checks held" "$WORK/out"

case "$lab" in
  pair)
    expect_ping ns01 192.168.0.2 ;;
  pair-ns1-ns2)
    expect_ping ns1 192.0.1.2 ;;
  two-routers)
    expect_ping ns01 10.0.0.1 -I 192.168.0.1
    # TTL drops by 2, one per router (64 - 2).
    expect_contains "two routers on the path" "ttl=62" "$WORK/ping"
    expect_eq "router forwarding on" 1 "$(in_ns router01 cat /proc/sys/net/ipv4/ip_forward)"
    expect_eq "host forwarding on nothing else" 0 "$(in_ns ns01 cat /proc/sys/net/ipv4/ip_forward)"
    expect_eq "host's own forwarding untouched" 0 "$(on_host cat /proc/sys/net/ipv4/ip_forward)" ;;
  host-link)
    expect_ping netns1 10.1.1.2
    if on_host ping -c 1 -W 2 10.1.1.1 >/dev/null 2>&1; then pass; else fail "ping 10.1.1.1 from the host"; fi
    expect_ping netns1 127.0.0.1 ;;
  dual-stack)
    expect_ping h1 192.168.20.10
    expect_ping h1 2001:db8:20::10
    expect_ping h2 2001:db8:10::10 ;;
  ring)
    expect_ping r1 10.255.0.2 -I 10.255.0.1
    expect_ping r2 10.255.0.3 -I 10.255.0.2
    expect_ping r3 10.255.0.1 -I 10.255.0.3
    # The backup path: with r1's direct link down, r1 reaches r2 through r3. The first second or
    # so after the failover is lost while the new path resolves its neighbours (more on a loaded
    # machine): up to 30 tries over 6 s, any answer passes.
    in_ns r1 ip link set r1-r2 down
    expect_ping r1 10.255.0.2 -I 10.255.0.1 -c 30
    expect_rc "plan shows the drift" 2 "$NSTOPO" plan --detailed-exitcode "$file"
    expect_rc "apply repairs it" 0 "$NSTOPO" apply "$file" ;;
  office-lan)
    expect_ping pc1 10.0.1.3
    expect_ping pc1 10.0.2.20 -I 10.0.1.1
    expect_contains "one router on the path" "ttl=63" "$WORK/ping"
    expect_eq "the switch's ports" "br0 br0 br0 br0" \
      "$(in_ns sw-office ip -j link show | jq -r '[.[] | select(.master) | .master] | join(" ")')"
    # Drift, each shown by plan and repaired by apply: a port detached by hand, the bridge
    # deleted by hand, a hand-made bridge in a lab namespace, hub mode set by hand.
    in_ns sw-office ip link set p-pc2 nomaster
    expect_rc "plan shows the detached port" 2 "$NSTOPO" plan --detailed-exitcode "$file"
    expect_contains "plan attaches it again" "~ set master of p-pc2 br0 in sw-office" "$WORK/out"
    expect_rc "apply repairs the port" 0 "$NSTOPO" apply "$file"
    expect_ping pc2 10.0.1.1
    in_ns sw-lab ip link del br0
    expect_rc "plan shows the missing bridge" 2 "$NSTOPO" plan --detailed-exitcode "$file"
    expect_contains "plan creates it again" "+ create bridge br0 in sw-lab" "$WORK/out"
    expect_rc "apply repairs the bridge" 0 "$NSTOPO" apply "$file"
    expect_ping printer 10.0.2.20
    in_ns pc1 ip link add br9 type bridge
    expect_rc "plan shows the hand-made bridge" 2 "$NSTOPO" plan --detailed-exitcode "$file"
    expect_contains "plan deletes it" "- delete link br9 in pc1" "$WORK/out"
    in_ns sw-office ip link set br0 type bridge ageing_time 0
    expect_rc "plan shows hub mode set by hand" 2 "$NSTOPO" plan --detailed-exitcode "$file"
    expect_contains "plan sets the ageing time back" \
      "~ set bridge br0 stp off, ageing time 300 s in sw-office" "$WORK/out"
    expect_rc "apply repairs both" 0 "$NSTOPO" apply "$file"
    expect_eq "hand-made bridge gone" "" "$(in_ns pc1 ip -br link show type bridge)"
    expect_eq "ageing time back" 30000 \
      "$(in_ns sw-office ip -j -d link show br0 | jq '.[0].linkinfo.info_data.ageing_time')"
    # The LAN of the `lans:` shorthand: a port detached by hand is drift that status shows and
    # apply repairs; an edit that takes a member off the LAN converges with a minimal plan.
    expect_eq "the shorthand's ports" "printer-eth0 router-eth1 server-eth0" \
      "$(in_ns sw-lab ip -j link show master br0 | jq -r '[.[].ifname] | sort | join(" ")')"
    in_ns sw-lab ip link set server-eth0 nomaster
    expect_rc "status shows the detached LAN port" 2 "$NSTOPO" status --detailed-exitcode
    expect_contains "status names it" "~ set master of server-eth0 br0 in sw-lab" "$WORK/out"
    expect_contains "status lists the LAN's switch" \
      "namespace sw-lab  (switch of LAN sw-lab: printer/eth0 server/eth0 router/eth1)" "$WORK/out"
    expect_rc "status --json" 2 "$NSTOPO" status --json --detailed-exitcode
    expect_eq "status --json names the LAN's members and ports" \
      "printer/eth0 printer-eth0 server/eth0 server-eth0 router/eth1 router-eth1" \
      "$(jq -r '[.labs[0].lans["sw-lab"][] | .member, .port] | join(" ")' "$WORK/out")"
    expect_rc "apply repairs the LAN port" 0 "$NSTOPO" apply "$file"
    expect_ping printer 10.0.2.20
    # An edit: a new host joins the LAN (a namespace and one member more).
    sed -e 's/^  sw-lab: \[printer\/eth0, server\/eth0, router\/eth1\]$/  sw-lab: [printer\/eth0, server\/eth0, router\/eth1, pc9\/eth0]/' \
      -e 's/^namespaces:$/namespaces:\n  pc9: { interfaces: { eth0: { addresses: [10.0.2.30\/24] } } }/' \
      "$file" >"$WORK/office-lan.yaml"
    expect_rc "plan of the edited LAN" 2 "$NSTOPO" plan --detailed-exitcode "$WORK/office-lan.yaml"
    expect_contains "it makes the new member's veth" "+ create veth pc9/eth0 <-> sw-lab/pc9-eth0" \
      "$WORK/out"
    expect_contains "and attaches its port" "~ set master of pc9-eth0 br0 in sw-lab" "$WORK/out"
    expect_eq "and removes nothing" "" "$(grep '^-' "$WORK/out" || true)"
    expect_rc "apply the edited LAN" 0 "$NSTOPO" apply "$WORK/office-lan.yaml"
    expect_ping pc9 10.0.2.10
    expect_rc "apply the file again" 0 "$NSTOPO" apply "$file"
    expect_contains "which deletes the new host" "- delete namespace pc9" "$WORK/out"
    expect_ping printer 10.0.2.20 ;;
  hub-vs-switch)
    expect_ping h1 10.0.1.2
    expect_ping h4 10.0.2.2
    expect_eq "the shorthand's ports" "h1-eth0 h2-eth0 spy1-eth0" \
      "$(in_ns switch ip -j link show master br0 | jq -r '[.[].ifname] | sort | join(" ")')"
    expect_eq "the hub learns nothing" 0 \
      "$(in_ns hub ip -j -d link show br0 | jq '.[0].linkinfo.info_data.ageing_time')"
    # The third host of each LAN listens while the first pings the second: on the switch, which
    # has learned where h2 is (the pings above), it sees none of the echo requests; on the hub,
    # every one. A broadcast echo from the first host, which every port gets, ends the listening.
    expect_eq "spy1 on the switch sees none of h1's echoes to h2" 0 \
      "$(overheard spy1 h1 10.0.1.1 10.0.1.2 10.0.1.255)"
    expect_eq "spy2 on the hub sees all of h4's echoes to h5" 5 \
      "$(overheard spy2 h4 10.0.2.1 10.0.2.2 10.0.2.255)" ;;
  host-bridge)
    expect_ping ns1 10.1.2.2
    expect_ping ns2 10.1.2.254
    if on_host ping -c 1 -W 2 10.1.2.1 >/dev/null 2>&1; then pass; else fail "ping 10.1.2.1 from the host"; fi
    expect_eq "the host bridge's ports" "br-lab br-lab" \
      "$(on_host ip -j link show | jq -r '[.[] | select(.master == "br-lab") | .master] | join(" ")')" ;;
  *) fail "no pings known for lab $lab" ;;
esac

expect_rc "plan after apply is empty" 0 "$NSTOPO" plan --detailed-exitcode "$file"
expect_eq "plan says no changes" "no changes" "$(cat "$WORK/out")"

applied=$(settled_snapshot)
expect_rc "re-apply" 0 "$NSTOPO" apply "$file"
expect_eq "re-apply says no changes" "lab $lab: no changes" "$(cat "$WORK/out")"
expect_eq "re-apply changes nothing in the kernel" "$applied" "$(settled_snapshot)"

expect_rc "destroy" 0 "$NSTOPO" destroy "$lab"
expect_contains "destroy verifies" "verified: nothing of lab $lab remains" "$WORK/out"
expect_eq "destroy leaves the kernel as before" "$before" "$(kernel_snapshot)"
expect_rc "destroy again" 0 "$NSTOPO" destroy "$lab"
expect_eq "destroy again says so" "nothing to destroy (lab $lab is not up)" "$(cat "$WORK/out")"

# An immediate re-apply after destroy never meets a ghost interface.
expect_rc "re-apply right after destroy" 0 "$NSTOPO" apply "$file"
expect_rc "destroy once more" 0 "$NSTOPO" destroy
expect_eq "and nothing remains" "$before" "$(kernel_snapshot)"
finish
