#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>

namespace nstopo {

namespace {
constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";

std::string addresses_text(const Interface& i) {
    std::string s;
    for (const auto& a : i.addresses) s += " " + a.str();
    return s;
}

void append_links(std::string& out, const std::map<std::string, Interface>& links,
                  const Style& s) {
    for (const auto& [name, i] : links) {
        const auto state = to_string(i.state);
        out += fmt::format("    {:<16} {:<9} {}", name,
                           s.paint(state, i.state == LinkState::up ? kGreen : kRed),
                           addresses_text(i).empty() ? "-" : addresses_text(i).substr(1));
        if (i.mtu) out += fmt::format("  mtu {}", *i.mtu);
        out += "\n";
    }
}
}  // namespace

Style Style::for_stream(std::FILE* f) {
    const char* no_color = std::getenv("NO_COLOR");
    return Style{isatty(fileno(f)) == 1 && (no_color == nullptr || *no_color == '\0')};
}

std::string Style::paint(const std::string& text, const char* ansi) const {
    return color ? std::string(ansi) + text + "\033[0m" : text;
}

std::string Style::operation(const Operation& o) const {
    const std::string line = describe(o);
    if (o.implied) return paint(line, kDim);
    switch (line.empty() ? ' ' : line[0]) {
        case '+': return paint(line, kGreen);
        case '-': return paint(line, kRed);
        case '~': return paint(line, kYellow);
        default: return line;
    }
}

std::string plan_text(const Plan& p, const Style& s) {
    if (p.empty()) return "no changes\n";
    std::string out;
    for (const auto& o : p.operations) out += s.operation(o) + "\n";
    return out;
}

std::string summary_line(const std::string& verb, const ExecuteReport& r) {
    const double ms = std::chrono::duration<double, std::milli>(r.elapsed).count();
    std::string kinds;
    for (const auto& [kind, count] : r.executed_by_kind)
        kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
    std::string line = fmt::format("{}: {} operation{} in {:.1f} ms", verb, r.total_executed(),
                                   r.total_executed() == 1 ? "" : "s", ms);
    if (!kinds.empty()) line += " (" + kinds + ")";
    if (r.implied > 0) line += fmt::format(", {} done by the kernel", r.implied);
    return line;
}

std::string status_text(const std::vector<LabStatus>& labs, const Style& s) {
    if (labs.empty()) return "no lab is up\n";
    std::string out;
    for (const auto& lab : labs) {
        out += s.paint("lab " + lab.record.lab, kBold);
        if (!lab.record.source.empty()) out += "  (" + lab.record.source + ")";
        if (lab.record.phase != "applied") out += "  [" + lab.record.phase + ", unfinished]";
        out += "\n";
        for (const auto& [name, ns] : lab.observed.namespaces) {
            out += fmt::format("  namespace {}{}\n", name,
                               ns.forwarding() ? "  (forwarding)" : "");
            append_links(out, ns.interfaces, s);
            for (const auto& r : ns.routes) out += "    route " + r.str() + "\n";
        }
        for (const auto& [name, _] : lab.record.desired.namespaces)
            if (!lab.observed.namespaces.contains(name))
                out += "  namespace " + name + "  " + s.paint("missing", kRed) + "\n";
        if (!lab.observed.host_interfaces.empty()) {
            out += "  host\n";
            append_links(out, lab.observed.host_interfaces, s);
        }
        if (!lab.problem.empty()) {
            out += "  " + s.paint("cannot converge: " + lab.problem, kRed) + "\n";
        } else if (lab.drift.empty()) {
            out += "  " + s.paint("in sync with its file", kGreen) + "\n";
        } else {
            out += "  " + s.paint("drift (nstopo apply would do):", kYellow) + "\n";
            for (const auto& o : lab.drift.operations) out += "    " + s.operation(o) + "\n";
        }
    }
    return out;
}

std::string diagnostics_text(const std::vector<Diagnostic>& ds, const Style& s) {
    std::string out;
    for (const auto& d : ds) {
        std::string text = format_diagnostic(d);
        if (s.color) {
            const std::string tag = d.severity == Severity::error ? "error:" : "warning:";
            if (const auto at = text.find(tag); at != std::string::npos)
                text.replace(at, tag.size(),
                             s.paint(tag, d.severity == Severity::error ? kRed : kYellow));
        }
        out += text;
        if (!text.empty() && text.back() != '\n') out += "\n";
    }
    return out;
}

}  // namespace nstopo
