// Shell completion scripts, made from the binary's own command table (`nstopo completion SHELL`):
// what each command takes is read off its CLI11 definition into a CompletionSpec, which each
// shell's writer turns into a script. The names of the labs that are up and of their namespaces
// come at completion time from `nstopo __complete labs|namespaces`, which reads the state store
// only (no kernel work).
#pragma once

#include <string>
#include <vector>

namespace nstopo {

// What a word completes to.
enum class WordKind {
    none,         // free text or a number
    file,         // a topology file (*.yaml, *.yml) or a directory on the way to one
    path,         // any file or directory
    directory,    // a directory
    lab,          // the name of a lab that is up
    lab_or_file,  // either
    ns,           // a namespace of a lab that is up
    command,      // one of nstopo's commands
    program,      // a program to run, then its arguments (exec)
    shell,        // bash, zsh or fish
    choice,       // one of CompletionOption::choices
};

struct CompletionOption {
    std::vector<std::string> names;  // "-v", "--verbose"
    std::string help;
    bool takes_value = false;
    WordKind value = WordKind::none;
    std::vector<std::string> choices;  // for WordKind::choice
};

struct CompletionArgument {
    std::string name;  // "FILE"
    WordKind kind = WordKind::none;
    bool repeats = false;  // takes every remaining word
};

struct CompletionCommand {
    std::string name;
    std::string help;
    std::vector<CompletionOption> options;
    std::vector<CompletionArgument> arguments;
};

struct CompletionSpec {
    std::vector<CompletionOption> globals;  // allowed anywhere on the line
    std::vector<CompletionCommand> commands;
};

// The scripts; each calls the binary as `program` (normally "nstopo").
std::string bash_completion(const CompletionSpec& spec, const std::string& program);
std::string zsh_completion(const CompletionSpec& spec, const std::string& program);
std::string fish_completion(const CompletionSpec& spec, const std::string& program);

}  // namespace nstopo
