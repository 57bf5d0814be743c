# Bystanders: namespaces, veths, addresses and routes made by hand with `ip`, host interfaces with
# the names the lab gives its own interfaces inside its namespaces, a hand-made route and link
# wearing nstopo's marks, and a second lab. Applying, re-applying and destroying the first lab
# changes none of them: their `ip -j` dumps are the same, byte for byte.
source "$(dirname "$0")/lib.sh"

# Hand-made namespaces by1 and by2 on a cable, with addresses and routes; by1's end has a name the
# lab uses inside ns01.
ip netns add by1
ip netns add by2
# No duplicate address detection on the bystanders: a "tentative" flag that clears a second later
# would make their pictures differ for reasons of time, not of nstopo.
for ns in by1 by2; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0; done
sysctl -qw net.ipv6.conf.default.accept_dad=0
ip link add ns01-veth0 netns by1 type veth peer name by2-veth0 netns by2
ip -n by1 addr add 192.168.0.1/24 dev ns01-veth0
ip -n by2 addr add 192.168.0.2/24 dev by2-veth0
ip -n by1 link set ns01-veth0 up
ip -n by2 link set by2-veth0 up
ip -n by1 route add 10.0.0.0/24 via 192.168.0.2
ip -n by2 route add default via 192.168.0.1 proto 201   # nstopo's route mark, made by hand
# Host interfaces named like the lab's in-namespace interfaces, one carrying nstopo's link mark.
ip link add gw01-veth0 type veth peer name host-by0
ip link set gw01-veth0 alias nstopo:lab1
ip addr add 198.51.100.1/24 dev gw01-veth0
ip link set gw01-veth0 up
ip link set host-by0 up
ip route add 203.0.113.0/24 via 198.51.100.2 proto 201
ip addr add 2001:db8:b::1/64 dev host-by0 nodad

# The first lab: two-routers under the name lab1, with one end in the host.
cat > "$WORK/lab1.yaml" <<'YAML'
name: lab1
namespaces:
  ns01:
    interfaces:
      ns01-veth0: { addresses: [192.168.0.1/24] }
      up0: { addresses: [10.9.0.2/24] }
    routes:
      - { to: default, via: 192.168.0.254 }
  router01:
    forwarding: true
    interfaces:
      gw01-veth0: { addresses: [192.168.0.254/24] }
      gw01-veth1: { addresses: [172.16.0.1/24] }
    routes:
      - { to: 10.0.0.0/24, via: 172.16.0.2 }
  router02:
    forwarding: true
    interfaces:
      gw02-veth0: { addresses: [172.16.0.2/24] }
      gw02-veth1: { addresses: [10.0.0.254/24] }
    routes:
      - { to: 192.168.0.0/24, via: 172.16.0.1 }
  ns02:
    interfaces:
      ns02-veth0: { addresses: [10.0.0.1/24] }
    routes:
      - { to: default, via: 10.0.0.254 }
host:
  interfaces:
    lab1-host0: { addresses: [10.9.0.1/24] }
veths:
  - [ns01/ns01-veth0, router01/gw01-veth0]
  - [router01/gw01-veth1, router02/gw02-veth0]
  - [router02/gw02-veth1, ns02/ns02-veth0]
  - [lab1-host0, ns01/up0]
YAML
# The second lab.
expect_rc "apply the second lab" 0 "$NSTOPO" apply "$TOPOLOGIES/host-link.yaml"

# Every bystander, in full: the hand-made namespaces, the second lab's namespace, and in the host
# the hand-made and second-lab interfaces with their addresses and routes.
host_bystanders=(gw01-veth0 host-by0 veth0)
bystanders() {
  local ns dev
  for ns in by1 by2 netns1; do
    echo "== $ns"
    ip -n "$ns" -j -d link show
    ip -n "$ns" -j addr show
    ip -n "$ns" -j route show table all
    ip -n "$ns" -j -6 route show table all
  done
  for dev in "${host_bystanders[@]}"; do
    echo "== host $dev"
    ip -j -d link show dev "$dev"
    ip -j addr show dev "$dev"
    ip -j route show table all dev "$dev"
    ip -j -6 route show table all dev "$dev"
  done
  echo "== host sysctls"
  sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding
}

# settled: once the whole kernel has settled (carrier and addrconf follow link changes
# asynchronously), the bystanders' picture.
settled() {
  settled_snapshot >/dev/null
  bystanders
}
before=$(settled)
kernel_before=$(settled_snapshot)

expect_rc "apply lab1" 0 "$NSTOPO" apply "$WORK/lab1.yaml"
expect_eq "bystanders after apply" "$before" "$(settled)"
expect_ping ns01 10.0.0.1 -I 192.168.0.1
expect_rc "re-apply lab1" 0 "$NSTOPO" apply "$WORK/lab1.yaml"
expect_contains "re-apply changes nothing" "no changes" "$WORK/out"
expect_eq "bystanders after re-apply" "$before" "$(settled)"

# Drift in lab1 repaired while a bystander sits next to it: still none of them touched.
ip -n router01 addr flush dev gw01-veth0
expect_rc "repair lab1" 0 "$NSTOPO" apply "$WORK/lab1.yaml"
expect_eq "bystanders after a repair" "$before" "$(settled)"

expect_rc "destroy lab1" 0 "$NSTOPO" destroy lab1
expect_eq "bystanders after destroy" "$before" "$(settled)"
expect_eq "the whole kernel as before lab1" "$kernel_before" "$(settled_snapshot)"
expect_rc "the second lab is still in sync" 0 "$NSTOPO" plan --detailed-exitcode "$TOPOLOGIES/host-link.yaml"
expect_rc "destroy the second lab" 0 "$NSTOPO" destroy host-link
finish
