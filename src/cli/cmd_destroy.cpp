// nstopo destroy [FILE|NAME]: remove everything a lab created and verify that nothing remains.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <set>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

// The labs up, one per line; a lab whose record is damaged says so, since destroying it by name
// stops with what to do instead.
std::string list_of_labs(const Engine& engine, const std::vector<std::string>& up) {
    std::set<std::string> damaged;
    for (const auto& d : engine.damaged_labs()) damaged.insert(d.lab);
    std::string list;
    for (const auto& l : up)
        list += "\n  " + l +
                (damaged.count(l) ? "  (record damaged: see nstopo status " + l + ")" : "");
    return list;
}

// destroy's argument: a topology file (its lab name), a lab name, or nothing (the one lab up).
std::string lab_to_destroy(Context& ctx, const Engine& engine, const std::string& target) {
    if (!target.empty()) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(target, ec)) return ctx.load(target).name;
        if (const auto why = lab_name_problem(target); !why.empty())
            throw Error(ErrorKind::usage,
                        "'" + target + "' is neither a topology file nor a lab name: " + why);
        return target;
    }
    const auto up = engine.labs();
    if (up.size() <= 1) return up.empty() ? "" : up.front();
    throw Error(ErrorKind::usage, std::to_string(up.size()) +
                                      " labs are up; name the one to destroy "
                                      "(nstopo destroy NAME):" +
                                      list_of_labs(engine, up));
}

struct DestroyArgs {
    std::string target;
    bool from_marks = false;
};

int run_destroy(Context& ctx, const DestroyArgs& a) {
    const std::string& target = a.target;
    Engine& engine = ctx.engine();
    const std::string lab = lab_to_destroy(ctx, engine, target);
    if (lab.empty()) {
        ctx.say("nothing to destroy");
        return exit_code::ok;
    }
    const DestroyResult r =
        engine.destroy(lab, ctx.progress("destroy", a.from_marks), a.from_marks);
    for (const auto& w : r.warnings) std::fprintf(stderr, "nstopo: warning: %s\n", w.c_str());
    if (!r.found)
        ctx.say("nothing to destroy (lab " + lab + " is not up)");
    else
        ctx.say(summary_line("destroy", r.report) + "; verified: nothing of lab " + lab +
                " remains");
    return exit_code::ok;
}

}  // namespace

Runner define_destroy(CLI::App& app) {
    auto a = std::make_shared<DestroyArgs>();
    app.add_option("TARGET", a->target, "Topology file or lab name (default: the lab up)");
    app.add_flag("--from-marks", a->from_marks,
                 "For a lab whose record is lost: delete the namespaces that wear its mark, "
                 "printing each operation before it runs");
    return [a](Context& ctx) { return run_destroy(ctx, *a); };
}

}  // namespace nstopo::cli
