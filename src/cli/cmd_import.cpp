// nstopo import [NS...] [--name LAB] [--host-interfaces IF...] [-o FILE]: namespaces made by hand
// as a topology file. Reads the kernel, changes nothing.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

struct ImportArgs {
    ImportRequest request;
    std::string output;
};

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "this host";
    return name;
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32] = {};
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

// The command line as a person would type it again.
std::string command_line(const ImportArgs& a) {
    std::string line = "nstopo import";
    for (const auto& ns : a.request.namespaces) line += " " + ns;
    if (a.request.lab != "imported") line += " --name " + a.request.lab;
    for (const auto& link : a.request.host_interfaces) line += " --host-interfaces " + link;
    if (a.request.macs) line += " --macs";
    if (!a.output.empty() && a.output != "-") line += " -o " + a.output;
    return line;
}

std::string adopt_line(const Topology& t, const std::string& file) {
    std::string line = "  sudo nstopo apply " + file;
    for (const auto& [ns, _] : t.namespaces) line += " --adopt " + ns;
    return line;
}

// Where the file came from, what it leaves out, and how to take the namespaces over.
std::vector<std::string> header(const ImportArgs& a, const ImportResult& r,
                                const std::string& netns_dir) {
    std::string names;
    for (const auto& [ns, _] : r.topology.namespaces) names += (names.empty() ? "" : ", ") + ns;
    std::vector<std::string> lines = {
        "Imported on " + host_name() + ", " + utc_now() + ", by:",
        "  " + command_line(a),
        "from the namespaces of " + netns_dir + ": " + names + ".",
        "Not read: processes, policy rules and other routing tables, sysctls but forwarding,",
        std::string(a.request.macs ? ""
                                   : "MAC addresses (the kernel gives new links its own; "
                                     "--macs keeps them), ") +
            "routes a routing daemon installed.",
        "Make the lab again from this file (after deleting the hand-made namespaces):",
        "  sudo nstopo apply " + (a.output.empty() || a.output == "-" ? "FILE" : a.output),
        "or take the namespaces over in place, as they are (the file is then authoritative:",
        "what is listed as not imported below is deleted from them):",
        adopt_line(r.topology, a.output.empty() || a.output == "-" ? "FILE" : a.output),
    };
    if (!r.topology.host_interfaces.empty())
        lines.push_back("(host ends made by hand cannot be adopted: apply refuses to touch them)");
    if (!r.not_imported.empty()) lines.emplace_back("");
    for (const auto& n : r.not_imported) lines.push_back("not imported: " + n);
    return lines;
}

// The emitted file must load: a check of the emitter, and of what the loader refuses that the
// kernel took (its warnings are worth seeing too).
void validate(const std::string& text, const std::string& file) {
    const LoadResult loaded = load_topology_text(text, file);
    std::fputs(diagnostics_text(loaded.diagnostics, Style::for_stream(stderr)).c_str(), stderr);
    if (!loaded.ok())
        throw Error(ErrorKind::bug, file + ": the imported topology does not validate");
}

void write_output(const std::string& text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fputs(text.c_str(), stdout);
        return;
    }
    std::ofstream out(output, std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Error(ErrorKind::usage, "cannot write " + quote(output));
}

int run_import(Context& ctx, const ImportArgs& a) {
    if (ctx.rootless())
        throw Error(ErrorKind::permission,
                    "import reads namespaces made by hand (ip netns add), which live in the "
                    "machine's " +
                        ctx.kernel_options().netns_dir.string() +
                        "; a rootless session holds only the namespaces nstopo made: run it as "
                        "root (sudo nstopo import)");
    if (const auto problem = lab_name_problem(a.request.lab); !problem.empty())
        throw Error(ErrorKind::usage, "--name " + quote(a.request.lab) + " " + problem);
    const ImportResult r = ctx.engine().import(a.request);
    for (const auto& s : r.skipped) std::fprintf(stderr, "nstopo: skipped: %s\n", s.c_str());
    for (const auto& n : r.not_imported)
        std::fprintf(stderr, "nstopo: not imported: %s\n", n.c_str());
    const std::string text =
        emit_topology(r.topology, header(a, r, ctx.kernel_options().netns_dir.string()));
    validate(text, a.output.empty() || a.output == "-" ? "<import>" : a.output);
    write_output(text, a.output);
    return exit_code::ok;
}

}  // namespace

Runner define_import(CLI::App& app) {
    auto a = std::make_shared<ImportArgs>();
    app.add_option("NS", a->request.namespaces,
                   "Namespaces to read (default: every one of the netns directory no lab owns)");
    app.add_option("--name", a->request.lab, "The lab's name in the file (default: imported)");
    app.add_option("--host-interfaces", a->request.host_interfaces,
                   "Host veth ends to take as the lab's host ends (repeatable)");
    app.add_option("-o,--output", a->output, "Write the file here instead of stdout");
    app.add_flag("--macs", a->request.macs,
                 "Keep every link's MAC address (default: leave them to the kernel)");
    return [a](Context& ctx) { return run_import(ctx, *a); };
}

}  // namespace nstopo::cli
