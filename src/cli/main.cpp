// nstopo: converge Linux network namespaces, veths, addresses and routes to a YAML file.
//
// main reads top to bottom: the command line is checked against the command table
// (commands.cpp), parsed with CLI11, and the chosen command runs; an error it throws is reported
// once, here, and mapped to its documented exit code.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <optional>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "nstopo/session.hpp"

namespace nstopo::cli {
namespace {

// Global options that take a value: their value is not a command word.
bool takes_value(const std::string& option) {
    return option == "--netns-dir" || option == "--state-dir" || option == "--set";
}

// The index in `args` of the first word that is not an option (nor an option's value), from
// `start`; args.size() if there is none. A "--" ends the search.
std::size_t first_word(const std::vector<std::string>& args, std::size_t start) {
    for (std::size_t i = start; i < args.size(); ++i) {
        if (args[i] == "--") return args.size();
        if (args[i].empty() || args[i][0] != '-') return i;
        if (takes_value(args[i])) ++i;
    }
    return args.size();
}

// `nstopo exec NS CMD...` means `nstopo exec NS -- CMD...`: everything after the namespace is the
// command, its options included.
// With --host there is no namespace: the command starts at the first word.
void separate_exec_command(std::vector<std::string>& args, std::size_t command_at) {
    if (args[command_at] != "exec") return;
    const std::size_t first = first_word(args, command_at + 1);
    const bool host = std::find(args.begin() + static_cast<std::ptrdiff_t>(command_at),
                                args.begin() + static_cast<std::ptrdiff_t>(first),
                                "--host") != args.begin() + static_cast<std::ptrdiff_t>(first);
    const std::size_t command = host ? first : first + 1;
    if (command < args.size() && args[command] != "--" &&
        (command == 0 || args[command - 1] != "--"))
        args.insert(args.begin() + static_cast<std::ptrdiff_t>(command), "--");
}

void configure_logging(const GlobalOptions& g) {
    auto logger = spdlog::stderr_logger_mt("nstopo");
    logger->set_pattern("%^%l%$: %v");
    logger->set_level(g.verbosity >= 2   ? spdlog::level::trace
                      : g.verbosity == 1 ? spdlog::level::debug
                      : g.quiet          ? spdlog::level::err
                                         : spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

void add_global_options(CLI::App& app, GlobalOptions& g) {
    app.set_version_flag("--version", std::string("nstopo ") + NSTOPO_VERSION);
    app.add_flag("-v,--verbose", g.verbosity,
                 "More output on stderr: -v for debug, -vv for one line per netlink transaction");
    app.add_flag("-q,--quiet", g.quiet, "Print only errors");
    app.add_flag("--rootless", g.rootless,
                 "Rootless mode even as root: the labs live in your own session (nstopo help)");
    app.add_flag("--no-processes", g.no_processes,
                 "Refuse files that declare `processes:` (programs a lab would run)");
    app.add_flag("--no-progress", g.no_progress,
                 "On a terminal too, print each operation of apply and destroy as it runs instead "
                 "of one updating line");
    app.add_option("--netns-dir", g.netns_dir,
                   "Directory of named namespaces (env NSTOPO_NETNS_DIR, default /run/netns)")
        ->type_name("DIR");
    app.add_option("--state-dir", g.state_dir,
                   "nstopo's state directory (env NSTOPO_STATE_DIR, default /run/nstopo)")
        ->type_name("DIR");

    app.add_option_function<std::vector<std::string>>(
           "--set",
           [&g](const std::vector<std::string>& settings) {
               for (const auto& s : settings) {
                   const auto eq = s.find('=');
                   if (eq == std::string::npos || eq == 0)
                       throw CLI::ValidationError("--set", "'" + s + "' is not NAME=VALUE");
                   g.vars[s.substr(0, eq)] = s.substr(eq + 1);
               }
           },
           "Give a lab file's variable `${NAME}` this value, over its `vars:` (repeatable)")
        ->type_name("NAME=VALUE")
        ->allow_extra_args(false);
}

// Reports an error the way a person can act on it, and maps it to its exit code.
int report(const Error& e, const Context* ctx) {
    if (e.kind() == ErrorKind::config)
        std::fprintf(stderr, "%s\n", e.what());  // the summary under the file's diagnostics
    else
        std::fprintf(stderr, "nstopo: %s%s\n", e.kind() == ErrorKind::bug ? "internal error: " : "",
                     e.what());
    return ctx && ctx->errors_exit_as_failure() ? exit_code::failure : exit_code_for(e.kind());
}

using Runners = std::vector<std::pair<const Command*, Runner>>;

// A misspelt command is named with the nearest one, before CLI11 sees the line; the exec
// command's own words are set apart. Returns the exit code when the line is refused.
std::optional<int> check_command_word(std::vector<std::string>& args) {
    const std::size_t command_at = first_word(args, 0);
    if (command_at >= args.size()) return std::nullopt;
    if (!find_command(args[command_at])) return report(unknown_command(args[command_at]), nullptr);
    separate_exec_command(args, command_at);
    return std::nullopt;
}

// Every command of the table as a CLI11 subcommand, with the runner its options feed.
Runners define_commands(CLI::App& app) {
    Runners runners;
    for (const auto& command : command_table()) {
        CLI::App* const sub = app.add_subcommand(command.name, command.summary);
        if (command.hidden) sub->group("");
        runners.emplace_back(&command, command.define(*sub));
    }
    return runners;
}

// Runs one command in its context: an error it throws is reported here, once.
int run_command(const GlobalOptions& globals, const Command& command, const Runner& run) {
    Context ctx(globals, command);
    int rc = exit_code::failure;
    try {
        ctx.enter();  // before any thread: joining a session needs a single-threaded process
        rc = run(ctx);
    } catch (const Error& e) {
        rc = report(e, &ctx);
    } catch (const std::exception& e) {
        rc = report(Error(ErrorKind::bug, e.what()), &ctx);
    }
    ctx.finish();
    return rc;
}

int real_main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (const auto refused = check_command_word(args)) return *refused;

    CLI::App app{
        "nstopo: converge Linux network namespaces, veths, addresses and routes to a "
        "topology file",
        "nstopo"};
    app.require_subcommand(1);
    app.fallthrough();  // global options anywhere on the line
    GlobalOptions globals;
    add_global_options(app, globals);
    const Runners runners = define_commands(app);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_code::ok : exit_code::usage;
    }
    configure_logging(globals);
    for (const auto& [command, run] : runners)
        if (app.got_subcommand(command->name)) return run_command(globals, *command, run);
    return exit_code::usage;
}

}  // namespace
}  // namespace nstopo::cli

int main(int argc, char** argv) {
    // A closed stdout (`nstopo apply lab.yaml | head`) must not kill an apply halfway through its
    // kernel changes: writes then fail with EPIPE and the work goes on.
    nstopo::hold_session_if_asked(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return nstopo::cli::real_main(argc, argv);
    } catch (const std::exception& e) {  // thrown before a command ran: CLI11's setup, logging
        std::fprintf(stderr, "nstopo: internal error: %s\n", e.what());
        return nstopo::exit_code::failure;
    }
}
