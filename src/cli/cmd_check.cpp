// nstopo check FILE...: runs each file's checks on its applied lab, and reports per lab and in all.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "nstopo/checks.hpp"
#include "nstopo/error.hpp"
#include "render_checks.hpp"

namespace nstopo::cli {

namespace {

struct CheckArgs {
    std::vector<std::string> files;
    bool json = false;
    std::string junit;  // write a JUnit XML report here
    int timeout_ms = 1000;
    int tries = 3;
};

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw Error(ErrorKind::usage, "cannot write '" + path + "'");
}

// Every file loads and names a lab that is up before any check sends a packet: checks send
// traffic only inside labs that are up.
std::vector<Topology> load_applied(Context& ctx, const std::vector<std::string>& files) {
    std::vector<Topology> labs;
    for (const auto& file : files) labs.push_back(ctx.load(file));
    for (std::size_t i = 0; i < labs.size(); ++i) {
        std::vector<std::string> from;
        for (const auto& check : labs[i].checks) from.push_back(check.from);
        ctx.engine().require_applied(labs[i].name, from,
                                     "; run nstopo apply " + files[i] + " first");
    }
    return labs;
}

int run_check(Context& ctx, const CheckArgs& a) {
    const std::vector<Topology> labs = load_applied(ctx, a.files);
    const auto prober = make_prober(ctx.kernel_options());
    std::vector<LabChecks> reports;
    for (const Topology& t : labs)
        reports.push_back(
            {t.name, run_checks(t.checks, *prober,
                                {std::chrono::milliseconds(a.timeout_ms), a.tries}, lab_exits(t))});
    const bool held = std::all_of(reports.begin(), reports.end(),
                                  [](const LabChecks& l) { return l.report.all_held(); });
    if (!a.junit.empty()) write_text(a.junit, checks_junit(reports));
    if (a.json)
        std::cout << (reports.size() == 1 ? checks_json(reports[0].lab, reports[0].report)
                                          : checks_json(reports))
                         .dump(2)
                  << "\n";
    else if (!ctx.quiet() || !held)
        std::fputs(checks_text(reports, Style::for_stream(stdout)).c_str(), stdout);
    return held ? exit_code::ok : exit_code::failure;
}

}  // namespace

Runner define_check(CLI::App& app) {
    auto a = std::make_shared<CheckArgs>();
    app.add_option("FILE", a->files, "Topology files (each lab's checks against its applied lab)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_flag("--json", a->json, "Print the results as JSON");
    app.add_option("--junit", a->junit, "Also write a JUnit XML report to this file")
        ->type_name("PATH");
    app.add_option("--timeout", a->timeout_ms,
                   "Milliseconds per try of a check, all echo requests together")
        ->capture_default_str()
        ->check(CLI::Range(10, 60000));
    app.add_option("--tries", a->tries, "Echo requests per check")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    return [a](Context& ctx) { return run_check(ctx, *a); };
}

}  // namespace nstopo::cli
