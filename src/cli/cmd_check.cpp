// nstopo check FILE: runs the file's checks on its applied lab.
#include <CLI/CLI.hpp>
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
    std::string file;
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

int run_check(Context& ctx, const CheckArgs& a) {
    const Topology t = ctx.load(a.file);
    // Checks send traffic only inside a lab that is up.
    std::vector<std::string> from;
    for (const auto& check : t.checks) from.push_back(check.from);
    ctx.engine().require_applied(t.name, from, "; run nstopo apply " + a.file + " first");
    const auto prober = make_prober(ctx.kernel_options());
    const CheckReport r = run_checks(
        t.checks, *prober, {std::chrono::milliseconds(a.timeout_ms), a.tries}, lab_exits(t));
    if (!a.junit.empty()) write_text(a.junit, checks_junit(t.name, r));
    if (a.json)
        std::cout << checks_json(t.name, r).dump(2) << "\n";
    else if (!ctx.quiet() || !r.all_held())
        std::fputs(checks_text(r, Style::for_stream(stdout)).c_str(), stdout);
    return r.all_held() ? exit_code::ok : exit_code::failure;
}

}  // namespace

Runner define_check(CLI::App& app) {
    auto a = std::make_shared<CheckArgs>();
    app.add_option("FILE", a->file, "Topology file")->required()->check(CLI::ExistingFile);
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
