// nstopo apply FILE: converge the kernel to the file, then verify.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

struct ApplyArgs {
    std::string file;
    bool dry_run = false;
    std::vector<std::string> adopt;
};

int run_apply(Context& ctx, const ApplyArgs& a) {
    if (a.dry_run) return run_plan(ctx, a.file, false, false, a.adopt);
    // Read once: the file may be a pipe (/dev/stdin, <(...)), which a second reader would take
    // bytes from.
    TopologyText read = read_topology_file(a.file);
    if (!read.text) ctx.accept(std::move(read.unreadable), a.file);
    if (!ctx.privileged()) {
        // A bad file is reported before the missing privileges.
        ctx.accept(load_topology_text(*read.text, a.file, ctx.load_options()), a.file);
        ctx.require_root();
    }
    EngineOptions options;
    options.adopt_namespaces.insert(a.adopt.begin(), a.adopt.end());
    const auto accept = [&](LoadResult r) { return ctx.accept(std::move(r), a.file); };
    const ApplyResult r = ctx.engine(options).apply_text(
        *read.text, a.file, accept, absolute_path(a.file), ctx.progress("apply"));
    for (const auto& w : r.warnings) std::fprintf(stderr, "nstopo: warning: %s\n", w.c_str());
    if (r.plan.empty())
        ctx.say("lab " + r.plan.lab + ": no changes");
    else
        ctx.say(summary_line("apply", r.report) + "; verified: the kernel matches " + a.file);
    return exit_code::ok;
}

}  // namespace

Runner define_apply(CLI::App& app) {
    auto a = std::make_shared<ApplyArgs>();
    app.add_option("FILE", a->file, "Topology file")->required()->check(CLI::ExistingFile);
    app.add_flag("--dry-run", a->dry_run, "Only print the plan (same as nstopo plan)");
    add_adopt_option(app, a->adopt);
    return [a](Context& ctx) { return run_apply(ctx, *a); };
}

}  // namespace nstopo::cli
