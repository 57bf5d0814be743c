// nstopo plan FILE: what apply would do, one line (or JSON object) per operation.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

struct PlanArgs {
    std::string file;
    bool json = false;
    bool detailed_exitcode = false;
    std::vector<std::string> adopt;
};

}  // namespace

// Also `apply --dry-run`.
int run_plan(Context& ctx, const std::string& file, bool json, bool detailed_exitcode,
             const std::vector<std::string>& adopt) {
    if (detailed_exitcode) ctx.errors_exit_failure();
    const Topology desired = ctx.load(file);
    EngineOptions options;
    options.adopt_namespaces.insert(adopt.begin(), adopt.end());
    const Plan p = ctx.engine(options).plan(desired);
    if (json)
        std::cout << plan_json(p).dump(2) << "\n";
    else
        std::fputs(plan_text(p, Style::for_stream(stdout)).c_str(), stdout);
    return detailed_exitcode && !p.empty() ? exit_code::changes_pending : exit_code::ok;
}

void add_adopt_option(CLI::App& app, std::vector<std::string>& adopt) {
    app.add_option("--adopt", adopt,
                   "Take over this existing namespace, not made by nstopo (repeatable)");
}

Runner define_plan(CLI::App& app) {
    auto a = std::make_shared<PlanArgs>();
    app.add_option("FILE", a->file, "Topology file")->required()->check(CLI::ExistingFile);
    app.add_flag("--json", a->json, "Print the plan as JSON");
    app.add_flag("--detailed-exitcode", a->detailed_exitcode,
                 "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on error");
    add_adopt_option(app, a->adopt);
    return [a](Context& ctx) {
        return run_plan(ctx, a->file, a->json, a->detailed_exitcode, a->adopt);
    };
}

}  // namespace nstopo::cli
