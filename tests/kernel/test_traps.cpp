// Kernel behaviours that shape how nstopo must be driven, each demonstrated.
#include <chrono>
#include <thread>

#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

// STYLE.md: routes go after links are up.
TEST_CASE("trap: the kernel refuses a route through a link that is down") {
    auto k = make_kernel();
    k->create_namespace("td-a", "lab1");
    k->create_veth(Veth{{"td-a", "td-0"}, {"td-a", "td-1"}, {}}, "lab1");
    const Route r = route("10.5.0.0/24", nullptr, "td-0");

    const Error e = error_from([&] { k->add_route("td-a", r); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == ENETDOWN);
    CHECK(e.kernel()->ext_ack == "Device for nexthop is not up");
    CHECK(observe_namespace(*k, "td-a").routes.empty());

    k->set_link_state("td-a", "td-0", LinkState::up);
    k->add_route("td-a", r);
    CHECK(observe_namespace(*k, "td-a").routes == std::vector<Route>{r});
}

namespace {
// Adds a primary and a secondary address of one subnet and a route through it, deletes the
// primary, and returns what is left.
Namespace delete_primary(Kernel& k, const std::string& ns, const std::string& promote) {
    namespace_with_pair(k, ns, "tp-0", "tp-1");
    k.set_sysctl(ns, "net.ipv4.conf.all.promote_secondaries", promote);
    k.set_sysctl(ns, "net.ipv4.conf.tp-0.promote_secondaries", promote);
    k.add_address(ns, "tp-0", cidr("10.9.0.1/24"), Dad::skip);
    k.add_address(ns, "tp-0", cidr("10.9.0.2/24"), Dad::skip);
    k.add_route(ns, route("10.99.0.0/24", "10.9.0.254", "tp-0"));
    REQUIRE(observe_namespace(k, ns).interfaces.at("tp-0").addresses.size() == 2);
    k.delete_address(ns, "tp-0", cidr("10.9.0.1/24"));
    return observe_namespace(k, ns);
}
}  // namespace

// The planner must not delete a primary address it wants to keep the secondaries of, or must
// re-add them (and their routes) afterwards.
TEST_CASE("trap: deleting a primary IPv4 address deletes its secondaries and their routes") {
    auto k = make_kernel();
    const Namespace n = delete_primary(*k, "tp-a", "0");
    CHECK(n.interfaces.at("tp-0").addresses.empty());
    CHECK(n.routes.empty());
}

TEST_CASE("trap: with promote_secondaries=1 the secondary is promoted and keeps the route") {
    auto k = make_kernel();
    const Namespace n = delete_primary(*k, "tp-b", "1");
    CHECK(n.interfaces.at("tp-0").addresses == std::vector<Cidr>{cidr("10.9.0.2/24")});
    CHECK(n.routes == std::vector<Route>{route("10.99.0.0/24", "10.9.0.254", "tp-0")});
}

namespace {
using Clock = std::chrono::steady_clock;

// Polls observe() until host link `ifname` is gone; how long that took.
std::optional<Clock::duration> wait_until_gone(Kernel& k, const std::string& ifname,
                                               Clock::duration limit) {
    const auto start = Clock::now();
    while (observe_host_link(k, ifname)) {
        if (Clock::now() - start > limit) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Clock::now() - start;
}
}  // namespace

// Deleting a namespace returns at once; the kernel tears its devices down later, in a work
// queue (cleanup_net), and the veth end in the *other* namespace goes only then. Re-creating
// that end's name right away collides with the ghost; the caller polls observe() instead.
TEST_CASE("trap: a deleted namespace frees the far end of its veths only later") {
    auto k = make_kernel();
    constexpr int kNamespaces = 20;
    for (int i = 0; i < kNamespaces; ++i) {
        const std::string n = std::to_string(i);
        k->create_namespace("tg-" + n, "lab1");
        k->create_veth(Veth{{"", "tg-host" + n}, {"tg-" + n, "tg-in"}, {}}, "lab1");
    }
    for (int i = 0; i < kNamespaces; ++i) k->delete_namespace("tg-" + std::to_string(i));

    const std::string last = "tg-host" + std::to_string(kNamespaces - 1);
    const bool ghost_seen = observe_host_link(*k, last).has_value();
    k->create_namespace("tg-new", "lab1");
    bool collided = false;
    try {
        k->create_veth(Veth{{"", last}, {"tg-new", "tg-in"}, {}}, "lab1");
    } catch (const Error& e) {
        collided = true;
        CHECK(errno_of(e) == EEXIST);
    }
    WARN("ghost host end seen right after delete: " << ghost_seen
                                                    << ", re-create collided: " << collided);
    if (!collided) k->delete_link("", last);

    // The ghosts go by themselves: nstopo holds nothing (socket, fd) of the deleted namespaces.
    for (int i = 0; i < kNamespaces; ++i) {
        const auto took =
            wait_until_gone(*k, "tg-host" + std::to_string(i), std::chrono::seconds(10));
        REQUIRE(took);
    }
    k->create_veth(Veth{{"", last}, {"tg-new", "tg-in"}, {}}, "lab1");
    CHECK(observe_host_link(*k, last)->owner == "lab1");
}
