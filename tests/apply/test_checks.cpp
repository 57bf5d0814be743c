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

namespace {

using Outcome = TcpResult::Outcome;

TcpResult tcp_answer(Outcome outcome, std::chrono::microseconds time, const char* detail = "") {
    return {outcome, time, detail};
}

// A check of `c` that waits `wait` for it to hold.
Check waiting(Check c, std::chrono::milliseconds wait) {
    c.wait = wait;
    return c;
}

}  // namespace

TEST_CASE("a tcp check holds when the connection opens, or with unreachable when it does not") {
    FakeProber p;
    p.tcp["cli 10.0.2.10 8080"] = {tcp_answer(Outcome::connected, 400us)};
    p.tcp["cli 10.0.2.10 8081"] = {tcp_answer(Outcome::refused, 100us, "refused")};
    // 8082: nobody answers, the fake's default: "timed out".
    std::vector<Check> checks;
    for (const bool reachable : {true, false})
        for (const int port : {8080, 8081, 8082})
            checks.push_back(nstopo::test::tcp_check("cli", "10.0.2.10",
                                                     static_cast<std::uint16_t>(port), reachable));
    const auto r = run_checks(checks, p, {});
    REQUIRE(r.outcomes.size() == 6);
    const std::vector<std::string> happened = {"connected in 0.4 ms", "refused", "timed out"};
    for (std::size_t i = 0; i < 6; ++i) {
        INFO(r.outcomes[i].check.str() << " expect " << r.outcomes[i].expected);
        CHECK(r.outcomes[i].happened == happened[i % 3]);
        CHECK(r.outcomes[i].tries == 1);
    }
    CHECK(r.outcomes[0].check.str() == "cli -> 10.0.2.10 tcp 8080");
    CHECK(r.outcomes[0].held);
    CHECK_FALSE(r.outcomes[1].held);
    CHECK_FALSE(r.outcomes[2].held);
    CHECK_FALSE(r.outcomes[3].held);
    CHECK(r.outcomes[3].expected == "unreachable");
    CHECK(r.outcomes[4].held);
    CHECK(r.outcomes[5].held);
    CHECK(p.requests.empty());  // no echo request for a tcp check
}

TEST_CASE("the prober gets the tcp check's namespace, address, port, source and timeout") {
    FakeProber p;
    Check c = nstopo::test::tcp_check("cli", "10.0.2.10", 443);
    c.source = ip("10.0.1.5");
    run_checks({c}, p, {300ms, 5});
    REQUIRE(p.tcp_requests.size() == 1);
    CHECK(p.tcp_requests[0].ns == "cli");
    CHECK(p.tcp_requests[0].to == ip("10.0.2.10"));
    CHECK(p.tcp_requests[0].port == 443);
    CHECK(p.tcp_requests[0].source == ip("10.0.1.5"));
    CHECK(p.tcp_requests[0].timeout == 300ms);
}

TEST_CASE("a tcp check with `via` needs both the first hop and the connection") {
    FakeProber p;
    p.routes["cli 10.0.2.10"] = {true, ip("10.0.1.254"), "cli0", {}};
    p.tcp["cli 10.0.2.10 80"] = {tcp_answer(Outcome::connected, 200us)};
    Check good = nstopo::test::tcp_check("cli", "10.0.2.10", 80), wrong = good;
    good.via = ip("10.0.1.254");
    wrong.via = ip("10.0.1.9");
    const auto r = run_checks({good, wrong}, p, {});
    CHECK(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened == "first hop 10.0.1.254 (cli0), connected in 0.2 ms");
    CHECK_FALSE(r.outcomes[1].held);
}

TEST_CASE("a check without `wait` is tried once, even when its answer came at once") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    p.echoes["r1 10.0.3.1"] = {false, {}, "Network is unreachable"};
    p.tcp["r1 10.0.3.1 22"] = {tcp_answer(Outcome::unreachable, 0us, "no route")};
    const auto r =
        run_checks({check("r1", "10.0.3.1"), nstopo::test::tcp_check("r1", "10.0.3.1", 22)}, p,
                   {1000ms, 3, 250ms, &clock});
    CHECK(p.requests.size() == 1);
    CHECK(p.tcp_requests.size() == 1);
    CHECK(r.outcomes[0].happened == "Network is unreachable");
    CHECK(r.outcomes[1].happened == "no route");
    CHECK(r.outcomes[0].tries == 1);
    CHECK(clock.sleeps == 0);
    // Certain at once: the fake prober's clock did not move, nor did the runner wait.
    CHECK(r.elapsed == 0us);
}

TEST_CASE("`wait` tries again until the check holds, and says how long and how often") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    const auto no_route = tcp_answer(Outcome::unreachable, 0us, "no route");
    p.tcp["r1 10.0.3.1 179"] = {no_route, no_route, no_route, no_route,
                                tcp_answer(Outcome::connected, 400us)};
    const auto r = run_checks({waiting(nstopo::test::tcp_check("r1", "10.0.3.1", 179), 30s)}, p,
                              {1000ms, 3, 250ms, &clock});
    const CheckOutcome& o = r.outcomes.at(0);
    CHECK(o.held);
    CHECK(o.tries == 5);
    // Four tries failed at once, each followed by a pause of 250 ms; the fifth connected.
    CHECK(o.happened == "connected in 0.4 ms, held after 1.0 s (5 tries)");
    CHECK(o.elapsed == 1000ms + 400us);
    CHECK(p.tcp_requests.size() == 5);
}

TEST_CASE("`wait` with an echo that is answered at the first try ends at once") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    p.echoes["r1 10.0.3.1"] = reply(300us);
    const auto r =
        run_checks({waiting(check("r1", "10.0.3.1"), 30s)}, p, {1000ms, 3, 250ms, &clock});
    CHECK(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened == "reply in 0.3 ms, held after 0.0 s (1 try)");
    CHECK(p.requests.size() == 1);
    CHECK(clock.sleeps == 0);
}

TEST_CASE("`wait` gives up when the wait has passed, cutting the last try to what is left") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    // Nobody answers: every echo takes its whole timeout.
    const auto r =
        run_checks({waiting(check("r1", "10.0.3.1"), 3s)}, p, {1000ms, 3, 250ms, &clock});
    const CheckOutcome& o = r.outcomes.at(0);
    CHECK_FALSE(o.held);
    // Tries at 0 s (1 s), 1.25 s (1 s) and 2.5 s, cut to the 0.5 s left.
    CHECK(o.tries == 3);
    CHECK(o.happened == "no reply, gave up after 3.0 s (3 tries)");
    REQUIRE(p.requests.size() == 3);
    CHECK(p.requests[0].timeout == 1000ms);
    CHECK(p.requests[1].timeout == 1000ms);
    CHECK(p.requests[2].timeout == 500ms);
    CHECK(o.elapsed == 3s);
}

TEST_CASE("`wait` with expect unreachable: a certain refusal holds at once, a reply is retried") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    p.tcp["r1 10.0.3.1 23"] = {tcp_answer(Outcome::refused, 50us, "refused")};
    p.echo_turns["r1 10.0.3.2"] = {reply(100us), reply(100us), {false, {}, "no reply"}};
    const auto r = run_checks({waiting(nstopo::test::tcp_check("r1", "10.0.3.1", 23, false), 10s),
                               waiting(check("r1", "10.0.3.2", false), 10s)},
                              p, {1000ms, 3, 250ms, &clock});
    CHECK(r.outcomes[0].held);
    CHECK(r.outcomes[0].tries == 1);
    CHECK(r.outcomes[0].happened.starts_with("refused, held after "));
    CHECK(r.outcomes[1].held);
    CHECK(r.outcomes[1].tries == 3);
    CHECK(r.outcomes[1].happened.starts_with("no reply, held after "));
}

TEST_CASE("`wait` does not retry a check whose probe throws") {
    nstopo::test::FakeClock clock;
    FakeProber p;
    p.clock = &clock;
    const auto r =
        run_checks({waiting(check("gone", "10.0.3.1"), 30s)}, p, {1000ms, 3, 250ms, &clock});
    CHECK_FALSE(r.outcomes[0].held);
    CHECK(r.outcomes[0].happened == "cannot send an echo request: gone");
    CHECK(p.requests.size() == 1);
}
