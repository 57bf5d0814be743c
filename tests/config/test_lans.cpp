// `lans:`: the shorthand expands into a switch namespace, a bridge and one veth per member, with
// deterministic port names; its mistakes are reported at the LAN entry that makes them.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

const Interface& link_of(const Topology& t, const std::string& ns, const std::string& name) {
    const Interface* i = t.find_interface(ns, name);
    REQUIRE(i != nullptr);
    return *i;
}

}  // namespace

TEST_CASE("a LAN is a switch namespace with bridge br0 and one veth per member") {
    const auto t = loaded(R"(
namespaces:
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24], mtu: 1400 } } }
  h2: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
  r1: { interfaces: { eth1: { addresses: [10.0.1.254/24] } } }
lans:
  lan1: [h1/eth0, h2/eth0, r1/eth1]
)");
    REQUIRE(t.namespaces.contains("lan1"));
    const auto& sw = t.namespaces.at("lan1");
    CHECK(sw.where.line == 6);
    const auto& br = link_of(t, "lan1", "br0");
    CHECK(br.kind == LinkKind::bridge);
    CHECK(br.bridge == BridgeOptions{});
    CHECK(br.addresses.empty());
    for (const auto* port : {"h1-eth0", "h2-eth0", "r1-eth1"}) {
        const auto& p = link_of(t, "lan1", port);
        CHECK(p.kind == LinkKind::veth);
        CHECK(p.master == "br0");
        CHECK(p.addresses.empty());
    }
    CHECK(t.veths.size() == 3);
    const Veth* v = t.find_veth(VethEnd{"h1", "eth0"});
    REQUIRE(v != nullptr);
    CHECK(v->has_end(VethEnd{"lan1", "h1-eth0"}));
    CHECK(v->where.line == 6);
    CHECK(v->where.column == 10);
    // The member keeps what its namespace's `interfaces:` says.
    CHECK(link_of(t, "h1", "eth0").mtu == 1400u);
    CHECK(link_of(t, "h1", "eth0").addresses == std::vector{cidr("10.0.1.1/24")});
    REQUIRE(t.lans.contains("lan1"));
    CHECK(t.lans.at("lan1").members == std::vector<Lan::Member>{{{"h1", "eth0"}, "h1-eth0"},
                                                                {{"h2", "eth0"}, "h2-eth0"},
                                                                {{"r1", "eth1"}, "r1-eth1"}});
}

TEST_CASE("the shorthand makes what the long hand writes") {
    const auto short_hand = loaded(R"(
name: x
namespaces:
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24] } } }
  h2: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
lans:
  sw: { members: [h1/eth0, h2/eth0], hub: true }
)");
    const auto long_hand = loaded(R"(
name: x
namespaces:
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24] } } }
  h2: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
  sw: { bridges: { br0: { ports: [h1-eth0, h2-eth0], hub: true } } }
veths:
  - [h1/eth0, sw/h1-eth0]
  - [h2/eth0, sw/h2-eth0]
)");
    CHECK(short_hand == long_hand);
    CHECK(link_of(short_hand, "sw", "br0").bridge->hub());
}

TEST_CASE("a port name that would be too long or would clash is a hash of NS/IFNAME") {
    CHECK(lan_hashed_port(VethEnd{"h1", "eth0"}) == lan_hashed_port(VethEnd{"h1", "eth0"}));
    CHECK(lan_hashed_port(VethEnd{"h1", "eth0"}) != lan_hashed_port(VethEnd{"h1", "eth1"}));
    // The 32-bit FNV-1a hash of "a-long-name/eth0" (python3: h = 2166136261; for each byte:
    // h = ((h ^ b) * 16777619) mod 2^32), as the README documents it.
    const std::string expected = "p-0870b6e5";
    CHECK(lan_hashed_port(VethEnd{"a-long-name", "eth0"}) == expected);

    const auto t = loaded(R"(
namespaces:
  a-long-name: {}
  a-b: {}
  a: {}
lans:
  lan1: [a-long-name/eth0, a-b/c, a/b-c]
)");
    const auto& m = t.lans.at("lan1").members;
    REQUIRE(m.size() == 3);
    CHECK(m[0].port == expected);                              // 16 bytes: too long
    CHECK(m[1].port == lan_hashed_port(VethEnd{"a-b", "c"}));  // "a-b-c" twice
    CHECK(m[2].port == lan_hashed_port(VethEnd{"a", "b-c"}));
    for (const auto& member : m) CHECK(link_of(t, "lan1", member.port).master == "br0");
}

TEST_CASE("a LAN named like a namespace, and members that cannot join") {
    CHECK(errors(R"(
namespaces:
  h1: {}
  h2: {}
  h3: {}
lans:
  h1: [h2/eth0]
  lan1: [h2/eth1, h22/eth0, h3/eth0, h2/eth1]
  lan2: [h3/eth0, h2/eth5]
veths:
  - [h2/eth5, h3/eth5]
)") == Lines{"t.yaml:6:3: error: LAN 'h1' has the name of namespace 'h1' (line 2); a LAN's switch "
             "is a namespace of the LAN's name",
             "t.yaml:7:19: error: namespace 'h22' of LAN member 'h22/eth0' is not declared under "
             "`namespaces`; did you mean 'h2'?",
             "t.yaml:7:38: error: interface 'h2/eth1' is already a member of LAN 'lan1' (line 7)",
             "t.yaml:8:10: error: interface 'h3/eth0' is already a member of LAN 'lan1' (line 7)",
             "t.yaml:8:19: error: LAN member 'h2/eth5' is already an end of the veth at line 10; "
             "a LAN makes its members' veths itself"});
}

TEST_CASE("a member in the host, a veth into a switch, two members given one port") {
    CHECK(errors(R"(
namespaces:
  h1: {}
  a-long-name: {}
  p: {}
lans:
  lan1: [veth0, h1/eth0]
  lan2: [a-long-name/eth0, p/0870b6e5]
veths:
  - [h1/eth9, lan1/x]
)") == Lines{"t.yaml:6:10: error: LAN member 'veth0' names no namespace; write "
             "NAMESPACE/INTERFACE (a LAN joins interfaces of lab namespaces)",
             "t.yaml:7:28: error: LAN 'lan2' would name the switch ports of 'p/0870b6e5' and "
             "'a-long-name/eth0' (line 7) both 'p-0870b6e5'; rename one of the interfaces",
             "t.yaml:9:15: error: veth end 'lan1/x' is in the switch namespace of LAN 'lan1'; "
             "make its other end a member of the LAN instead"});
}

TEST_CASE("the shapes of `lans:`") {
    CHECK(errors("lans: [a]\n") ==
          Lines{"t.yaml:1:7: error: `lans` must be a map of LAN names, got a list"});
    CHECK(errors("namespaces: { h1: {} }\nlans:\n  lan1: { members: [h1/eth0], mode: x }\n"
                 "  lan2: { hub: true }\n  lan3: h1/eth0\n") ==
          Lines{"t.yaml:3:31: error: unknown key 'mode' in LAN 'lan1'",
                "t.yaml:4:9: error: LAN 'lan2' needs `members`",
                "t.yaml:5:9: error: LAN 'lan3' must be a list of NAMESPACE/INTERFACE, got "
                "'h1/eth0'"});
}
