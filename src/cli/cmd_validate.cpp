// nstopo validate FILE...: loads and checks each file; no root, no kernel.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

struct ValidateArgs {
    std::vector<std::string> files;
    bool json = false;
};

std::string lab_summary(const Topology& t) {
    return "lab " + t.name + ", " + plural(t.namespaces.size(), "namespace") + ", " +
           plural(t.veths.size(), "veth");
}

// Every file's diagnostics as one JSON document on stdout: {"valid", "files": [{"file", "valid",
// "lab", "diagnostics"}]}.
int validate_json(const Context& ctx, const std::vector<std::string>& files) {
    nlohmann::json out{{"valid", true}, {"files", nlohmann::json::array()}};
    for (const auto& file : files) {
        const LoadResult r = load_topology_file(file, ctx.load_options());
        out["files"].push_back({{"file", file},
                                {"valid", r.ok()},
                                {"lab", r.ok() ? nlohmann::json(r.topology->name) : nullptr},
                                {"diagnostics", diagnostics_json(r.diagnostics)}});
        if (!r.ok()) out["valid"] = false;
    }
    std::cout << out.dump(2) << "\n";
    return out["valid"].get<bool>() ? exit_code::ok : exit_code::invalid_config;
}

int validate_text(Context& ctx, const std::vector<std::string>& files) {
    int failed = 0;
    for (const auto& file : files) {
        try {
            ctx.say(file + ": ok (" + lab_summary(ctx.load(file)) + ")");
        } catch (const Error& e) {
            std::fprintf(stderr, "%s\n", e.what());
            ++failed;
        }
    }
    return failed == 0 ? exit_code::ok : exit_code::invalid_config;
}

}  // namespace

Runner define_validate(CLI::App& app) {
    auto a = std::make_shared<ValidateArgs>();
    app.add_option("FILE", a->files, "Topology files, each checked on its own")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_flag("--json", a->json,
                 "Print every file's diagnostics as JSON objects (file, line, column, severity, "
                 "message)");
    return [a](Context& ctx) {
        return a->json ? validate_json(ctx, a->files) : validate_text(ctx, a->files);
    };
}

}  // namespace nstopo::cli
