#include "check.hpp"

#include <fmt/format.h>

#include <thread>

#include "xml.hpp"

namespace nstopo {

namespace {

using Clock = std::chrono::steady_clock;

double ms(std::chrono::microseconds d) {
    return static_cast<double>(d.count()) / 1000.0;
}

std::string expectation(const Check& c) {
    std::string s = c.expect_reachable ? "reachable" : "unreachable";
    if (c.via) s += " via " + c.via->str();
    return s;
}

// What the route lookup said, and whether it names the expected first hop.
std::pair<std::string, bool> judge_route(const Check& c, const RouteAnswer& r) {
    if (!r.found) return {"no route (" + r.error + ")", false};
    if (!r.gateway) return {"direct (no gateway) on " + r.dev, false};
    return {"first hop " + r.gateway->str() + " (" + r.dev + ")", *r.gateway == *c.via};
}

std::string describe_echo(const EchoResult& e) {
    return e.answered ? fmt::format("reply in {:.1f} ms", ms(e.rtt)) : e.detail;
}

CheckOutcome evaluate(const Check& c, Prober& prober, const CheckOptions& o) {
    CheckOutcome out{c, false, expectation(c), {}, {}};
    bool route_ok = true;
    if (c.via) {
        auto [text, ok] = judge_route(c, prober.route_to(c.from, c.to, c.source));
        out.happened = text + ", ";
        route_ok = ok;
    }
    const EchoResult echo = prober.echo({c.from, c.to, c.source, o.timeout, o.tries});
    out.happened += describe_echo(echo);
    out.held = route_ok && echo.answered == c.expect_reachable;
    return out;
}

CheckOutcome evaluate_timed(const Check& c, Prober& prober, const CheckOptions& o) {
    const auto start = Clock::now();
    CheckOutcome out;
    try {
        out = evaluate(c, prober, o);
    } catch (const std::exception& e) {
        out = CheckOutcome{c, false, expectation(c), e.what(), {}};
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return out;
}

std::string seconds(std::chrono::microseconds d) {
    return fmt::format("{:.3f}", static_cast<double>(d.count()) / 1e6);
}

std::string junit_testcase(const std::string& lab, const CheckOutcome& o) {
    std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
                                  xml_escaped(lab), xml_escaped(o.check.str()), seconds(o.elapsed));
    if (o.held) return out + "/>\n";
    const std::string message = "expected " + o.expected + ", got " + o.happened;
    return out + fmt::format(">\n      <failure message=\"{}\">{}: {}</failure>\n    </testcase>\n",
                             xml_escaped(message), xml_escaped(o.check.where.str()),
                             xml_escaped(message));
}

}  // namespace

std::size_t CheckReport::failed() const {
    std::size_t n = 0;
    for (const auto& o : outcomes) n += !o.held;
    return n;
}

CheckReport run_checks(const std::vector<Check>& checks, Prober& prober, const CheckOptions& o) {
    const auto start = Clock::now();
    CheckReport report;
    report.outcomes.resize(checks.size());
    {
        std::vector<std::jthread> threads;
        for (std::size_t i = 0; i < checks.size(); ++i)
            threads.emplace_back(
                [&, i] { report.outcomes[i] = evaluate_timed(checks[i], prober, o); });
    }
    report.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return report;
}

std::string check_line(const CheckOutcome& o, const Style& s) {
    const std::string mark = o.held ? s.paint("✓", "\033[32m") : s.paint("✗", "\033[31m");
    return fmt::format("{} {}: expected {}, got {} ({:.1f} ms)", mark, o.check.str(), o.expected,
                       o.happened, ms(o.elapsed));
}

std::string checks_text(const CheckReport& r, const Style& s) {
    std::string out;
    for (const auto& o : r.outcomes) out += check_line(o, s) + "\n";
    const auto n = r.outcomes.size();
    if (n == 0) return "check: the lab has no checks\n";
    const bool held = r.all_held();
    return out + fmt::format("check: {} of {} check{} {} ({:.2f} s)\n", held ? n : r.failed(), n,
                             n == 1 ? "" : "s", held ? "held" : "failed", ms(r.elapsed) / 1000.0);
}

nlohmann::json checks_json(const std::string& lab, const CheckReport& r) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& o : r.outcomes) {
        const Check& c = o.check;
        checks.push_back(
            {{"from", c.from},
             {"to", c.to.str()},
             {"source", c.source ? nlohmann::json(c.source->str()) : nullptr},
             {"via", c.via ? nlohmann::json(c.via->str()) : nullptr},
             {"expect", c.expect_reachable ? "reachable" : "unreachable"},
             {"held", o.held},
             {"expected", o.expected},
             {"happened", o.happened},
             {"elapsed_ms", ms(o.elapsed)},
             {"location",
              {{"file", c.where.file}, {"line", c.where.line}, {"column", c.where.column}}}});
    }
    return {{"lab", lab},           {"passed", r.all_held()},      {"total", r.outcomes.size()},
            {"failed", r.failed()}, {"elapsed_ms", ms(r.elapsed)}, {"checks", checks}};
}

std::string checks_junit(const std::string& lab, const CheckReport& r) {
    const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\"",
                                           r.outcomes.size(), r.failed(), seconds(r.elapsed));
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"nstopo check\" " + counts + ">\n";
    out += "  <testsuite name=\"" + xml_escaped(lab) + "\" " + counts + ">\n";
    for (const auto& o : r.outcomes) out += junit_testcase(lab, o);
    return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace nstopo
