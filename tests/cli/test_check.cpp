// The check runner against a fake prober: verdicts, concurrency, and the three report formats.
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "check.hpp"
#include "nstopo/error.hpp"

using namespace nstopo;
using namespace std::chrono_literals;

namespace {

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

Check check(const char* from, const char* to, bool reachable = true) {
    Check c;
    c.from = from;
    c.to = ip(to);
    c.expect_reachable = reachable;
    c.where = {"lab.yaml", 12, 5};
    return c;
}

// Answers from tables keyed by "ns to"; counts how many calls overlap in time.
class FakeProber : public Prober {
  public:
    std::map<std::string, EchoResult> echoes;  // absent: "no reply"
    std::map<std::string, RouteAnswer> routes;
    std::chrono::milliseconds delay{0};
    std::vector<EchoRequest> requests;
    int most_at_once = 0;

    EchoResult echo(const EchoRequest& r) override {
        enter(r);
        std::this_thread::sleep_for(delay);
        leave();
        if (r.ns == "gone") throw Error(ErrorKind::kernel, "cannot send an echo request: gone");
        const auto it = echoes.find(r.ns + " " + r.to.str());
        return it != echoes.end() ? it->second : EchoResult{false, {}, "no reply"};
    }

    RouteAnswer route_to(const std::string& ns, const IpAddress& to,
                         const std::optional<IpAddress>&) override {
        return routes.at(ns + " " + to.str());
    }

  private:
    void enter(const EchoRequest& r) {
        const std::lock_guard lock(mutex_);
        requests.push_back(r);
        most_at_once = std::max(most_at_once, ++now_);
    }
    void leave() {
        const std::lock_guard lock(mutex_);
        --now_;
    }
    std::mutex mutex_;
    int now_ = 0;
};

EchoResult reply(std::chrono::microseconds rtt) {
    return {true, rtt, {}};
}

const Style kPlain{false};

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

TEST_CASE("text: one line per check, then the summary") {
    CheckReport r;
    r.outcomes = {{check("ns01", "10.0.0.1"), true, "reachable", "reply in 0.2 ms", 1500us},
                  {check("ns02", "172.16.0.9"), false, "unreachable", "reply in 0.3 ms", 2000us}};
    r.elapsed = 1010ms;
    CHECK(checks_text(r, kPlain) ==
          "✓ ns01 -> 10.0.0.1: expected reachable, got reply in 0.2 ms (1.5 ms)\n"
          "✗ ns02 -> 172.16.0.9: expected unreachable, got reply in 0.3 ms (2.0 ms)\n"
          "check: 1 of 2 checks failed (1.01 s)\n");
    r.outcomes.pop_back();
    CHECK(checks_text(r, kPlain) ==
          "✓ ns01 -> 10.0.0.1: expected reachable, got reply in 0.2 ms (1.5 ms)\n"
          "check: 1 of 1 check held (1.01 s)\n");
    CHECK(checks_text(CheckReport{}, kPlain) == "check: the lab has no checks\n");
}

TEST_CASE("json: the verdict, counts and every check with its location") {
    CheckReport r;
    Check c = check("ns01", "10.0.0.1");
    c.via = ip("192.168.0.254");
    r.outcomes = {{c, false, "reachable via 192.168.0.254", "no reply", 1000us}};
    const auto j = checks_json("two-routers", r);
    CHECK(j["lab"] == "two-routers");
    CHECK(j["passed"] == false);
    CHECK(j["total"] == 1);
    CHECK(j["failed"] == 1);
    CHECK(j["checks"][0]["via"] == "192.168.0.254");
    CHECK(j["checks"][0]["source"].is_null());
    CHECK(j["checks"][0]["expect"] == "reachable");
    CHECK(j["checks"][0]["location"]["line"] == 12);
}

TEST_CASE("junit: one testcase per check, a failure for each that did not hold") {
    CheckReport r;
    r.outcomes = {{check("ns01", "10.0.0.1"), true, "reachable", "reply in 0.2 ms", 1600us},
                  {check("ns<2>", "10.0.0.9"), false, "reachable", "no \"reply\" & more", 2000us}};
    r.elapsed = 1010ms;
    CHECK(checks_junit("lab", r) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"nstopo check\" tests=\"2\" failures=\"1\" errors=\"0\" "
          "time=\"1.010\">\n"
          "  <testsuite name=\"lab\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"1.010\">\n"
          "    <testcase classname=\"lab\" name=\"ns01 -&gt; 10.0.0.1\" time=\"0.002\"/>\n"
          "    <testcase classname=\"lab\" name=\"ns&lt;2&gt; -&gt; 10.0.0.9\" time=\"0.002\">\n"
          "      <failure message=\"expected reachable, got no &quot;reply&quot; &amp; more\">"
          "lab.yaml:12:5: expected reachable, got no &quot;reply&quot; &amp; more</failure>\n"
          "    </testcase>\n"
          "  </testsuite>\n"
          "</testsuites>\n");
}
