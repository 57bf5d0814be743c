#include "render.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <chrono>

#include "nstopo/topology_json.hpp"

namespace nstopo {

namespace {
using namespace ansi;

std::string addresses_text(const Interface& i) {
    std::string s;
    for (const auto& a : i.addresses) s += " " + a.str();
    return s;
}

// "  bridge (hub) ports sw1-p1 sw1-p2": a bridge's mode and its ports.
std::string bridge_text(const Interface& bridge, const std::map<std::string, Interface>& links) {
    std::string s = "  bridge";
    if (bridge.bridge && bridge.bridge->stp) s += " (stp)";
    if (bridge.bridge && bridge.bridge->hub()) s += " (hub)";
    s += " ports";
    bool any = false;
    for (const auto& [name, i] : links)
        if (i.master == bridge.name) {
            s += " " + name;
            any = true;
        }
    return any ? s : s + " -";
}

void append_links(std::string& out, const std::map<std::string, Interface>& links, const Style& s) {
    for (const auto& [name, i] : links) {
        const auto state = to_string(i.state);
        out += fmt::format("    {:<16} {:<9} {}", name,
                           s.paint(state, i.state == LinkState::up ? kGreen : kRed),
                           addresses_text(i).empty() ? "-" : addresses_text(i).substr(1));
        if (i.mtu) out += fmt::format("  mtu {}", *i.mtu);
        if (!i.master.empty()) out += "  master " + i.master;
        if (i.kind == LinkKind::bridge) out += bridge_text(i, links);
        if (i.shaping) out += "  shaped " + i.shaping->str();
        out += "\n";
    }
}

// "  (switch of LAN lan1: h1/eth0 h2/eth0)" for the switch namespace of a LAN of `lans:`.
std::string lan_note(const Topology& applied, const std::string& ns) {
    const auto lan = applied.lans.find(ns);
    if (lan == applied.lans.end()) return {};
    std::string members;
    for (const auto& m : lan->second.members) members += " " + m.end.str();
    return "  (switch of LAN " + lan->second.name + ":" + (members.empty() ? " -" : members) + ")";
}

// "45 s", "12 min 3 s", "5 h 2 min", "3 d 4 h".
std::string duration_text(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    if (seconds < 60) return fmt::format("{} s", seconds);
    if (seconds < 3600) return fmt::format("{} min {} s", seconds / 60, seconds % 60);
    if (seconds < 86400) return fmt::format("{} h {} min", seconds / 3600, seconds % 3600 / 60);
    return fmt::format("{} d {} h", seconds / 86400, seconds % 86400 / 3600);
}

std::int64_t seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The command line a process was applied with (the record's topology), "" if unknown.
std::string applied_command(const LabStatus& lab, const std::string& ns, const std::string& name) {
    const auto n = lab.record.desired.namespaces.find(ns);
    if (n == lab.record.desired.namespaces.end()) return {};
    const auto p = n->second.processes.find(name);
    return p == n->second.processes.end() ? std::string() : p->second.command_line();
}

// "exited with code 3", "killed by signal 9", or "exited" when its status is unknown.
std::string exit_text(const ProcessRun& run) {
    if (!run.wait_status) return "exited";
    const int status = *run.wait_status;
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "exited";
}

// "running, pid 1234, up 12 min 3 s", "exited with code 1 (pid 1234, started 3 min 2 s ago)".
std::string run_text(const ProcessRun& run, const Style& s) {
    const std::string age = duration_text(seconds_now() - run.started_at);
    const std::string pid = "pid " + std::to_string(run.id.pid);
    switch (run.state) {
        case ProcessState::running:
            return s.paint("running", kGreen) + ", " + pid + ", up " + age;
        case ProcessState::astray:
            return s.paint("astray", kRed) + " (" + pid +
                   " runs outside the namespace of this name), up " + age;
        case ProcessState::exited:
            break;
    }
    return s.paint(exit_text(run), kRed) + " (" + pid + ", started " + age + " ago)";
}

void append_processes(std::string& out, const LabStatus& lab, const std::string& ns_name,
                      const Namespace& ns, const Style& s) {
    for (const auto& [name, p] : ns.processes) {
        if (!p.run) continue;
        out += fmt::format("    process {:<10} {}", name, run_text(*p.run, s));
        if (const auto cmd = applied_command(lab, ns_name, name); !cmd.empty()) out += "  " + cmd;
        out += "\n";
    }
    // Declared but never started (an apply that stopped before them, or killed).
    const auto want = lab.record.desired.namespaces.find(ns_name);
    if (want == lab.record.desired.namespaces.end()) return;
    for (const auto& [name, p] : want->second.processes)
        if (!ns.processes.contains(name))
            out += fmt::format("    process {:<10} {}  {}\n", name, s.paint("not started", kRed),
                               p.command_line());
}

// The namespace's nftables tables: each observed one, with what differs from what was applied,
// and those applied but missing.
std::string table_state(const NftTable* want, const NftTable* have) {
    if (!have) return "missing";
    if (!want) return "not the lab's (apply deletes it)";
    return *want == *have ? "in sync" : "drifted (apply replaces it)";
}

const NftTable* applied_table(const LabStatus& lab, const std::string& ns, const std::string& id) {
    const auto n = lab.record.desired.namespaces.find(ns);
    if (n == lab.record.desired.namespaces.end()) return nullptr;
    const auto t = n->second.tables.find(id);
    return t == n->second.tables.end() ? nullptr : &t->second;
}

void append_tables(std::string& out, const LabStatus& lab, const std::string& ns_name,
                   const Namespace& ns, const Style& s) {
    const auto line = [&](const std::string& id, const NftTable* want, const NftTable* have) {
        const int rules = have ? have->rules : want->rules;
        const std::string state = table_state(want, have);
        out +=
            fmt::format("    nftables table {} ({} rule{})  {}\n", id, rules, rules == 1 ? "" : "s",
                        state == "in sync" ? state : s.paint(state, kRed));
    };
    for (const auto& [id, t] : ns.tables) line(id, applied_table(lab, ns_name, id), &t);
    const auto want = lab.record.desired.namespaces.find(ns_name);
    if (want == lab.record.desired.namespaces.end()) return;
    for (const auto& [id, t] : want->second.tables)
        if (!ns.tables.contains(id)) line(id, &t, nullptr);
}

nlohmann::json tables_json(const LabStatus& lab) {
    nlohmann::json j = nlohmann::json::array();
    const auto add = [&](const std::string& ns, const std::string& id, const NftTable* want,
                         const NftTable* have) {
        j.push_back({{"namespace", ns},
                     {"table", id},
                     {"rules", have ? have->rules : want->rules},
                     {"state", table_state(want, have)}});
    };
    for (const auto& [ns_name, ns] : lab.observed.namespaces) {
        for (const auto& [id, t] : ns.tables) add(ns_name, id, applied_table(lab, ns_name, id), &t);
        const auto want = lab.record.desired.namespaces.find(ns_name);
        if (want == lab.record.desired.namespaces.end()) continue;
        for (const auto& [id, t] : want->second.tables)
            if (!ns.tables.contains(id)) add(ns_name, id, &t, nullptr);
    }
    return j;
}

// What drift is measured against: the file when it still says what was applied, else what was
// applied (the record); then a note on why.
std::string compared_with(const LabStatus& lab) {
    return lab.source == SourceFile::unchanged ? "its file" : "what was applied";
}

std::string source_note(const LabStatus& lab) {
    const std::string& file = lab.record.source;
    switch (lab.source) {
        case SourceFile::unchanged:
            return {};
        case SourceFile::changed:
            return file + " has changed since it was applied: `nstopo plan " + file +
                   "` shows what apply would do now";
        case SourceFile::gone:
            return file + " is gone: `nstopo destroy " + lab.record.lab +
                   "` still works from what was applied";
        case SourceFile::unknown:
            return "no file is recorded for this lab";
    }
    return {};
}

void append_verdict(std::string& out, const LabStatus& lab, const Style& s) {
    if (!lab.problem.empty()) {
        out += "  " + s.paint("cannot converge: " + lab.problem, kRed) + "\n";
    } else if (lab.drift.empty()) {
        out += "  " + s.paint("in sync with " + compared_with(lab), kGreen) + "\n";
    } else {
        out += "  " +
               s.paint("drift from " + compared_with(lab) + " (nstopo apply would do):", kYellow) +
               "\n";
        for (const auto& o : lab.drift.operations) out += "    " + s.operation(o) + "\n";
    }
    if (const auto note = source_note(lab); !note.empty())
        out += "  " + s.paint(note, kYellow) + "\n";
}

std::string to_string(SourceFile f) {
    switch (f) {
        case SourceFile::unchanged:
            return "unchanged";
        case SourceFile::changed:
            return "changed";
        case SourceFile::gone:
            return "gone";
        case SourceFile::unknown:
            return "unknown";
    }
    return "unknown";
}
}  // namespace

std::string plural(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string plan_text(const Plan& p, const Style& s) {
    if (p.empty()) return "no changes\n";
    std::string out;
    for (const auto& o : p.operations) out += s.operation(o) + "\n";
    return out;
}

namespace {

nlohmann::json to_json(const SourceLocation& where) {
    if (where.file.empty()) return nullptr;
    return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

}  // namespace

nlohmann::json to_json(const Operation& o) {
    return {{"kind", kind_of(o.action)},
            {"phase", to_string(phase_of(o.action))},
            {"namespace", namespace_of(o.action)},
            {"object", object_of(o.action)},
            {"details", describe(o)},
            {"implied", o.implied()},
            {"source", to_json(o.where)}};
}

nlohmann::json plan_json(const Plan& p) {
    nlohmann::json j{{"lab", p.lab}, {"operations", nlohmann::json::array()}};
    for (const auto& o : p.operations) j["operations"].push_back(to_json(o));
    return j;
}

std::string summary_line(const std::string& verb, const ExecuteReport& r) {
    const double ms = std::chrono::duration<double, std::milli>(r.elapsed).count();
    std::string kinds;
    for (const auto& [kind, count] : r.executed_by_kind)
        kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
    std::string line =
        fmt::format("{}: {} in {:.1f} ms", verb,
                    plural(static_cast<std::size_t>(r.total_executed()), "operation"), ms);
    if (!kinds.empty()) line += " (" + kinds + ")";
    if (r.implied > 0) line += fmt::format(", {} done by the kernel", r.implied);
    return line;
}

namespace {

// The uplink: its out and subnets, its host table, and each host sysctl it needs (with the value
// it had before the lab changed it, from the record).
void append_uplink(std::string& out, const LabStatus& lab, const Style& s) {
    const Topology& applied = lab.record.desired;
    if (!applied.uplink) return;
    std::string subnets;
    for (const auto& c : applied.uplink->subnets)
        subnets += (subnets.empty() ? "" : ", ") + c.str();
    out += "    uplink out " + applied.uplink->out + ": masquerade " + subnets + "\n";
    for (const auto& [id, want] : applied.host_tables) {
        const auto have = lab.observed.host_tables.find(id);
        const NftTable* had = have == lab.observed.host_tables.end() ? nullptr : &have->second;
        const std::string state = table_state(&want, had);
        out += "    nftables table " + id;
        if (had) out += " (" + plural(static_cast<std::size_t>(had->rules), "rule") + ")";
        out += "  " + s.paint(state, state == "in sync" ? kGreen : kYellow) + "\n";
    }
    for (const auto& [key, value] : applied.host_sysctls) {
        const auto have = lab.observed.host_sysctls.find(key);
        const auto was = lab.record.host_sysctls.find(key);
        out += "    sysctl " + key + "=" +
               (have == lab.observed.host_sysctls.end() ? "(none)" : have->second);
        if (was != lab.record.host_sysctls.end()) out += " (was " + was->second.previous + ")";
        const bool ok = have != lab.observed.host_sysctls.end() && have->second == value;
        out +=
            "  " +
            s.paint(ok ? "in sync" : "drifted (apply sets " + value + ")", ok ? kGreen : kYellow) +
            "\n";
    }
}

}  // namespace

std::string status_text(const std::vector<LabStatus>& labs, const Style& s) {
    if (labs.empty()) return "no lab is up\n";
    std::string out;
    for (const auto& lab : labs) {
        if (!lab.damaged.empty()) {
            out += s.paint("lab " + lab.record.lab, kBold) + "  " + s.paint("[damaged]", kRed) +
                   "\n  " + s.paint(lab.damaged, kRed) + "\n";
            continue;
        }
        out += s.paint("lab " + lab.record.lab, kBold);
        if (!lab.record.source.empty()) out += "  (" + lab.record.source + ")";
        if (lab.record.phase != LabPhase::applied)
            out += "  [" + to_string(lab.record.phase) + ", unfinished]";
        out += "\n";
        for (const auto& [name, ns] : lab.observed.namespaces) {
            out +=
                fmt::format("  namespace {}{}{}\n", name, ns.forwarding() ? "  (forwarding)" : "",
                            lan_note(lab.record.desired, name));
            append_links(out, ns.interfaces, s);
            for (const auto& r : ns.routes) out += "    route " + r.str() + "\n";
            append_tables(out, lab, name, ns, s);
            append_processes(out, lab, name, ns, s);
        }
        for (const auto& [name, _] : lab.record.desired.namespaces)
            if (!lab.observed.namespaces.contains(name))
                out += "  namespace " + name + "  " + s.paint("missing", kRed) + "\n";
        if (!lab.observed.host_interfaces.empty() || !lab.observed.host_routes.empty() ||
            lab.record.desired.uplink) {
            out += "  host\n";
            append_links(out, lab.observed.host_interfaces, s);
            for (const auto& r : lab.observed.host_routes) out += "    route " + r.str() + "\n";
            append_uplink(out, lab, s);
        }
        append_verdict(out, lab, s);
    }
    return out;
}

namespace {

// {"lan1": [{"member": "h1/eth0", "port": "h1-eth0"}, ...]}: each LAN's switch namespace is the
// LAN's name, its bridge br0.
nlohmann::json lans_json(const Topology& applied) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, lan] : applied.lans) {
        auto& members = j[name] = nlohmann::json::array();
        for (const auto& m : lan.members)
            members.push_back({{"member", m.end.str()}, {"port", m.port}});
    }
    return j;
}

}  // namespace

namespace {

// {"out": "eth0", "subnets": [...], "table": {"id", "state"}, "sysctls": [{"key", "value",
// "wanted", "previous"}]}, or null for a lab without an uplink.
nlohmann::json uplink_json(const LabStatus& lab) {
    const Topology& applied = lab.record.desired;
    if (!applied.uplink) return nullptr;
    nlohmann::json subnets = nlohmann::json::array();
    for (const auto& c : applied.uplink->subnets) subnets.push_back(c.str());
    nlohmann::json j{{"out", applied.uplink->out},
                     {"subnets", subnets},
                     {"tables", nlohmann::json::array()},
                     {"sysctls", nlohmann::json::array()}};
    for (const auto& [id, want] : applied.host_tables) {
        const auto have = lab.observed.host_tables.find(id);
        j["tables"].push_back({{"table", id},
                               {"state", table_state(&want, have == lab.observed.host_tables.end()
                                                                ? nullptr
                                                                : &have->second)}});
    }
    for (const auto& [key, value] : applied.host_sysctls) {
        const auto have = lab.observed.host_sysctls.find(key);
        const auto was = lab.record.host_sysctls.find(key);
        j["sysctls"].push_back(
            {{"key", key},
             {"value", have == lab.observed.host_sysctls.end() ? nlohmann::json(nullptr)
                                                               : nlohmann::json(have->second)},
             {"wanted", value},
             {"previous", was == lab.record.host_sysctls.end()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(was->second.previous)}});
    }
    return j;
}

}  // namespace

nlohmann::json status_json(const std::vector<LabStatus>& labs) {
    nlohmann::json j{{"labs", nlohmann::json::array()}};
    for (const auto& s : labs) {
        if (!s.damaged.empty()) {
            j["labs"].push_back({{"lab", s.record.lab},
                                 {"damaged", true},
                                 {"in_sync", false},
                                 {"problem", s.damaged}});
            continue;
        }
        nlohmann::json drift = nlohmann::json::array();
        for (const auto& o : s.drift.operations) drift.push_back(to_json(o));
        nlohmann::json processes = nlohmann::json::array();
        for (const auto& [ns_name, ns] : s.observed.namespaces)
            for (const auto& [name, p] : ns.processes) {
                if (!p.run) continue;
                processes.push_back({{"namespace", ns_name},
                                     {"name", name},
                                     {"state", to_string(p.run->state)},
                                     {"pid", p.run->id.pid},
                                     {"started_at", p.run->started_at},
                                     {"uptime_s", seconds_now() - p.run->started_at},
                                     {"log", p.run->log},
                                     {"exit", p.run->wait_status ? exit_text(*p.run) : ""},
                                     {"command", applied_command(s, ns_name, name)}});
            }
        j["labs"].push_back({{"lab", s.record.lab},
                             {"source", s.record.source},
                             {"source_file", to_string(s.source)},
                             {"damaged", false},
                             {"phase", to_string(s.record.phase)},
                             {"in_sync", s.drift.empty() && s.problem.empty()},
                             {"problem", s.problem},
                             {"observed", to_json(s.observed)},
                             {"lans", lans_json(s.record.desired)},
                             {"processes", processes},
                             {"nftables", tables_json(s)},
                             {"uplink", uplink_json(s)},
                             {"drift", drift}});
    }
    return j;
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

namespace nstopo {

nlohmann::json diagnostics_json(const std::vector<Diagnostic>& ds) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : ds)
        out.push_back({{"file", d.where.file},
                       {"line", d.where.line},
                       {"column", d.where.column},
                       {"severity", d.severity == Severity::error ? "error" : "warning"},
                       {"message", d.message},
                       {"source_line", d.source_line}});
    return out;
}

}  // namespace nstopo
