// nstopo validate FILE...: loads and checks each file; no root, no kernel.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "command.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

Runner define_validate(CLI::App& app) {
    auto files = std::make_shared<std::vector<std::string>>();
    app.add_option("FILE", *files, "Topology files")->required()->check(CLI::ExistingFile);
    return [files](Context& ctx) {
        int failed = 0;
        for (const auto& file : *files) {
            try {
                const Topology t = ctx.load(file);
                ctx.say(file + ": ok (lab " + t.name + ", " + std::to_string(t.namespaces.size()) +
                        " namespaces, " + std::to_string(t.veths.size()) + " veths)");
            } catch (const Error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                ++failed;
            }
        }
        return failed == 0 ? exit_code::ok : exit_code::invalid_config;
    };
}

}  // namespace nstopo::cli
