// The check command's three report formats.
#include <catch2/catch.hpp>

#include "fake_prober.hpp"
#include "nstopo/checks.hpp"
#include "render_checks.hpp"

using namespace nstopo;
using namespace std::chrono_literals;

using nstopo::test::check;
using nstopo::test::ip;

namespace {

const Style kPlain{false};

}  // namespace

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

TEST_CASE("tcp and wait checks: text, json and junit name the port and say how long it took") {
    CheckReport r;
    Check tcp = nstopo::test::tcp_check("cli", "10.0.2.10", 8080);
    tcp.wait = 30s;
    CheckOutcome o{tcp, true, "reachable", "connected in 0.4 ms, held after 3.2 s (5 tries)",
                   3200ms};
    o.tries = 5;
    r.outcomes = {
        o,
        {nstopo::test::tcp_check("cli", "10.0.2.10", 8081), false, "reachable", "refused", 300us}};
    r.elapsed = 3200ms;
    CHECK(checks_text(r, kPlain) ==
          "✓ cli -> 10.0.2.10 tcp 8080: expected reachable, got connected in 0.4 ms, held after "
          "3.2 s (5 tries) (3200.0 ms)\n"
          "✗ cli -> 10.0.2.10 tcp 8081: expected reachable, got refused (0.3 ms)\n"
          "check: 1 of 2 checks failed (3.20 s)\n");
    const auto j = checks_json("lab", r);
    CHECK(j["checks"][0]["tcp"] == 8080);
    CHECK(j["checks"][0]["wait_s"] == 30.0);
    CHECK(j["checks"][0]["tries"] == 5);
    CHECK(j["checks"][1]["wait_s"].is_null());
    CHECK(j["checks"][1]["tries"] == 1);
    CHECK_THAT(checks_junit("lab", r),
               Catch::Contains("name=\"cli -&gt; 10.0.2.10 tcp 8081\"") &&
                   Catch::Contains("expected reachable, got refused</failure>"));
}

TEST_CASE("a named check is reported by its name, a failing one adds its text and hint") {
    Check named = check("h1", "10.0.1.1");
    named.name = "h1 reaches the router";
    named.hint = "Is h1's address in the router's subnet?";
    CheckReport r;
    r.outcomes = {{named, true, "reachable", "reply in 0.2 ms", 1500us},
                  {named, false, "reachable", "no reply", 2000us}};
    r.elapsed = 1010ms;
    CHECK(checks_text(r, kPlain) ==
          "✓ h1 reaches the router: expected reachable, got reply in 0.2 ms (1.5 ms)\n"
          "✗ h1 reaches the router: expected reachable, got no reply (2.0 ms)\n"
          "    h1 -> 10.0.1.1\n"
          "    hint: Is h1's address in the router's subnet?\n"
          "check: 1 of 2 checks failed (1.01 s)\n");
    const auto j = checks_json("lab", r);
    CHECK(j["checks"][1]["name"] == "h1 reaches the router");
    CHECK(j["checks"][1]["hint"] == "Is h1's address in the router's subnet?");
    const std::string junit = checks_junit("lab", r);
    CHECK(junit.find("name=\"h1 reaches the router\"") != std::string::npos);
    CHECK(
        junit.find("h1 -&gt; 10.0.1.1\nhint: Is h1's address in the router's subnet?</failure>") !=
        std::string::npos);

    CheckReport unnamed;
    unnamed.outcomes = {{check("h1", "10.0.1.1"), false, "reachable", "no reply", 2000us}};
    CHECK(checks_json("lab", unnamed)["checks"][0]["name"] == "h1 -> 10.0.1.1");
    CHECK(checks_json("lab", unnamed)["checks"][0]["hint"].is_null());
}

TEST_CASE("several labs: each under its name, then one summary, JSON and JUnit per lab") {
    CheckReport one, two;
    one.outcomes = {{check("a1", "10.0.0.1"), true, "reachable", "reply in 0.2 ms", 1500us}};
    one.elapsed = 500ms;
    two.outcomes = {{check("b1", "10.0.0.2"), true, "reachable", "reply in 0.2 ms", 1500us},
                    {check("b2", "10.0.0.3"), false, "reachable", "no reply", 2000us}};
    two.elapsed = 1000ms;
    const std::vector<LabChecks> labs = {{"one", one}, {"two", two}};
    CHECK(checks_text(labs, kPlain) ==
          "lab one:\n"
          "✓ a1 -> 10.0.0.1: expected reachable, got reply in 0.2 ms (1.5 ms)\n"
          "check: 1 of 1 check held (0.50 s)\n"
          "lab two:\n"
          "✓ b1 -> 10.0.0.2: expected reachable, got reply in 0.2 ms (1.5 ms)\n"
          "✗ b2 -> 10.0.0.3: expected reachable, got no reply (2.0 ms)\n"
          "check: 1 of 2 checks failed (1.00 s)\n"
          "check: 1 of 2 labs held, 2 of 3 checks (1.50 s)\n");
    CHECK(checks_text(std::vector<LabChecks>{{"one", one}}, kPlain) == checks_text(one, kPlain));
    const auto j = checks_json(labs);
    CHECK(j["passed"] == false);
    CHECK(j["total"] == 3);
    CHECK(j["failed"] == 1);
    CHECK(j["labs_failed"] == 1);
    CHECK(j["labs"][1]["lab"] == "two");
    CHECK(j["labs"][1]["checks"][1]["happened"] == "no reply");
    const std::string junit = checks_junit(labs);
    CHECK(junit.find("<testsuites name=\"nstopo check\" tests=\"3\" failures=\"1\"") !=
          std::string::npos);
    CHECK(junit.find("<testsuite name=\"one\" tests=\"1\" failures=\"0\"") != std::string::npos);
    CHECK(junit.find("<testsuite name=\"two\" tests=\"2\" failures=\"1\"") != std::string::npos);
}
