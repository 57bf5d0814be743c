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
