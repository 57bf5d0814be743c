// Routes: main table, protocol 201, with or without a device; deleted by what identifies them.
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
// Namespace `ns` with veth rt-0 (up, 172.16.0.1/24 and fd00:1::1/64) paired to rt-1 (up).
void routed_namespace(Kernel& k, const std::string& ns) {
    namespace_with_pair(k, ns, "rt-0", "rt-1");
    k.add_address(ns, "rt-0", cidr("172.16.0.1/24"), Dad::skip);
    k.add_address(ns, "rt-0", cidr("fd00:1::1/64"), Dad::skip);
}

// The one route `ip -j route show DST` lists.
nlohmann::json ip_route(const std::string& ns, const std::string& family, const std::string& dst) {
    const auto routes = ip_json(ns, family + " route show " + dst);
    REQUIRE(routes.size() == 1);
    return routes[0];
}
}  // namespace

TEST_CASE("add_route via a gateway on a device, then delete_route") {
    auto k = make_kernel();
    routed_namespace(*k, "ro-a");
    const Route r = route("10.0.0.0/24", "172.16.0.2", "rt-0");
    k->add_route("ro-a", r);

    CHECK(observe_namespace(*k, "ro-a").routes == std::vector<Route>{r});
    const auto seen = ip_route("ro-a", "-4", "10.0.0.0/24");
    CHECK(seen.at("gateway") == "172.16.0.2");
    CHECK(seen.at("dev") == "rt-0");
    CHECK(seen.at("protocol") == "201");

    CHECK(errno_of(error_from([&] { k->add_route("ro-a", r); })) == EEXIST);

    k->delete_route("ro-a", r);
    CHECK(observe_namespace(*k, "ro-a").routes.empty());
    CHECK(errno_of(error_from([&] { k->delete_route("ro-a", r); })) == ESRCH);
}

TEST_CASE("add_route without a device lets the kernel pick it from the gateway") {
    auto k = make_kernel();
    routed_namespace(*k, "rv-a");
    const Route wanted = route("0.0.0.0/0", "172.16.0.254", nullptr);
    k->add_route("rv-a", wanted);
    CHECK(observe_namespace(*k, "rv-a").routes ==
          std::vector<Route>{route("0.0.0.0/0", "172.16.0.254", "rt-0")});
    CHECK(ip_route("rv-a", "-4", "default").at("dev") == "rt-0");

    k->delete_route("rv-a", wanted);
    CHECK(observe_namespace(*k, "rv-a").routes.empty());
}

TEST_CASE("add_route on a device only (on-link) and with a metric") {
    auto k = make_kernel();
    routed_namespace(*k, "rd-a");
    const Route r = route("10.9.0.0/16", nullptr, "rt-0", 50);
    k->add_route("rd-a", r);
    CHECK(observe_namespace(*k, "rd-a").routes == std::vector<Route>{r});
    const auto seen = ip_route("rd-a", "-4", "10.9.0.0/16");
    CHECK(seen.at("scope") == "link");
    CHECK(seen.at("metric") == 50);
    CHECK_FALSE(seen.contains("gateway"));

    k->delete_route("rd-a", r);
    CHECK(observe_namespace(*k, "rd-a").routes.empty());
}

TEST_CASE("add_route IPv6") {
    auto k = make_kernel();
    routed_namespace(*k, "r6-a");
    const Route r = route("2001:db8:5::/48", "fd00:1::2", "rt-0", 1024);
    k->add_route("r6-a", r);
    CHECK(observe_namespace(*k, "r6-a").routes == std::vector<Route>{r});
    const auto seen = ip_route("r6-a", "-6", "2001:db8:5::/48");
    CHECK(seen.at("gateway") == "fd00:1::2");
    CHECK(seen.at("protocol") == "201");

    k->delete_route("r6-a", route("2001:db8:5::/48", "fd00:1::2", nullptr, 1024));
    CHECK(observe_namespace(*k, "r6-a").routes.empty());
}

TEST_CASE("delete_route removes a route ip added with another protocol") {
    auto k = make_kernel();
    routed_namespace(*k, "rp-a");
    run_ok("ip -n rp-a route add 10.7.0.0/24 via 172.16.0.9");
    const Route r = route("10.7.0.0/24", "172.16.0.9", "rt-0");
    CHECK(observe_namespace(*k, "rp-a").routes == std::vector<Route>{r});
    k->delete_route("rp-a", r);
    CHECK(observe_namespace(*k, "rp-a").routes.empty());
}

TEST_CASE("a routing daemon's routes are its own: the observer leaves them out") {
    auto k = make_kernel();
    routed_namespace(*k, "rz-a");
    // As FRR's zebra installs them (ospf, bgp), and a DHCP client; beside a hand-made one.
    run_ok("ip -n rz-a route add 10.71.0.0/24 via 172.16.0.9 proto ospf");
    run_ok("ip -n rz-a route add 10.72.0.0/24 via 172.16.0.9 proto bgp");
    run_ok("ip -n rz-a route add 10.73.0.0/24 via 172.16.0.9 proto dhcp");
    run_ok("ip -n rz-a route add 10.74.0.0/24 via 172.16.0.9 proto static");
    run_ok("ip -n rz-a route add 10.75.0.0/24 via 172.16.0.9");
    CHECK(observe_namespace(*k, "rz-a").routes ==
          std::vector<Route>{route("10.74.0.0/24", "172.16.0.9", "rt-0"),
                             route("10.75.0.0/24", "172.16.0.9", "rt-0")});
}

TEST_CASE("a gateway that is not on any link: ENETUNREACH with the kernel's own reason") {
    auto k = make_kernel();
    routed_namespace(*k, "ru-a");
    const Error e =
        error_from([&] { k->add_route("ru-a", route("10.0.0.0/24", "192.0.2.99", nullptr)); });
    CHECK(e.kind() == ErrorKind::kernel);
    REQUIRE(e.kernel());
    CHECK(e.kernel()->errno_value == ENETUNREACH);
    CHECK(e.kernel()->ext_ack == "Nexthop has invalid gateway");
    CHECK(std::string(e.what()) ==
          "cannot add route 10.0.0.0/24 via 192.0.2.99 metric 0 (namespace ru-a: add route "
          "10.0.0.0/24 via 192.0.2.99 metric 0: Network is unreachable [errno 101]: "
          "Nexthop has invalid gateway)");
}
