// Bridges: created with their options, changed in place, ports attached, moved and detached,
// deleted; each step observed and checked against `ip -j -d link`.
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
const nlohmann::json& bridge_info(const nlohmann::json& link) {
    return link.at("linkinfo").at("info_data");
}
}  // namespace

TEST_CASE("create_bridge makes a marked bridge with its options, delete_link removes it") {
    auto k = make_kernel();
    k->create_namespace("lb-a", "lab1");
    k->create_bridge("lb-a", "br0", BridgeOptions{}, "lab1");
    k->create_bridge("lb-a", "hub0", BridgeOptions{false, 0}, "lab1");

    const Namespace n = observe_namespace(*k, "lb-a");
    const Interface& br = n.interfaces.at("br0");
    CHECK(br.kind == LinkKind::bridge);
    CHECK(br.owner == "lab1");
    CHECK(br.state == LinkState::down);
    CHECK(br.bridge == BridgeOptions{false, BridgeOptions::kDefaultAgeingTime});
    CHECK(n.interfaces.at("hub0").bridge == BridgeOptions{false, 0});
    const auto link = ip_link("lb-a", "br0");
    CHECK(link.at("linkinfo").at("info_kind") == "bridge");
    CHECK(link.at("ifalias") == "nstopo:lab1");
    CHECK(bridge_info(link).at("stp_state") == 0);
    CHECK(bridge_info(link).at("ageing_time") == 30000);
    CHECK(bridge_info(ip_link("lb-a", "hub0")).at("ageing_time") == 0);

    CHECK(errno_of(error_from([&] { k->create_bridge("lb-a", "br0", BridgeOptions{}, "lab1"); })) ==
          EEXIST);

    k->delete_link("lb-a", "br0");
    k->delete_link("lb-a", "hub0");
    CHECK(observe_namespace(*k, "lb-a") == fresh_namespace("lb-a", "lab1"));
    CHECK(ip_json("lb-a", "link show type bridge").empty());
}

TEST_CASE("set_bridge_options turns stp and hub mode on and off in place") {
    auto k = make_kernel();
    k->create_namespace("lo-a", "lab1");
    k->create_bridge("lo-a", "br0", BridgeOptions{}, "lab1");
    const int ifindex = observe_namespace(*k, "lo-a").interfaces.at("br0").ifindex;

    k->set_bridge_options("lo-a", "br0", BridgeOptions{true, 1500});
    Interface br = observe_namespace(*k, "lo-a").interfaces.at("br0");
    CHECK(br.bridge == BridgeOptions{true, 1500});
    CHECK(br.ifindex == ifindex);
    CHECK(bridge_info(ip_link("lo-a", "br0")).at("stp_state") != 0);
    CHECK(bridge_info(ip_link("lo-a", "br0")).at("ageing_time") == 1500);

    k->set_bridge_options("lo-a", "br0", BridgeOptions{false, 0});
    br = observe_namespace(*k, "lo-a").interfaces.at("br0");
    CHECK(br.bridge == BridgeOptions{false, 0});
    CHECK(bridge_info(ip_link("lo-a", "br0")).at("stp_state") == 0);
    CHECK(bridge_info(ip_link("lo-a", "br0")).at("ageing_time") == 0);

    k->set_bridge_options("lo-a", "br0", BridgeOptions{});
    CHECK(observe_namespace(*k, "lo-a").interfaces.at("br0").bridge == BridgeOptions{});

    CHECK(errno_of(error_from([&] { k->set_bridge_options("lo-a", "nope0", BridgeOptions{}); })) ==
          ENODEV);
}

TEST_CASE("set_master attaches a port, moves it to another bridge and detaches it") {
    auto k = make_kernel();
    k->create_namespace("lp-a", "lab1");
    k->create_veth(Veth{{"lp-a", "lp-0"}, {"lp-a", "lp-1"}, {}}, "lab1");
    k->create_bridge("lp-a", "br0", BridgeOptions{}, "lab1");
    k->create_bridge("lp-a", "br1", BridgeOptions{}, "lab1");

    k->set_master("lp-a", "lp-0", "br0");
    Namespace n = observe_namespace(*k, "lp-a");
    CHECK(n.interfaces.at("lp-0").master == "br0");
    CHECK(n.interfaces.at("lp-1").master.empty());
    CHECK(n.interfaces.at("br0").master.empty());
    CHECK(ip_link("lp-a", "lp-0").at("master") == "br0");

    k->set_master("lp-a", "lp-0", "br1");
    CHECK(observe_namespace(*k, "lp-a").interfaces.at("lp-0").master == "br1");
    CHECK(ip_link("lp-a", "lp-0").at("master") == "br1");

    k->set_master("lp-a", "lp-0", "");
    CHECK(observe_namespace(*k, "lp-a").interfaces.at("lp-0").master.empty());
    CHECK_FALSE(ip_link("lp-a", "lp-0").contains("master"));

    // A bridge cannot be its own port.
    CHECK(errno_of(error_from([&] { k->set_master("lp-a", "br0", "br0"); })) != 0);

    // Deleting a bridge detaches its ports.
    k->set_master("lp-a", "lp-1", "br1");
    k->delete_link("lp-a", "br1");
    n = observe_namespace(*k, "lp-a");
    CHECK_FALSE(n.interfaces.contains("br1"));
    CHECK(n.interfaces.at("lp-1").master.empty());
}

TEST_CASE("a host bridge joins host ends, is observed with them and goes") {
    auto k = make_kernel();
    k->create_namespace("lhb-a", "lab1");
    k->create_veth(Veth{{"", "lhb-h0"}, {"lhb-a", "eth0"}, {}}, "lab1");
    k->create_bridge("", "lhb-br", BridgeOptions{}, "lab1");
    k->set_master("", "lhb-h0", "lhb-br");

    const auto br = observe_host_link(*k, "lhb-br");
    REQUIRE(br);
    CHECK(br->kind == LinkKind::bridge);
    CHECK(br->owner == "lab1");
    CHECK(br->bridge == BridgeOptions{});
    CHECK(observe_host_link(*k, "lhb-h0")->master == "lhb-br");
    CHECK(ip_link("", "lhb-h0").at("master") == "lhb-br");

    k->delete_link("", "lhb-br");
    CHECK_FALSE(observe_host_link(*k, "lhb-br"));
    CHECK(observe_host_link(*k, "lhb-h0")->master.empty());
}
