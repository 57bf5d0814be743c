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
        // Through the formatter: App::help() would describe the subcommand parsed, `help`.
        const auto help_of = [root](CLI::App* of) {
            const std::string name =
                of == root ? root->get_name() : root->get_name() + " " + of->get_name();
            return of->get_formatter()->make_help(of, name, CLI::AppFormatMode::Normal);
        };
        if (topic->empty()) {
            std::fputs(help_of(root).c_str(), stdout);
            return exit_code::ok;
        }
        if (!find_command(*topic)) throw unknown_command(*topic);
        std::fputs(help_of(root->get_subcommand(*topic)).c_str(), stdout);
        return exit_code::ok;
    };
}

}  // namespace nstopo::cli
