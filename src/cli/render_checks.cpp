#include "render_checks.hpp"

#include <fmt/format.h>

#include "xml.hpp"

namespace nstopo {

namespace {

double ms(std::chrono::microseconds d) {
    return static_cast<double>(d.count()) / 1000.0;
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
             {"tcp", c.tcp ? nlohmann::json(*c.tcp) : nullptr},
             {"wait_s",
              c.wait ? nlohmann::json(static_cast<double>(c.wait->count()) / 1000.0) : nullptr},
             {"expect", c.expect_reachable ? "reachable" : "unreachable"},
             {"held", o.held},
             {"expected", o.expected},
             {"happened", o.happened},
             {"tries", o.tries},
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
