// Traffic control and host routes through the engine and the fake kernel: netem refused on a
// kernel without sch_netem before anything changes, a rate changed in place, drift seen by status,
// and host routes recorded, conflicting with a hand-made one, and removed alone at destroy.
#include <catch2/catch.hpp>

#include "engine_fixture.hpp"
#include "nstopo/error.hpp"

using namespace nstopo;

namespace {

using Fixture = nstopo::test::EngineFixture;
using nstopo::test::load_lab;

std::string shaped_lab(const std::string& shaping) {
    return R"(name: shaped
namespaces:
  a:
    interfaces:
      a-eth0:
        addresses: [10.0.0.1/24]
)" + shaping +
           R"(
  b:
    interfaces:
      b-eth0: { addresses: [10.0.0.2/24] }
veths:
  - [a/a-eth0, b/b-eth0]
)";
}

std::string plan_text(const Engine& engine, const Topology& lab) {
    return to_text(engine.plan(lab));
}

const char* const kHostRoutes = R"(name: routed
namespaces:
  r:
    forwarding: true
    interfaces:
      r-up: { addresses: [10.1.1.1/24] }
      r-down: { addresses: [10.0.1.1/24] }
  far:
    interfaces:
      far-eth0: { addresses: [10.0.1.2/24] }
    routes:
      - { to: default, via: 10.0.1.1 }
host:
  interfaces:
    h-lab: { addresses: [10.1.1.2/24] }
  routes:
    - { to: 10.0.1.0/24, via: 10.1.1.1 }
veths:
  - [h-lab, r/r-up]
  - [r/r-down, far/far-eth0]
)";

Route route(const std::string& to, const std::string& via) {
    Route r;
    r.to = Cidr::parse(to).value();
    r.via = IpAddress::parse(via);
    return r;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "netem on a kernel without sch_netem stops apply and plan at once") {
    kernel.set_qdisc_support("netem", false);
    const Topology lab =
        load_lab(shaped_lab("        rate: 10mbit\n        netem: { delay: 40ms }"));
    for (const bool apply : {true, false}) {
        try {
            if (apply)
                engine.apply(lab, "/labs/shaped.yaml");
            else
                engine.plan(lab);
            FAIL("no refusal");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::kernel);
            CHECK(e.message() ==
                  "cannot shape a-eth0 in a with rate 10mbit, delay 40ms: this kernel has no netem "
                  "qdisc (module sch_netem not built or not loaded); nothing was changed");
            REQUIRE(e.where());
            CHECK(e.where()->line == 8);  // where `netem:` is written, not the interface's key
            CHECK(e.where()->column == 9);
        }
    }
    CHECK(kernel.journal().empty());
    CHECK_FALSE(store.load("shaped"));
}

TEST_CASE_METHOD(Fixture, "a rate alone needs no sch_netem, and a new rate is changed in place") {
    kernel.set_qdisc_support("netem", false);
    engine.apply(load_lab(shaped_lab("        rate: 10mbit")), "/labs/shaped.yaml");
    CHECK(kernel.shaping("a", "a-eth0") == Shaping{10'000'000, std::nullopt, ""});
    CHECK(kernel.qdiscs_made("a", "a-eth0") == 1);

    const Topology faster = load_lab(shaped_lab("        rate: 20mbit"));
    CHECK(plan_text(engine, faster) == "~ shape a-eth0 in a: rate 10mbit -> 20mbit\n");
    engine.apply(faster, "/labs/shaped.yaml");
    CHECK(kernel.shaping("a", "a-eth0")->rate == 20'000'000);
    CHECK(kernel.qdiscs_made("a", "a-eth0") == 1);  // the same qdisc, changed

    const Topology plain = load_lab(shaped_lab(""));
    CHECK(plan_text(engine, plain) == "- unshape a-eth0 in a: rate 20mbit\n");
    engine.apply(plain, "/labs/shaped.yaml");
    CHECK_FALSE(kernel.shaping("a", "a-eth0"));
}

TEST_CASE_METHOD(Fixture, "status sees shaping deleted or added by hand, and apply repairs it") {
    const Topology lab = load_lab(shaped_lab("        rate: 10mbit"));
    engine.apply(lab, "/labs/shaped.yaml");
    kernel.set_qdisc_by_hand("a", "a-eth0", std::nullopt);
    Shaping by_hand;
    by_hand.foreign = "tbf 8001:";
    kernel.set_qdisc_by_hand("b", "b-eth0", by_hand);
    const auto status = engine.status("shaped");
    REQUIRE(status.size() == 1);
    CHECK(to_text(status[0].drift) ==
          "- unshape b-eth0 in b: qdisc tbf 8001:\n+ shape a-eth0 in a: rate 10mbit\n");
    CHECK(status[0].observed.find_interface("b", "b-eth0")->shaping == by_hand);
    engine.apply(lab, "/labs/shaped.yaml");
    CHECK(engine.status("shaped")[0].drift.empty());
    CHECK_FALSE(kernel.shaping("b", "b-eth0"));
}

TEST_CASE_METHOD(Fixture, "host routes are recorded, and destroy removes them and nothing else") {
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    kernel.add_address(kHostNamespace, "eth0", Cidr::parse("192.0.2.10/24").value(), Dad::skip);
    kernel.set_link_state(kHostNamespace, "eth0", LinkState::up);
    kernel.add_route_by_hand(kHostNamespace, route("198.51.100.0/24", "192.0.2.1"));

    engine.apply(load_lab(kHostRoutes), "/labs/routed.yaml");
    const auto record = store.load("routed");
    REQUIRE(record);
    REQUIRE(record->host_routes.size() == 1);
    CHECK(record->host_routes.front().to.str() == "10.0.1.0/24");
    const auto status = engine.status("routed");
    REQUIRE(status[0].observed.host_routes.size() == 1);
    CHECK(status[0].observed.host_routes.front().str() ==
          "10.0.1.0/24 via 10.1.1.1 dev h-lab metric 0");

    // Deleted by hand: drift, and added again.
    kernel.delete_route(kHostNamespace, route("10.0.1.0/24", "10.1.1.1"));
    CHECK(to_text(engine.status("routed")[0].drift) ==
          "+ add route 10.0.1.0/24 via 10.1.1.1 metric 0 in host\n");
    engine.apply(load_lab(kHostRoutes), "/labs/routed.yaml");
    CHECK(engine.status("routed")[0].drift.empty());

    kernel.clear_journal();
    engine.destroy("routed");
    for (const auto& line : kernel.journal()) CHECK(line.find("198.51.100.0") == std::string::npos);
    ObserveScope scope;
    scope.host_routing = true;
    const auto left = kernel.observe(scope).host_routing.routes;
    REQUIRE(left.size() == 1);
    CHECK(left.front().str() == "198.51.100.0/24 via 192.0.2.1 dev eth0 metric 0");
}

TEST_CASE_METHOD(Fixture, "a hand-made host route of the same destination is a conflict") {
    const Topology lab = load_lab(kHostRoutes);
    engine.apply(lab, "/labs/routed.yaml");
    kernel.delete_route(kHostNamespace, route("10.0.1.0/24", "10.1.1.1"));
    kernel.add_route_by_hand(kHostNamespace, route("10.0.1.0/24", "10.1.1.1"));
    kernel.clear_journal();
    try {
        engine.apply(lab, "/labs/routed.yaml");
        FAIL("no conflict");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::conflict);
        CHECK(e.message() ==
              "the host already has a route 10.0.1.0/24 via 10.1.1.1 dev h-lab metric 0 that lab "
              "'routed' did not add; nstopo never replaces a host route");
        REQUIRE(e.where());
        CHECK(e.where()->line == 17);
    }
    CHECK(kernel.journal().empty());
    // Destroy leaves the hand-made route alone (the host end goes, and the kernel takes the route
    // along with it; nstopo never deletes it).
    engine.destroy("routed");
    for (const auto& line : kernel.journal()) CHECK(line.find("delete_route") == std::string::npos);
}
