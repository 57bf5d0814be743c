// `host: uplink:` read from the lab file: what it makes on the host (the table of the lab's own,
// the forwarding keys of exactly the links that need it) and what it refuses.
#include <catch2/catch.hpp>

#include "nstopo/config.hpp"
#include "nstopo/nftables.hpp"

using namespace nstopo;

TEST_CASE("host-uplink.yaml: the lab's table and forwarding for out and the host end only") {
    auto r = load_topology_file(std::string(NSTOPO_TOPOLOGIES_DIR) + "/host-uplink.yaml");
    REQUIRE(r.ok());
    const Topology& t = *r.topology;
    REQUIRE(t.uplink);
    CHECK(t.uplink->out == "eth0");
    CHECK(t.uplink->subnets.size() == 2);
    CHECK(t.host_sysctls ==
          std::map<std::string, std::string>{{"net.ipv4.conf.eth0.forwarding", "1"},
                                             {"net.ipv4.conf.veth0.forwarding", "1"}});
    REQUIRE(t.host_tables.size() == 1);
    const NftTable& table = t.host_tables.begin()->second;
    CHECK(table.id() == "ip nstopo-host-uplink");
    CHECK(table.body.find("oifname \"eth0\" ip saddr { 10.0.1.0/24, 10.1.1.0/24 } masquerade") !=
          std::string::npos);
}

TEST_CASE("an uplink's out with a dot is written as sysctl(8) writes it") {
    CHECK(ipv4_forwarding_key("eth0.10") == "net.ipv4.conf.eth0/10.forwarding");
    CHECK(ifname_of_forwarding_key("net.ipv4.conf.eth0/10.forwarding") == "eth0.10");
    CHECK_FALSE(ifname_of_forwarding_key("net.ipv4.ip_forward"));
}

TEST_CASE("an uplink needs out and subnets") {
    const auto r = load_topology_text("host:\n  uplink: { subnets: [] }\n", "t.yaml");
    REQUIRE_FALSE(r.ok());
    std::vector<std::string> messages;
    for (const auto& d : r.diagnostics) messages.push_back(d.message);
    CHECK(messages == std::vector<std::string>{
                          "`uplink` needs `out`: the host interface the lab's traffic leaves by",
                          "`subnets` lists no subnet"});
}
