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
    std::string out =
        fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", xml_escaped(lab),
                    xml_escaped(o.check.label()), seconds(o.elapsed));
    if (o.held) return out + "/>\n";
    const std::string message = "expected " + o.expected + ", got " + o.happened;
    std::string body = o.check.where.str() + ": " + message;
    if (!o.check.name.empty()) body += "\n" + o.check.str();
    if (!o.check.hint.empty()) body += "\nhint: " + o.check.hint;
    return out + fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                             xml_escaped(message), xml_escaped(body));
}

}  // namespace

std::string check_line(const CheckOutcome& o, const Style& s) {
    const std::string mark = o.held ? s.paint("✓", "\033[32m") : s.paint("✗", "\033[31m");
    std::string line = fmt::format("{} {}: expected {}, got {} ({:.1f} ms)", mark, o.check.label(),
                                   o.expected, o.happened, ms(o.elapsed));
    // A named check failing says what it tried, too; and the hint, written for the student.
    if (!o.held && !o.check.name.empty()) line += "\n    " + o.check.str();
    if (!o.held && !o.check.hint.empty()) line += "\n    hint: " + o.check.hint;
    return line;
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
            {{"name", c.label()},
             {"hint", c.hint.empty() ? nullptr : nlohmann::json(c.hint)},
             {"from", c.from},
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
    return checks_junit(std::vector<LabChecks>{{lab, r}});
}

namespace {

struct Totals {
    std::size_t checks = 0, failed = 0, labs_failed = 0;
    std::chrono::microseconds elapsed{0};
};

Totals totals_of(const std::vector<LabChecks>& labs) {
    Totals t;
    for (const auto& l : labs) {
        t.checks += l.report.outcomes.size();
        t.failed += l.report.failed();
        t.labs_failed += !l.report.all_held();
        t.elapsed += l.report.elapsed;
    }
    return t;
}

std::string junit_counts(std::size_t tests, std::size_t failures, std::chrono::microseconds d) {
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\"", tests, failures,
                       seconds(d));
}

}  // namespace

std::string checks_text(const std::vector<LabChecks>& labs, const Style& s) {
    if (labs.size() == 1) return checks_text(labs.front().report, s);
    std::string out;
    for (const auto& l : labs) out += "lab " + l.lab + ":\n" + checks_text(l.report, s);
    const Totals t = totals_of(labs);
    return out + fmt::format("check: {} of {} labs held, {} of {} checks ({:.2f} s)\n",
                             labs.size() - t.labs_failed, labs.size(), t.checks - t.failed,
                             t.checks, ms(t.elapsed) / 1000.0);
}

nlohmann::json checks_json(const std::vector<LabChecks>& labs) {
    nlohmann::json each = nlohmann::json::array();
    for (const auto& l : labs) each.push_back(checks_json(l.lab, l.report));
    const Totals t = totals_of(labs);
    return {{"passed", t.failed == 0},      {"total", t.checks},           {"failed", t.failed},
            {"labs_failed", t.labs_failed}, {"elapsed_ms", ms(t.elapsed)}, {"labs", each}};
}

std::string checks_junit(const std::vector<LabChecks>& labs) {
    const Totals t = totals_of(labs);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out +=
        "<testsuites name=\"nstopo check\" " + junit_counts(t.checks, t.failed, t.elapsed) + ">\n";
    for (const auto& l : labs) {
        const CheckReport& r = l.report;
        out += "  <testsuite name=\"" + xml_escaped(l.lab) + "\" " +
               junit_counts(r.outcomes.size(), r.failed(), r.elapsed) + ">\n";
        for (const auto& o : r.outcomes) out += junit_testcase(l.lab, o);
        out += "  </testsuite>\n";
    }
    return out + "</testsuites>\n";
}

}  // namespace nstopo
