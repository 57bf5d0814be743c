// Valid topologies: the completed, normalized model the loader returns.
#include <filesystem>

#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

const std::filesystem::path kGood = std::filesystem::path(NSTOPO_CONFIG_TEST_DATA) / "good";

Topology load_good(const char* name) {
    auto r = load_topology_file(kGood / name);
    std::string all;
    for (const auto& d : r.diagnostics) all += format_diagnostic(d);
    INFO(all);
    REQUIRE(r.ok());
    return std::move(*r.topology);
}

const std::string kForwardingDefaults = "net.ipv4.conf.all.promote_secondaries";

}  // namespace

TEST_CASE("two-routers: every veth end becomes an interface of its namespace, plus lo") {
    const Topology t = load_good("two-routers.yaml");
    CHECK(t.name == "two-routers");
    CHECK(t.where.file == (kGood / "two-routers.yaml").string());
    REQUIRE(t.namespaces.size() == 4);
    const Namespace& r1 = t.namespaces.at("router01");
    REQUIRE(r1.interfaces.size() == 3);
    CHECK(r1.interfaces.at("lo").kind == LinkKind::loopback);
    CHECK(r1.interfaces.at("lo").state == LinkState::up);
    CHECK(r1.interfaces.at("lo").addresses.empty());
    const Interface& gw = r1.interfaces.at("gw01-veth1");
    CHECK(gw.kind == LinkKind::veth);
    CHECK(gw.state == LinkState::up);
    CHECK(gw.addresses == std::vector<Cidr>{cidr("172.16.0.1/24")});
    CHECK_FALSE(gw.mtu.has_value());
    CHECK_FALSE(gw.mac.has_value());
    CHECK(gw.owner.empty());
    CHECK(t.host_interfaces.empty());
    CHECK(t.find_interface("ns02", "ns02-veth0")->addresses ==
          std::vector<Cidr>{cidr("10.0.0.1/24")});
}

TEST_CASE("two-routers: forwarding only where asked, routes with family metrics") {
    const Topology t = load_good("two-routers.yaml");
    const std::map<std::string, std::string> router = {{kIpv4Forwarding, "1"},
                                                       {kIpv6Forwarding, "1"},
                                                       {kForwardingDefaults, "1"},
                                                       {kIpv6DefaultAcceptDad, "0"}};
    CHECK(t.namespaces.at("router01").sysctls == router);
    CHECK(t.namespaces.at("router02").forwarding());
    CHECK(t.namespaces.at("ns01").sysctls.at(kIpv4Forwarding) == "0");
    CHECK(t.namespaces.at("ns01").sysctls.at(kIpv6Forwarding) == "0");
    CHECK_FALSE(t.namespaces.at("ns02").forwarding());

    const auto& routes = t.namespaces.at("ns01").routes;
    REQUIRE(routes.size() == 1);
    CHECK(routes[0].str() == "default via 192.168.0.254 metric 0");
    CHECK(routes[0].to == default_route(Family::v4));
    CHECK_FALSE(routes[0].dev.has_value());
    CHECK(t.namespaces.at("router01").routes.at(0).str() == "10.0.0.0/24 via 172.16.0.2 metric 0");
}

TEST_CASE("two-routers: veths and source locations") {
    const Topology t = load_good("two-routers.yaml");
    REQUIRE(t.veths.size() == 3);
    const auto* v = t.find_veth({"router01", "gw01-veth1"});
    REQUIRE(v != nullptr);
    CHECK(v->has_end({"router02", "gw02-veth0"}));
    CHECK(v->where.line == 31);
    CHECK(v->where.column == 5);
    const Namespace& ns01 = t.namespaces.at("ns01");
    CHECK(ns01.where.str() == (kGood / "two-routers.yaml").string() + ":5:3");
    CHECK(ns01.interfaces.at("ns01-veth0").where.line == 7);
    CHECK(ns01.interfaces.at("ns01-veth0").where.column == 7);
    CHECK(ns01.interfaces.at("lo").where.line == 5);  // no `lo:` entry: the namespace's key
    CHECK(ns01.routes.at(0).where.line == 9);
    CHECK(ns01.routes.at(0).where.column == 9);
}

TEST_CASE("pair: the lab is named after the file, ends not listed get no addresses") {
    const Topology t = load_good("pair.yaml");
    CHECK(t.name == "pair");
    const Topology u = loaded(R"(
namespaces:
  ns1:
  ns2:
    interfaces:
      veth2: { addresses: [192.0.1.2/24] }
veths:
  - [ns1/veth1, ns2/veth2]
)",
                              "labs/variant.yml");
    CHECK(u.name == "variant");
    const Interface& veth1 = u.namespaces.at("ns1").interfaces.at("veth1");
    CHECK(veth1.kind == LinkKind::veth);
    CHECK(veth1.addresses.empty());
    CHECK(veth1.state == LinkState::up);
    CHECK(veth1.where.str() == "labs/variant.yml:7:6");  // the veth end that makes it
    CHECK(u.namespaces.at("ns1").interfaces.size() == 2);
}

TEST_CASE("host-link: host ends go to host_interfaces") {
    const Topology t = load_good("host-link.yaml");
    REQUIRE(t.host_interfaces.size() == 1);
    const Interface& veth0 = t.host_interfaces.at("veth0");
    CHECK(veth0.kind == LinkKind::veth);
    CHECK(veth0.addresses == std::vector<Cidr>{cidr("10.1.1.2/24")});
    CHECK(t.find_interface("netns1", "veth1") != nullptr);
    CHECK(t.find_interface(kHostNamespace, "veth0") == &veth0);
    REQUIRE(t.veths.size() == 1);
    CHECK(t.veths[0].canonical().a == VethEnd{kHostNamespace, "veth0"});
    CHECK(t.namespaces.at("netns1").interfaces.at("lo").state == LinkState::up);
}

TEST_CASE("every key: sysctls are normalized and override the defaults") {
    const Topology t = load_good("every-key.yaml");
    const std::map<std::string, std::string> edge = {{"net.ipv4.conf.all.rp_filter", "2"},
                                                     {"net.ipv4.tcp_rmem", "4096 87380 6291456"},
                                                     {"net.ipv6.conf.all.accept_ra", "0"},
                                                     {kForwardingDefaults, "0"},
                                                     {kIpv6DefaultAcceptDad, "0"},
                                                     {kIpv4Forwarding, "0"},
                                                     {kIpv6Forwarding, "0"}};
    CHECK(t.namespaces.at("edge").sysctls == edge);
    CHECK(t.namespaces.at("core").sysctls.at(kIpv6Forwarding) == "1");
}

TEST_CASE("every key: interfaces keep mtu, mac, state, and lo its addresses and loopback state") {
    const Topology t = load_good("every-key.yaml");
    const Namespace& edge = t.namespaces.at("edge");
    const Interface& up = edge.interfaces.at("edge-up");
    CHECK(up.mtu == std::optional<std::uint32_t>(9000));
    REQUIRE(up.mac.has_value());
    CHECK(up.mac->str() == "02:00:00:00:00:01");
    CHECK(up.addresses == std::vector<Cidr>{cidr("192.0.2.1/30"), cidr("2001:db8:1::1/64")});
    CHECK(edge.interfaces.at("edge-spare").state == LinkState::down);
    const Interface& lo = edge.interfaces.at("lo");
    CHECK(lo.kind == LinkKind::loopback);
    CHECK(lo.state == LinkState::up);
    CHECK(lo.addresses == std::vector<Cidr>{cidr("10.255.0.1/32"), cidr("2001:db8:ff::1/128")});
    CHECK(lo.where.line == 15);
    CHECK(t.namespaces.at("core").interfaces.at("lo").state == LinkState::down);
    REQUIRE(t.host_interfaces.count("host-spare") == 1);
    CHECK(t.host_interfaces.at("host-spare").addresses.empty());
}

TEST_CASE(
    "every key: routes are sorted, IPv6 ones get metric 1024, bare addresses are host routes") {
    const Topology t = load_good("every-key.yaml");
    std::vector<std::string> got;
    for (const auto& r : t.namespaces.at("edge").routes) got.push_back(r.str());
    const std::vector<std::string> want = {
        "198.51.100.0/24 via 192.0.2.2 metric 100",
        "198.51.100.0/24 via 192.0.2.2 dev edge-up metric 200",
        "203.0.113.7/32 dev edge-up metric 0",
        "203.0.113.128/25 via 203.0.113.7 metric 0",
        "default (IPv6) via fe80::1 dev edge-up metric 1024",
        "2001:db8:2::/48 via 2001:db8:1::2 metric 1024",
    };
    CHECK(got == want);
}

TEST_CASE("empty values stand for empty maps and lists, and an empty map is an empty lab") {
    const Topology t = loaded(R"(
namespaces:
  lonely:
    interfaces:
    routes:
    sysctls:
veths:
host:
)");
    REQUIRE(t.namespaces.size() == 1);
    CHECK(t.namespaces.at("lonely").interfaces.size() == 1);  // lo
    CHECK(t.namespaces.at("lonely").routes.empty());
    CHECK(t.veths.empty());
    CHECK(loaded("{}\n", "empty-lab.yaml").namespaces.empty());
}

TEST_CASE("anchors and aliases may share a value") {
    const Topology t = loaded(R"(
namespaces:
  a:
    sysctls: &tuned { net.core.somaxconn: 4096, net.ipv4.tcp_syncookies: "yes" }
  b:
    sysctls: *tuned
)");
    CHECK(t.namespaces.at("b").sysctls.at("net.core.somaxconn") == "4096");
    CHECK(t.namespaces.at("b").sysctls.at("net.ipv4.tcp_syncookies") == "yes");
    CHECK(t.namespaces.at("a").sysctls == t.namespaces.at("b").sysctls);
}

TEST_CASE("a sysctl may set forwarding when `forwarding:` is absent or agrees") {
    const Topology t = loaded(R"(
namespaces:
  a:
    sysctls: { net.ipv4.ip_forward: 1 }
  b:
    forwarding: true
    sysctls: { net.ipv6.conf.all.forwarding: "1" }
)");
    CHECK(t.namespaces.at("a").sysctls.at(kIpv4Forwarding) == "1");
    CHECK(t.namespaces.at("a").sysctls.at(kIpv6Forwarding) == "0");
    CHECK(t.namespaces.at("b").sysctls.at(kIpv6Forwarding) == "1");
}

TEST_CASE("equal files give equal topologies whatever the order they are written in") {
    const Topology a = loaded(R"(
namespaces:
  x: { interfaces: { x0: { addresses: [10.0.0.2/24, 10.0.0.1/24] } } }
  y: {}
veths: [[x/x0, y/y0], [x/x1, y/y1]]
)");
    const Topology b = loaded(R"(
veths: [[y/y1, x/x1], [y/y0, x/x0]]
namespaces:
  y:
  x: { interfaces: { x0: { addresses: [10.0.0.1/24, 10.0.0.2/24] } } }
)");
    CHECK(a == b);
}

TEST_CASE("an IPv6 route with metric 0 holds the kernel's 1024, an IPv4 one keeps 0") {
    const auto r = load_topology_text(R"(name: m
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
    routes:
      - { to: "2001:db8:9::/48", via: "2001:db8::2", metric: 0 }
      - { to: 10.9.0.0/16, via: 10.0.0.2, metric: 0 }
  b: {}
veths:
  - [a/a0, b/b0]
)",
                                      "m.yaml");
    REQUIRE(r.ok());
    const auto& routes = r.topology->namespaces.at("a").routes;
    REQUIRE(routes.size() == 2);
    CHECK(routes[0].str() == "10.9.0.0/16 via 10.0.0.2 metric 0");
    CHECK(routes[1].str() == "2001:db8:9::/48 via 2001:db8::2 metric 1024");
}

TEST_CASE("bridges: a bridge is an interface of its namespace, its ports name it their master") {
    const Topology t = load_good("bridges.yaml");
    const Namespace& sw = t.namespaces.at("sw1");
    REQUIRE(sw.interfaces.size() == 7);  // lo, three ports, three bridges
    const Interface& br0 = sw.interfaces.at("br0");
    CHECK(br0.kind == LinkKind::bridge);
    CHECK(br0.addresses == std::vector<Cidr>{cidr("10.0.1.254/24")});
    CHECK(br0.mtu == 1400u);
    CHECK(br0.master.empty());
    REQUIRE(br0.bridge);
    CHECK_FALSE(br0.bridge->stp);
    CHECK(br0.bridge->ageing_time == BridgeOptions::kDefaultAgeingTime);
    for (const char* port : {"sw1-p1", "sw1-p2", "sw1-p3"}) {
        CHECK(sw.interfaces.at(port).master == "br0");
        CHECK_FALSE(sw.interfaces.at(port).bridge);
    }
    CHECK(sw.interfaces.at("br1").bridge->hub());
    CHECK_FALSE(sw.interfaces.at("br1").bridge->stp);
    CHECK(sw.interfaces.at("br2").bridge->stp);
    CHECK_FALSE(sw.interfaces.at("br2").bridge->hub());
    CHECK(t.namespaces.at("h1").interfaces.at("eth0").master.empty());
    const Interface& host_br = t.host_interfaces.at("br0");
    CHECK(host_br.kind == LinkKind::bridge);
    CHECK(host_br.addresses == std::vector<Cidr>{cidr("10.1.1.254/24")});
    CHECK(t.host_interfaces.at("veth0").master == "br0");
    CHECK(t.host_interfaces.at("veth2").master == "br0");
}
