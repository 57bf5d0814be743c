# nstopo import on a real kernel. The two-routers tutorial built by hand with ip commands is
# imported; the hand-made lab is deleted and the imported file applied: the ip -j picture of the
# namespaces (links, addresses, routes, forwarding) is the same, up to what the kernel assigns
# (ifindexes, namespace ids, random MAC addresses and the link-local addresses made from them)
# and what nstopo adds to mark its own (the links' ifalias, its routes' protocol). Built by hand
# again, the imported file takes the namespaces over in place with --adopt: nothing is deleted,
# the picture stays, status sees the lab, destroy removes it. A namespace holding what a file
# cannot say (a vxlan, an htb qdisc, a blackhole route, an nftables table, a veth to the host) is
# imported with each named in the file and on stderr, and the file validates and matches the
# schema. Import never changes the kernel. With NSTOPO_MODE=rootless it is refused, with a reason.
source "$(dirname "$0")/lib.sh"
here=$(dirname "$0")

if [ "$MODE" = rootless ]; then
  expect_rc "rootless import is refused" 5 "$NSTOPO" import
  expect_contains "it says why" "a rootless session holds only the namespaces nstopo made" "$WORK/err"
  expect_eq "no namespace was made" "" "$(ip netns list)"
  finish
  exit 0
fi

# The two-routers tutorial (SEEDS.md), step by step as it is typed. lo is brought up in ns01 only:
# the file must carry both states.
build_two_routers() {
  local ns
  for ns in ns01 router01 router02 ns02; do ip netns add $ns; done
  ip link add ns01-veth0 netns ns01 type veth peer name gw01-veth0 netns router01
  ip link add gw01-veth1 netns router01 type veth peer name gw02-veth0 netns router02
  ip link add gw02-veth1 netns router02 type veth peer name ns02-veth0 netns ns02
  ip -n ns01 addr add 192.168.0.1/24 dev ns01-veth0
  ip -n router01 addr add 192.168.0.254/24 dev gw01-veth0
  ip -n router01 addr add 172.16.0.1/24 dev gw01-veth1
  ip -n router02 addr add 172.16.0.2/24 dev gw02-veth0
  ip -n router02 addr add 10.0.0.254/24 dev gw02-veth1
  ip -n ns02 addr add 10.0.0.1/24 dev ns02-veth0
  ip -n ns01 link set ns01-veth0 up
  ip -n ns01 link set lo up
  ip -n router01 link set gw01-veth0 up
  ip -n router01 link set gw01-veth1 up
  ip -n router02 link set gw02-veth0 up
  ip -n router02 link set gw02-veth1 up
  ip -n ns02 link set ns02-veth0 up
  ip -n router02 link set gw02-veth1 mtu 1400
  ip -n ns02 link set ns02-veth0 mtu 1400
  ip -n ns01 route add default via 192.168.0.254
  ip -n ns02 route add default via 10.0.0.254
  ip -n router01 route add 10.0.0.0/24 via 172.16.0.2
  ip -n router02 route add 192.168.0.0/24 via 172.16.0.1 metric 10
  ip netns exec router01 sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip netns exec router02 sysctl -qw net.ipv4.ip_forward=1
  ip netns exec ns01 sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
  ip netns exec ns02 sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
  sleep 1  # operstate and carrier follow a link set up asynchronously (linkwatch)
}

# The picture the round trip compares: per namespace, what ip -j shows of its links, addresses
# and routes, without what the kernel assigns or nstopo's marks (see the top of this file).
picture() {
  ip netns list | awk '{print $1}' | sort
  local ns
  for ns in $(ip netns list | awk '{print $1}' | sort); do
    echo "== $ns forwarding $(ip netns exec "$ns" sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding | xargs)"
    { ip -n "$ns" -j -d link show; echo; ip -n "$ns" -j addr show; echo
      ip -n "$ns" -j route show table all; echo; ip -n "$ns" -j -6 route show table all; } |
      python3 -c '
import json, sys
link, addr, v4, v6 = [json.loads(part) for part in sys.stdin.read().split("\n\n") if part.strip()]
keep = ("ifname", "flags", "mtu", "operstate", "qdisc", "txqlen", "master", "group")
for l in sorted(link, key=lambda l: l["ifname"]):
    print("link", {k: l.get(k) for k in keep}, (l.get("linkinfo") or {}).get("info_kind"))
for a in sorted(addr, key=lambda a: a["ifname"]):
    for i in a.get("addr_info", []):
        if not i["local"].startswith("fe80"):
            print("addr", a["ifname"], i["family"], i["local"], i["prefixlen"], i.get("scope"))
routes = []
for r in v4 + v6:
    if r.get("dst", "").startswith("fe80") or r.get("dst", "").startswith("ff00"):
        continue
    routes.append(str({k: r.get(k) for k in ("type", "dst", "gateway", "dev", "scope", "metric", "table", "prefsrc")}))
for r in sorted(routes):
    print("route", r)'
  done
}

built=0
cleanup() { for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done; }
trap cleanup EXIT

# --- round trip ---------------------------------------------------------------------------------
build_two_routers
hand=$(picture)
expect_rc "import the hand-made lab" 0 "$NSTOPO" import --name two-routers -o "$WORK/two-routers.yaml"
expect_eq "import writes the file, not stdout" "" "$(cat "$WORK/out")"
expect_eq "nothing to report for the tutorial" "" "$(cat "$WORK/err")"
expect_eq "import changes nothing" "$hand" "$(picture)"
expect_contains "the header names the command" "#   nstopo import --name two-routers -o $WORK/two-routers.yaml" \
  "$WORK/two-routers.yaml"
expect_contains "and where it came from" "# from the namespaces of /run/netns: ns01, ns02, router01, router02." \
  "$WORK/two-routers.yaml"
expect_contains "router01 forwards" "forwarding: true" "$WORK/two-routers.yaml"
expect_contains "router02 forwards IPv4 only" "net.ipv4.ip_forward: 1" "$WORK/two-routers.yaml"
expect_contains "lo stays down where it was" "loopback: down" "$WORK/two-routers.yaml"
expect_contains "a metric that is not the default" "{to: 192.168.0.0/24, via: 172.16.0.1, metric: 10}" \
  "$WORK/two-routers.yaml"
expect_rc "the imported file validates" 0 "$NSTOPO" validate "$WORK/two-routers.yaml"
cat "$WORK/two-routers.yaml"

cleanup
expect_eq "the hand-made lab is gone" "" "$(ip netns list)"
expect_rc "apply the imported file" 0 "$NSTOPO" apply "$WORK/two-routers.yaml"
sleep 1
expect_eq "the applied lab is the hand-made one" "$hand" "$(picture)"
expect_ping ns01 10.0.0.1 -I 192.168.0.1
expect_rc "destroy it" 0 "$NSTOPO" destroy two-routers
expect_eq "destroy leaves no namespace" "" "$(ip netns list)"

# --- the same lab taken over in place -------------------------------------------------------------
build_two_routers
hand=$(picture)
expect_rc "import to stdout" 0 "$NSTOPO" import ns01 router01 router02 ns02 --name adopted
cp "$WORK/out" "$WORK/adopted.yaml"
expect_contains "the header shows how to adopt" \
  "sudo nstopo apply FILE --adopt ns01 --adopt ns02 --adopt router01 --adopt router02" "$WORK/adopted.yaml"
adopt=(--adopt ns01 --adopt ns02 --adopt router01 --adopt router02)
expect_rc "apply without --adopt is refused" 1 "$NSTOPO" apply "$WORK/adopted.yaml"
expect_contains "naming --adopt" "use --adopt" "$WORK/err"
expect_rc "plan --adopt" 0 "$NSTOPO" plan "$WORK/adopted.yaml" "${adopt[@]}"
cat "$WORK/out"
if grep -qE "delete|create|add (address|route)|set link|set mtu" "$WORK/out"; then
  fail "adopting plans more than settings: $(cat "$WORK/out")"
else pass; fi
expect_rc "apply --adopt" 0 "$NSTOPO" apply "$WORK/adopted.yaml" "${adopt[@]}"
sleep 1
expect_eq "adopting keeps the hand-made lab as it was" "$hand" "$(picture)"
expect_rc "status sees the adopted lab, in sync" 0 "$NSTOPO" status --detailed-exitcode adopted
expect_rc "a second apply has nothing to do" 0 "$NSTOPO" plan --detailed-exitcode "$WORK/adopted.yaml"
expect_rc "import skips the lab's namespaces" 4 "$NSTOPO" import
expect_contains "saying they are the lab's" "every one belongs to a lab" "$WORK/err"
expect_rc "import of a lab's namespace is refused" 4 "$NSTOPO" import ns01
expect_contains "naming the lab" "namespace 'ns01' is lab 'adopted''s already" "$WORK/err"
expect_ping ns01 10.0.0.1 -I 192.168.0.1
expect_rc "destroy the adopted lab" 0 "$NSTOPO" destroy adopted
expect_eq "destroy leaves no namespace" "" "$(ip netns list)"

# --- what a file cannot say -----------------------------------------------------------------------
ip netns add odd
ip netns add peer
ip link add eth0 netns odd type veth peer name eth0 netns peer
ip -n odd addr add 10.20.0.1/24 dev eth0
ip -n peer addr add 10.20.0.2/24 dev eth0
ip -n odd link set eth0 up
ip -n peer link set eth0 up
ip -n odd link add vx0 type vxlan id 42 dstport 4789 local 10.20.0.1 remote 10.20.0.2
ip -n odd addr add 10.30.0.1/24 dev vx0
ip -n odd link set vx0 up
ip -n odd route add 10.40.0.0/24 via 10.30.0.2
ip -n odd route add blackhole 10.50.0.0/24
ip -n odd link add macv0 link eth0 type macvlan mode bridge
tc -n odd qdisc add dev eth0 root handle 1: htb default 10
ip link add odd-up type veth peer name up0 netns odd
ip netns exec odd nft add table inet filter
ip netns exec odd nft add chain inet filter input '{ type filter hook input priority 0; }'
ip netns exec odd nft add rule inet filter input tcp dport 22 accept
sleep 1
odd=$(picture)
expect_rc "import what a file cannot say" 0 "$NSTOPO" import odd peer -o "$WORK/odd.yaml"
cat "$WORK/err" "$WORK/odd.yaml"
for what in "odd/vx0: a vxlan link" "odd/macv0: a macvlan link" "odd/eth0: qdisc htb 1:" \
    "odd: route blackhole 10.50.0.0/24" "odd: route 10.40.0.0/24 via 10.30.0.2 dev vx0" \
    "odd/up0: a veth whose peer is in no imported namespace" "odd: nftables table inet filter (1 rule;"; do
  expect_contains "on stderr: $what" "nstopo: not imported: $what" "$WORK/err"
  expect_contains "in the file: $what" "# not imported: $what" "$WORK/odd.yaml"
done
expect_eq "import changed nothing" "$odd" "$(picture)"
expect_rc "the file validates" 0 "$NSTOPO" validate "$WORK/odd.yaml"
expect_contains "with the veth between the namespaces" "[odd/eth0, peer/eth0]" "$WORK/odd.yaml"
mkdir "$WORK/schema-good" "$WORK/schema-bad"
cp "$WORK/odd.yaml" "$WORK/two-routers.yaml" "$WORK/adopted.yaml" "$WORK/schema-good/"
printf 'name: bad\nnamespaces: { a: { colour: red } }\n' >"$WORK/schema-bad/bad.yaml"
expect_rc "the files match the schema" 0 python3 "$here/../config/check_schema.py" \
  --schema "$here/../../schemas/topology.schema.json" --good "$WORK/schema-good" --bad "$WORK/schema-bad"
expect_rc "a host end is taken when named" 0 "$NSTOPO" import odd peer --host-interfaces odd-up
expect_contains "as the lab's host end" "[odd/up0, odd-up]" "$WORK/out"
expect_rc "a host link that is not there is refused" 4 "$NSTOPO" import odd --host-interfaces nope0
expect_rc "a namespace that is not there is refused" 4 "$NSTOPO" import od
expect_contains "with a suggestion" "did you mean 'odd'?" "$WORK/err"
ip link del odd-up
cleanup
trap - EXIT
finish
