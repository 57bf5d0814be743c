#!/usr/bin/env python3
"""Generates one benchmark lab in three forms: an nstopo topology, a shell script of one `ip`
command per operation, and `ip -batch` files (one for the host, one per namespace).

Shapes (N = number of namespaces):
  chain   c0 - c1 - ... - c(N-1); link i is 10.(i>>6).((i&63)<<2).0/30. Every node forwards and
          has a route to each end subnet (the first and the last link) through its neighbour.
  fabric  leaf-spine with hosts: 2 spines, L leaves, the rest hosts (at most 3 per leaf). Every
          leaf links to both spines; each host links to its leaf. Hosts: default via their leaf;
          leaves: default via spine 0 (metric 10 via spine 1); spines: one route per leaf's
          host block 10.1.LEAF.0/24. Linear in N: no full mesh of routes.
  lan     one LAN of N hosts h0 .. h(N-1) on one switch: the `lans:` shorthand, which makes a
          switch namespace lan0 holding bridge br0 with one port per host (hI-eth0); host i has
          eth0 10.0.((i+1)>>8).((i+1)&255)/16. N + 1 namespaces in all.

Usage: gen.py SHAPE N OUTDIR   writes OUTDIR/lab.yaml, OUTDIR/ip.sh, OUTDIR/ip-down.sh,
       OUTDIR/batch/host.batch, OUTDIR/batch/NS.batch, OUTDIR/batch.sh, OUTDIR/batch-down.batch,
       OUTDIR/check.sh (the reachability check: ping between the lab's far ends).
"""
import os
import sys

FORWARDING = ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]


class Lab:
    def __init__(self, name):
        self.name = name
        self.namespaces = {}  # name -> {"forwarding": bool, "ifs": {ifname: [cidr]}, "routes": []}
        self.veths = []  # (ns_a, if_a, ns_b, if_b)
        self.ping = None  # (from_ns, to_address)
        self.lans = {}  # switch namespace -> [(ns, ifname)]: its bridge br0's members

    def ns(self, name, forwarding):
        self.namespaces[name] = {"forwarding": forwarding, "ifs": {}, "routes": []}

    def switch(self, name):
        """A namespace whose veth ends are all ports of its bridge br0."""
        self.ns(name, False)
        self.namespaces[name]["bridge"] = True

    def link(self, ns_a, if_a, addr_a, ns_b, if_b, addr_b):
        self.veths.append((ns_a, if_a, ns_b, if_b))
        self.namespaces[ns_a]["ifs"][if_a] = [addr_a] if addr_a else []
        self.namespaces[ns_b]["ifs"][if_b] = [addr_b] if addr_b else []

    def route(self, ns, to, via, metric=None):
        self.namespaces[ns]["routes"].append((to, via, metric))


def p30(net, host):
    """Address `host` (1 or 2) of the /30 whose first address is the tuple net."""
    a, b, c, d = net
    return f"{a}.{b}.{c}.{d + host}"


def chain_net(i):
    return (10, i >> 6, (i & 63) << 2, 0)


def chain(n):
    lab = Lab(f"chain{n}")
    for i in range(n):
        lab.ns(f"c{i}", True)
    for i in range(n - 1):
        net = chain_net(i)
        lab.link(f"c{i}", f"c{i}-r", p30(net, 1) + "/30", f"c{i + 1}", f"c{i + 1}-l",
                 p30(net, 2) + "/30")
    first, last = chain_net(0), chain_net(n - 2)
    first_s = "%d.%d.%d.%d/30" % first
    last_s = "%d.%d.%d.%d/30" % last
    for i in range(n):
        if i >= 2:  # the first link, through the left neighbour's right end
            lab.route(f"c{i}", first_s, p30(chain_net(i - 1), 1))
        if i <= n - 3:  # the last link, through the right neighbour's left end
            lab.route(f"c{i}", last_s, p30(chain_net(i), 2))
    lab.ping = ("c0", p30(last, 2))
    return lab


def fabric(n):
    lab = Lab(f"fabric{n}")
    spines = 2
    leaves = max(1, (n - spines + 3) // 4)
    hosts = n - spines - leaves
    for s in range(spines):
        lab.ns(f"s{s}", True)
    for l in range(leaves):
        lab.ns(f"l{l}", True)
        for s in range(spines):
            net = (10, 2 + s, l >> 6, (l & 63) << 2)
            lab.link(f"l{l}", f"l{l}-s{s}", p30(net, 1) + "/30", f"s{s}", f"s{s}-l{l}",
                     p30(net, 2) + "/30")
            lab.route(f"s{s}", f"10.1.{l}.0/24", p30(net, 1))
        lab.route(f"l{l}", "default", p30((10, 2, l >> 6, (l & 63) << 2), 2))
        lab.route(f"l{l}", "default", p30((10, 3, l >> 6, (l & 63) << 2), 2), 10)
    for h in range(hosts):
        l, k = h % leaves, h // leaves
        lab.ns(f"h{h}", False)
        net = (10, 1, l, k << 2)
        lab.link(f"l{l}", f"l{l}-h{k}", p30(net, 1) + "/30", f"h{h}", f"h{h}-up",
                 p30(net, 2) + "/30")
        lab.route(f"h{h}", "default", p30(net, 1))
    last = hosts - 1
    lab.ping = ("h0", p30((10, 1, last % leaves, (last // leaves) << 2), 2))
    return lab


def lan(n):
    lab = Lab(f"lan{n}")
    switch = "lan0"
    lab.switch(switch)
    lab.lans[switch] = []
    for i in range(n):
        host = f"h{i}"
        lab.ns(host, False)
        lab.link(host, "eth0", f"10.0.{(i + 1) >> 8}.{(i + 1) & 255}/16", switch, f"{host}-eth0",
                 None)
        lab.lans[switch].append((host, "eth0"))
    lab.ping = ("h0", f"10.0.{n >> 8}.{n & 255}")
    return lab


def lan_ends(lab):
    """The veth ends `lans:` makes: the switch ports, which the YAML does not list."""
    return {(sw, f"{ns}-{ifname}") for sw, members in lab.lans.items() for ns, ifname in members}


def write_yaml(lab, path):
    out = [f"name: {lab.name}", "namespaces:"]
    ports = lan_ends(lab)
    for name, ns in lab.namespaces.items():
        if name in lab.lans:
            continue
        out.append(f"  {name}:")
        if ns["forwarding"]:
            out.append("    forwarding: true")
        out.append("    interfaces:")
        for ifname, addrs in ns["ifs"].items():
            out.append(f"      {ifname}: {{ addresses: [{', '.join(addrs)}] }}")
        if ns["routes"]:
            out.append("    routes:")
            for to, via, metric in ns["routes"]:
                m = f", metric: {metric}" if metric is not None else ""
                out.append(f"      - {{ to: {to}, via: {via}{m} }}")
    out.append("veths:")
    for a_ns, a_if, b_ns, b_if in lab.veths:
        if (b_ns, b_if) not in ports:
            out.append(f"  - [{a_ns}/{a_if}, {b_ns}/{b_if}]")
    if lab.lans:
        out.append("lans:")
        for sw, members in lab.lans.items():
            out.append(f"  {sw}:")
            out += [f"    - {ns}/{ifname}" for ns, ifname in members]
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def sysctl_values(ns):
    """The sysctls every variant sets: forwarding on or off, as nstopo sets it."""
    value = "1" if ns["forwarding"] else "0"
    return [k.split("=")[0] + "=" + value for k in FORWARDING]


def namespace_ops(name, ns):
    """The per-namespace operations after the veths exist, as `ip` arguments (no `ip -n NS`)."""
    ops = ["link set lo up"]
    if ns.get("bridge"):
        ops += ["link add br0 type bridge", "link set br0 up"]
    for ifname in ns["ifs"]:
        if ns.get("bridge"):
            ops.append(f"link set {ifname} master br0")
        ops.append(f"link set {ifname} up")
    for ifname, addrs in ns["ifs"].items():
        for a in addrs:
            ops.append(f"addr add {a} dev {ifname}")
    for to, via, metric in ns["routes"]:
        ops.append(f"route add {to} via {via}" + (f" metric {metric}" if metric is not None else ""))
    return ops


def veth_op(v):
    a_ns, a_if, b_ns, b_if = v
    return f"link add {a_if} netns {a_ns} type veth peer name {b_if} netns {b_ns}"


def write_ip_script(lab, outdir):
    lines = ["#!/bin/sh", "set -e"]
    lines += [f"ip netns add {name}" for name in lab.namespaces]
    lines += [f"ip {veth_op(v)}" for v in lab.veths]
    for name, ns in lab.namespaces.items():
        lines.append(f"ip netns exec {name} sysctl -qw {' '.join(sysctl_values(ns))}")
        lines += [f"ip -n {name} {op}" for op in namespace_ops(name, ns)]
    with open(os.path.join(outdir, "ip.sh"), "w") as f:
        f.write("\n".join(lines) + "\n")
    down = ["#!/bin/sh", "set -e"] + [f"ip netns del {name}" for name in lab.namespaces]
    with open(os.path.join(outdir, "ip-down.sh"), "w") as f:
        f.write("\n".join(down) + "\n")


def write_batches(lab, outdir):
    bdir = os.path.join(outdir, "batch")
    os.makedirs(bdir, exist_ok=True)
    host = [f"netns add {name}" for name in lab.namespaces] + [veth_op(v) for v in lab.veths]
    with open(os.path.join(bdir, "host.batch"), "w") as f:
        f.write("\n".join(host) + "\n")
    script = ["#!/bin/sh", "set -e", f"ip -batch {bdir}/host.batch"]
    for name, ns in lab.namespaces.items():
        with open(os.path.join(bdir, f"{name}.batch"), "w") as f:
            f.write("\n".join(namespace_ops(name, ns)) + "\n")
        # ip -batch has no sysctl: one `ip netns exec` per namespace, as in the ip script.
        script.append(f"ip netns exec {name} sysctl -qw {' '.join(sysctl_values(ns))}")
        script.append(f"ip -n {name} -batch {bdir}/{name}.batch")
    with open(os.path.join(outdir, "batch.sh"), "w") as f:
        f.write("\n".join(script) + "\n")
    with open(os.path.join(outdir, "batch-down.batch"), "w") as f:
        f.write("\n".join(f"netns del {name}" for name in lab.namespaces) + "\n")


def write_check(lab, outdir):
    src, dst = lab.ping
    with open(os.path.join(outdir, "check.sh"), "w") as f:
        f.write(f"#!/bin/sh\n# the lab works end to end: {src} reaches {dst} across the lab\n"
                f"ip netns exec {src} ping -c 3 -i 0.2 -W 2 {dst} >/dev/null\n")
    with open(os.path.join(outdir, "namespaces.txt"), "w") as f:
        f.write("\n".join(sorted(lab.namespaces)) + "\n")


def main():
    shapes = {"chain": chain, "fabric": fabric, "lan": lan}
    if len(sys.argv) != 4 or sys.argv[1] not in shapes:
        sys.exit(__doc__)
    shape, n, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if n < 4:
        sys.exit("gen.py: N must be at least 4")
    lab = shapes[shape](n)
    os.makedirs(outdir, exist_ok=True)
    write_yaml(lab, os.path.join(outdir, "lab.yaml"))
    write_ip_script(lab, outdir)
    write_batches(lab, outdir)
    write_check(lab, outdir)


if __name__ == "__main__":
    main()
