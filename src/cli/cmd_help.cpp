// nstopo help [COMMAND]: the commands, or one command's arguments and options.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "command.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

Runner define_help(CLI::App& app) {
    auto topic = std::make_shared<std::string>();
    app.add_option("COMMAND", *topic, "The command to explain");
    CLI::App* const root = app.get_parent();
    return [topic, root](Context&) {
        if (topic->empty()) {
            std::fputs(root->help().c_str(), stdout);
            return exit_code::ok;
        }
        if (!find_command(*topic)) throw unknown_command(*topic);
        std::fputs(root->get_subcommand(*topic)->help().c_str(), stdout);
        return exit_code::ok;
    };
}

}  // namespace nstopo::cli
