// imported_topology: an observed hand-made lab as the file says it, and what it cannot say.
#include <catch2/catch.hpp>

#include "nstopo/config.hpp"
#include "nstopo/error.hpp"
#include "nstopo/import.hpp"

using namespace nstopo;

namespace {

Interface link(const std::string& name, LinkKind kind, std::vector<std::string> addresses = {},
               std::uint32_t mtu = 1500) {
    Interface i;
    i.name = name;
    i.kind = kind;
    for (const auto& a : addresses) i.addresses.push_back(*Cidr::parse(a));
    i.mtu = mtu;
    i.mac = MacAddress::parse("7a:11:22:33:44:55");
    i.ifindex = 7;
    i.type = kind == LinkKind::veth ? "veth" : kind == LinkKind::bridge ? "bridge" : "";
    return i;
}

Route route(const std::string& to, const std::string& via, const std::string& dev) {
    Route r;
    r.to = *Cidr::parse(to);
    if (!via.empty()) r.via = IpAddress::parse(via);
    r.dev = dev;
    r.metric = default_metric(r.to.family());
    return r;
}

// ns01 -- r1 (forwarding, a bridge with a port, a vxlan, an unpaired veth, an htb qdisc, a
// blackhole route, a table of its own) as the observer reads it.
Topology observed_lab() {
    Topology t;
    Namespace& ns01 = t.namespaces["ns01"];
    ns01.name = "ns01";
    ns01.interfaces["lo"] = link("lo", LinkKind::loopback, {}, 65536);
    ns01.interfaces["eth0"] = link("eth0", LinkKind::veth, {"192.168.0.1/24"});
    ns01.routes = {route("0.0.0.0/0", "192.168.0.254", "eth0")};
    ns01.sysctls = {{kIpv4Forwarding, "0"}, {kIpv6Forwarding, "0"}};
    Namespace& r1 = t.namespaces["r1"];
    r1.name = "r1";
    r1.interfaces["lo"] = link("lo", LinkKind::loopback, {}, 65536);
    r1.interfaces["lo"].state = LinkState::down;
    r1.interfaces["gw0"] = link("gw0", LinkKind::veth, {"192.168.0.254/24"}, 9000);
    r1.interfaces["gw0"].shaping = Shaping{.rate = {}, .netem = {}, .foreign = "htb 1:"};
    r1.interfaces["br0"] = link("br0", LinkKind::bridge, {"10.0.0.1/24"});
    r1.interfaces["br0"].bridge = BridgeOptions{.stp = true};
    r1.interfaces["p0"] = link("p0", LinkKind::veth);
    r1.interfaces["p0"].master = "br0";
    r1.interfaces["p0"].state = LinkState::down;
    r1.interfaces["vx0"] = link("vx0", LinkKind::other, {"10.9.0.1/24"});
    r1.interfaces["vx0"].type = "vxlan";
    r1.interfaces["stray"] = link("stray", LinkKind::veth, {"10.8.0.1/24"});
    r1.routes = {route("10.7.0.0/24", "10.9.0.2", "vx0"), route("10.6.0.0/24", "", "br0"),
                 route("10.5.0.0/24", "192.168.0.1", "gw0")};
    r1.routes[2].metric = 20;
    r1.unmodelled_routes = {"blackhole 10.4.0.0/24"};
    r1.sysctls = {{kIpv4Forwarding, "1"}, {kIpv6Forwarding, "1"}};
    NftTable filter;
    filter.family = "inet";
    filter.name = "filter";
    filter.rules = 3;
    r1.tables[filter.id()] = filter;
    t.veths = {Veth{{"ns01", "eth0"}, {"r1", "gw0"}, {}}, Veth{{"r1", "p0"}, {"", "h0"}, {}}};
    normalize(t);
    return t;
}

ImportRequest request(std::vector<std::string> host_interfaces = {}, bool macs = false) {
    ImportRequest r;
    r.lab = "hand";
    r.host_interfaces = std::move(host_interfaces);
    r.macs = macs;
    return r;
}

}  // namespace

TEST_CASE("import keeps what a file can say and names every other thing") {
    const ImportResult r = imported_topology(observed_lab(), request());
    CHECK(r.not_imported == std::vector<std::string>{
                                "r1/gw0: qdisc htb 1: (a file makes tbf, `rate:`, and netem only)",
                                "r1/p0: a veth whose peer is in no imported namespace (a host "
                                "link: name it with --host-interfaces; else import its namespace "
                                "too)",
                                "r1/stray: a veth whose peer is in no imported namespace (a host "
                                "link: name it with --host-interfaces; else import its namespace "
                                "too)",
                                "r1/vx0: a vxlan link (a file makes veths and bridges)",
                                "r1: route 10.7.0.0/24 via 10.9.0.2 dev vx0 metric 0 (through a "
                                "link that is not imported)",
                                "r1: route blackhole 10.4.0.0/24 (a file's routes are unicast, "
                                "with one gateway)",
                                "r1: nftables table inet filter (3 rules; a file makes only "
                                "nstopo's own table, inet nstopo, from `nat:` and `nftables:`)"});
    // The emitted file loads into what the import made, with the loader's defaults added.
    const std::string text = emit_topology(r.topology);
    INFO(text);
    CHECK(text == R"(name: hand
namespaces:
  ns01:
    interfaces:
      eth0: {addresses: [192.168.0.1/24]}
    routes:
      - {to: default, via: 192.168.0.254}
  r1:
    forwarding: true
    loopback: down
    interfaces:
      gw0: {addresses: [192.168.0.254/24], mtu: 9000}
    bridges:
      br0: {stp: true, addresses: [10.0.0.1/24]}
    routes:
      - {to: 10.5.0.0/24, via: 192.168.0.1, metric: 20}
      - {to: 10.6.0.0/24, dev: br0}
veths:
  - [ns01/eth0, r1/gw0]
)");
    const LoadResult loaded = load_topology_text(text, "hand.yaml");
    REQUIRE(loaded.ok());
    CHECK(loaded.topology->veths.size() == 1);
    CHECK(loaded.topology->namespaces.at("r1").interfaces.at("gw0").mtu == 9000u);
}

TEST_CASE("import takes a host end it is given, and keeps MAC addresses when asked") {
    const ImportResult r = imported_topology(observed_lab(), request({}, true));
    CHECK(r.topology.namespaces.at("ns01").interfaces.at("eth0").mac ==
          MacAddress::parse("7a:11:22:33:44:55"));
    CHECK(!r.topology.namespaces.at("ns01").interfaces.at("lo").mac);

    Topology with_host = observed_lab();
    with_host.host_interfaces["h0"] = link("h0", LinkKind::veth, {"10.0.0.2/24"});
    const ImportResult h = imported_topology(with_host, request({"h0"}));
    CHECK(h.topology.veths.size() == 2);
    CHECK(h.topology.namespaces.at("r1").interfaces.at("p0").master == "br0");
    CHECK(h.topology.host_interfaces.at("h0").addresses.size() == 1);
    CHECK_THROWS_AS(imported_topology(with_host, request({"eth9"})), Error);
}
