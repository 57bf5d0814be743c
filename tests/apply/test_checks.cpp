// The check runner against a fake prober: verdicts and concurrency.
#include <catch2/catch.hpp>

#include "fake_prober.hpp"
#include "nstopo/checks.hpp"

using namespace nstopo;
using namespace std::chrono_literals;
using nstopo::test::FakeProber;

using nstopo::test::check;
using nstopo::test::ip;

namespace {

EchoResult reply(std::chrono::microseconds rtt) {
    return {true, rtt, {}};
}

}  // namespace

TEST_CASE("a check holds when the answer is what it expects") {
    FakeProber p;
    p.echoes["ns01 10.0.0.1"] = reply(250us);
    const auto r = run_checks({check("ns01", "10.0.0.1"), check("ns01", "10.0.0.9", false),
                               check("ns01", "10.0.0.9"), check("ns01", "10.0.0.1", false)},
                              p, {});
    REQUIRE(r.outcomes.size() == 4);
    CHECK(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened == "reply in 0.2 ms");
    CHECK(r.outcomes[1].held);
    CHECK(r.outcomes[1].expected == "unreachable");
    CHECK_FALSE(r.outcomes[2].held);
    CHECK(r.outcomes[2].happened == "no reply");
    CHECK_FALSE(r.outcomes[3].held);
    CHECK(r.failed() == 2);
    CHECK_FALSE(r.all_held());
}

TEST_CASE("the prober gets the check's namespace, source, timeout and tries") {
    FakeProber p;
    Check c = check("ns01", "10.0.0.1");
    c.source = ip("192.168.0.1");
    run_checks({c}, p, {250ms, 5});
    REQUIRE(p.requests.size() == 1);
    CHECK(p.requests[0].ns == "ns01");
    CHECK(p.requests[0].to == ip("10.0.0.1"));
    CHECK(p.requests[0].source == ip("192.168.0.1"));
    CHECK(p.requests[0].timeout == 250ms);
    CHECK(p.requests[0].tries == 5);
}

TEST_CASE("`via` holds only when the route lookup names that gateway") {
    FakeProber p;
    p.echoes["ns01 10.0.0.1"] = reply(100us);
    p.echoes["ns01 192.168.0.254"] = reply(100us);
    p.routes["ns01 10.0.0.1"] = {true, ip("192.168.0.254"), "ns01-veth0", {}};
    p.routes["ns01 192.168.0.254"] = {true, std::nullopt, "ns01-veth0", {}};
    p.routes["ns01 10.0.0.9"] = {false, std::nullopt, {}, "Network is unreachable"};
    Check good = check("ns01", "10.0.0.1"), wrong = good, direct = check("ns01", "192.168.0.254"),
          none = check("ns01", "10.0.0.9");
    good.via = ip("192.168.0.254");
    wrong.via = ip("192.168.0.9");
    direct.via = ip("192.168.0.254");
    none.via = ip("192.168.0.254");
    const auto r = run_checks({good, wrong, direct, none}, p, {});
    CHECK(r.outcomes[0].held);
    CHECK(r.outcomes[0].expected == "reachable via 192.168.0.254");
    CHECK(r.outcomes[0].happened == "first hop 192.168.0.254 (ns01-veth0), reply in 0.1 ms");
    CHECK_FALSE(r.outcomes[1].held);
    CHECK_FALSE(r.outcomes[2].held);
    CHECK(r.outcomes[2].happened == "direct (no gateway) on ns01-veth0, reply in 0.1 ms");
    CHECK_FALSE(r.outcomes[3].held);
    CHECK(r.outcomes[3].happened == "no route (Network is unreachable), no reply");
}

TEST_CASE("a probe that throws fails its check, and only its check") {
    FakeProber p;
    p.echoes["ns01 10.0.0.1"] = reply(100us);
    const auto r = run_checks({check("gone", "10.0.0.1"), check("ns01", "10.0.0.1")}, p, {});
    CHECK_FALSE(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened == "cannot send an echo request: gone");
    CHECK(r.outcomes[1].held);
}

TEST_CASE("checks run concurrently") {
    FakeProber p;
    p.delay = 200ms;
    const std::vector<Check> five(5, check("ns01", "10.0.0.1"));
    const auto r = run_checks(five, p, {});
    CHECK(p.most_at_once == 5);
    CHECK(r.elapsed < 900ms);  // one after another would take 1 s
}

TEST_CASE("a check whose route leaves the lab through the host is not sent") {
    FakeProber p;
    const LabExits exits{{VethEnd{"netns1", "veth1"}, {ip("10.1.1.2")}}};
    p.routes["netns1 10.2.0.9"] = RouteAnswer{true, ip("10.1.1.2"), "veth1", {}};
    p.routes["netns1 10.1.1.2"] = RouteAnswer{true, std::nullopt, "veth1", {}};
    p.routes["netns1 10.3.0.1"] = RouteAnswer{true, std::nullopt, "inner0", {}};
    p.echoes["netns1 10.1.1.2"] = reply(100us);
    p.echoes["netns1 10.3.0.1"] = reply(100us);
    const auto r = run_checks({check("netns1", "10.2.0.9"), check("netns1", "10.2.0.9", false),
                               check("netns1", "10.1.1.2"), check("netns1", "10.3.0.1")},
                              p, {1000ms, 3}, exits);
    CHECK_FALSE(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened ==
          "not sent: the route to 10.2.0.9 leaves the lab through the host (veth1); checks only "
          "send traffic inside the lab");
    CHECK_FALSE(r.outcomes[1].held);  // nothing sent proves nothing, either way
    CHECK(r.outcomes[2].held);        // the host end's own address is the lab's
    CHECK(r.outcomes[3].held);
    // Only the two checks that stayed inside sent echo requests.
    CHECK(p.requests.size() == 2);
}

TEST_CASE("lab exits: the lab ends of veths to the host, with the host end's addresses") {
    Topology t;
    Interface host;
    host.name = "veth0";
    host.addresses = {*Cidr::parse("10.1.1.2/24")};
    t.host_interfaces["veth0"] = host;
    t.veths = {Veth{{"", "veth0"}, {"netns1", "veth1"}, {}}, Veth{{"a", "x"}, {"b", "y"}, {}}};
    const LabExits exits = lab_exits(t);
    REQUIRE(exits.size() == 1);
    CHECK(exits.at(VethEnd{"netns1", "veth1"}) == std::vector<IpAddress>{ip("10.1.1.2")});
}
