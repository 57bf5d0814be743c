// The command line's parts. A command is one row of the table (commands.cpp): its name, a line
// of help, what it needs, and a function that declares its arguments on its CLI11 subcommand and
// returns what runs it. Each command lives in its own file, cmd_NAME.cpp.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nstopo/config.hpp"
#include "nstopo/engine.hpp"
#include "nstopo/error.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/session.hpp"
#include "nstopo/state.hpp"

namespace CLI {
class App;
}

namespace nstopo::cli {

// The options every command takes, anywhere on the line.
struct GlobalOptions {
    int verbosity = 0;
    bool quiet = false;
    bool rootless = false;      // rootless mode even for root
    bool no_processes = false;  // a file with `processes:` is an error
    bool no_progress = false;   // one line per operation even on a terminal
    std::string netns_dir;
    std::string state_dir;
    std::map<std::string, std::string> vars;  // --set NAME=VALUE, for `${NAME}` in lab files
};

// What a command needs before it may run. Context::enter() gives a command that needs `kernel`
// its network namespaces: as root, the machine's; without root (or with --rootless), the user's
// rootless session (nstopo/session.hpp), which `starts_session` commands start when there is
// none. `applied_lab` is the engine's to check (Engine::require_applied).
struct Needs {
    bool kernel = false;          // enters and changes network namespaces
    bool starts_session = false;  // rootless: starts the user's session if none runs
    bool applied_lab = false;     // works inside a lab that is up
};

class Context;
using Runner = std::function<int(Context&)>;

struct Command {
    const char* name;
    const char* summary;  // one line, for `nstopo help`
    Needs needs;
    // Declares the command's arguments and options on `app`, bound to state the returned Runner
    // owns, which runs the command once the line is parsed.
    std::function<Runner(CLI::App& app)> define;
    // Not listed by help, the man page or completion: for the completion scripts' own use.
    bool hidden = false;
};

// The table, in the order `nstopo help` lists it.
const std::vector<Command>& command_table();
const Command* find_command(const std::string& name);
// Error(usage): "unknown command 'aply'; did you mean 'apply'?" and the list of commands.
Error unknown_command(const std::string& name);

// What a running command works with: the global options, and the kernel, the state store and
// the engine, made on first use.
class Context {
  public:
    Context(const GlobalOptions& globals, const Command& command);
    ~Context();

    const GlobalOptions& globals() const { return globals_; }
    bool quiet() const { return globals_.quiet; }
    // Prints `line` on stdout unless -q.
    void say(const std::string& line) const;

    // Loads a topology file, printing its diagnostics on stderr; Error(config) when it has errors.
    Topology load(const std::string& file) const;
    // How every command loads a topology file (the global options' part of it).
    LoadOptions load_options() const {
        return {.allow_processes = !globals_.no_processes, .vars = globals_.vars};
    }
    // The topology of a loaded file, after printing its diagnostics; Error(config) when it has
    // errors.
    Topology accept(LoadResult r, const std::string& file) const;

    // Gives the command the namespaces it needs (see Needs); before it runs, while the process is
    // single-threaded. Prints a note when a rootless session was found ended.
    void enter();
    // After the command: a rootless session with no lab left ends (when no other command is in it).
    void finish() noexcept;
    bool rootless() const { return paths_.has_value(); }
    // "rootless (session holder pid N)"; "" in root mode.
    std::string mode_note() const;

    // Whether the process may enter and change network namespaces (root, or in a session).
    bool privileged() const;
    // Error(permission), naming the command, unless privileged().
    void require_root() const;

    KernelOptions kernel_options() const;
    const StateStore& store() const { return store_; }
    // The engine over the libnl kernel; the command's needs are checked first.
    Engine& engine(EngineOptions options = {});
    // Closes the kernel's sockets and drops the engine (before exec hands the process over).
    void release_kernel();

    // What a run named `verb` ("apply", "destroy") shows as it goes, unless -q: on a terminal,
    // one updating line (progress.hpp); piped, with -v, or when the command asks for
    // `each_operation`, each operation's line as it runs; with --no-progress, those lines
    // without colour (no control character at all).
    ExecuteOptions progress(const std::string& verb, bool each_operation = false) const;

    // With --detailed-exitcode every error exits 1 (2 is "changes pending").
    void errors_exit_failure() { errors_exit_failure_ = true; }
    bool errors_exit_as_failure() const { return errors_exit_failure_; }

  private:
    const GlobalOptions& globals_;
    const Command& command_;
    StateStore store_;
    std::string netns_dir_;
    std::optional<RootlessPaths> paths_;
    std::optional<Session> session_;
    std::unique_ptr<Kernel> kernel_;
    std::optional<Engine> engine_;
    bool errors_exit_failure_ = false;
};

// The commands' runners, one per file.
Runner define_validate(CLI::App& app);
Runner define_plan(CLI::App& app);
Runner define_apply(CLI::App& app);
Runner define_destroy(CLI::App& app);
Runner define_status(CLI::App& app);
Runner define_logs(CLI::App& app);
Runner define_check(CLI::App& app);
Runner define_exec(CLI::App& app);
Runner define_graph(CLI::App& app);
Runner define_help(CLI::App& app);
Runner define_shell(CLI::App& app);
Runner define_init(CLI::App& app);
Runner define_import(CLI::App& app);
Runner define_completion(CLI::App& app);
Runner define_complete(CLI::App& app);

// Shared by plan and apply --dry-run.
int run_plan(Context& ctx, const std::string& file, bool json, bool detailed_exitcode,
             const std::vector<std::string>& adopt);
void add_adopt_option(CLI::App& app, std::vector<std::string>& adopt);

// An absolute, normalized form of `file` for records ("" parts resolved), or `file` itself.
std::string absolute_path(const std::string& file);

}  // namespace nstopo::cli
