// nstopo status [NAME]: the labs that are up, what the kernel has of them, and their drift.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

struct StatusArgs {
    std::string lab;
    bool json = false;
    bool detailed_exitcode = false;
};

bool in_sync(const std::vector<LabStatus>& labs) {
    return std::all_of(labs.begin(), labs.end(), [](const LabStatus& s) {
        return s.drift.empty() && s.problem.empty() && s.damaged.empty();
    });
}

int run_status(Context& ctx, const StatusArgs& a) {
    if (a.detailed_exitcode) ctx.errors_exit_failure();
    const auto labs =
        ctx.engine().status(a.lab.empty() ? std::nullopt : std::optional<std::string>(a.lab));
    if (a.json) {
        nlohmann::json j = status_json(labs);
        j["mode"] = ctx.rootless() ? "rootless" : "root";
        std::cout << j.dump(2) << "\n";
    } else {
        if (ctx.rootless()) std::printf("mode: %s\n", ctx.mode_note().c_str());
        std::fputs(status_text(labs, Style::for_stream(stdout)).c_str(), stdout);
    }
    return a.detailed_exitcode && !in_sync(labs) ? exit_code::changes_pending : exit_code::ok;
}

}  // namespace

Runner define_status(CLI::App& app) {
    auto a = std::make_shared<StatusArgs>();
    app.add_option("NAME", a->lab, "Only this lab");
    app.add_flag("--json", a->json, "Print as JSON");
    app.add_flag("--detailed-exitcode", a->detailed_exitcode,
                 "Exit 0 when every lab is in sync, 2 when one has drift, 1 on error");
    return [a](Context& ctx) { return run_status(ctx, *a); };
}

}  // namespace nstopo::cli
