// The command table: one row per command, in the order `nstopo help` lists them.
#include <algorithm>

#include "command.hpp"

namespace nstopo::cli {

const std::vector<Command>& command_table() {
    static const std::vector<Command> table{
        {"validate", "Check topology files; needs no root", {}, define_validate},
        {"plan",
         "Print what apply would do, operation by operation",
         {.kernel = true},
         define_plan},
        {"apply",
         "Converge the kernel to the file, then verify",
         {.kernel = true, .starts_session = true},
         define_apply},
        {"destroy",
         "Remove everything a lab created, then verify that nothing remains",
         {.kernel = true},
         define_destroy},
        {"status", "Show the labs that are up and any drift", {.kernel = true}, define_status},
        {"logs",
         "Show the output of a lab's processes: nstopo logs [LAB] [NS/PROCESS] [-f]",
         {.kernel = true},
         define_logs},
        {"check",
         "Run each lab's checks (echo, TCP, route lookup) inside its applied namespaces: nstopo "
         "check FILE...",
         {.kernel = true, .applied_lab = true},
         define_check},
        {"exec",
         "Run a command inside a lab namespace: nstopo exec NAMESPACE COMMAND...",
         {.kernel = true, .applied_lab = true},
         define_exec},
        {"shell",
         "Open your shell inside a lab namespace: nstopo shell NAMESPACE",
         {.kernel = true, .applied_lab = true},
         define_shell},
        {"import",
         "Print a topology file that reproduces namespaces made by hand: nstopo import [NS...]",
         {.kernel = true},
         define_import},
        {"graph", "Draw the lab: namespaces as nodes, veths as edges", {}, define_graph},
        {"init",
         "Make a course repository: two labs, a README for students, a grading workflow",
         {},
         define_init},
        {"help", "Show the commands, or one command's options", {}, define_help},
        {"completion",
         "Print the shell completion script: nstopo completion bash|zsh|fish",
         {},
         define_completion},
        // Reads the state store: in rootless mode that is inside the user's session.
        {"__complete",
         "The words completion offers: labs, namespaces, commands, options [COMMAND]",
         {.kernel = true},
         define_complete,
         true},
    };
    return table;
}

const Command* find_command(const std::string& name) {
    const auto& table = command_table();
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const Command& c) { return c.name == name; });
    return it == table.end() ? nullptr : &*it;
}

Error unknown_command(const std::string& name) {
    std::vector<std::string> names;
    std::string list;
    for (const auto& c : command_table()) {
        if (c.hidden) continue;
        names.emplace_back(c.name);
        list += std::string(list.empty() ? "" : ", ") + c.name;
    }
    return Error(ErrorKind::usage, "unknown command " + quote(name) + did_you_mean(name, names) +
                                       "\ncommands: " + list + " (nstopo help COMMAND)");
}

}  // namespace nstopo::cli
