// nstopo completion bash|zsh|fish: the shell's completion script, made from the command table as
// CLI11 holds it. nstopo __complete WHAT (hidden): the words those scripts ask for while
// completing, read from the state store only.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <set>

#include "command.hpp"
#include "completion.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

namespace {

// What each command's positional argument completes to, by the argument's name ("help COMMAND"
// before "COMMAND": a command's own entry wins). A new argument name must be added here:
// `nstopo completion` refuses to make a script that does not know it.
WordKind argument_kind(const std::string& command, const std::string& name) {
    static const std::map<std::string, WordKind> kinds{
        {"FILE", WordKind::file},
        {"TARGET", WordKind::lab_or_file},
        {"NAME", WordKind::lab},
        {"LAB_AND_PROCESS", WordKind::lab},
        {"NAMESPACE", WordKind::ns},
        {"help COMMAND", WordKind::command},
        {"exec COMMAND", WordKind::program},
        {"SHELL", WordKind::shell},
        {"WHAT", WordKind::none},
        // Namespaces made by hand: the lab namespaces completion knows are the ones it refuses.
        {"import NS", WordKind::none},
        {"DIR", WordKind::directory},
    };
    if (const auto it = kinds.find(command + " " + name); it != kinds.end()) return it->second;
    if (const auto it = kinds.find(name); it != kinds.end()) return it->second;
    throw Error(ErrorKind::bug, "completion: argument " + name + " of command " + command +
                                    " has no completion kind (src/cli/cmd_completion.cpp)");
}

// An option's value, by its type name: "PATH", "DIR", or a set of choices ("TEXT:{a,b}").
void describe_value(const CLI::Option& o, CompletionOption& out) {
    const std::string type = o.get_type_name();
    if (type == "PATH") out.value = WordKind::path;
    if (type == "DIR") out.value = WordKind::directory;
    const auto open = type.find('{');
    const auto close = type.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) return;
    out.value = WordKind::choice;
    std::string word;
    for (const char c : type.substr(open + 1, close - open - 1)) {
        if (c == ',') {
            out.choices.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) out.choices.push_back(word);
}

CompletionOption completion_option(const CLI::Option& o) {
    CompletionOption out;
    for (const auto& s : o.get_snames()) out.names.push_back("-" + s);
    for (const auto& l : o.get_lnames()) out.names.push_back("--" + l);
    out.help = o.get_description();
    out.takes_value = o.get_items_expected_max() > 0;
    if (out.takes_value) describe_value(o, out);
    return out;
}

std::vector<CompletionOption> named_options(const CLI::App& app,
                                            const std::set<std::string>& skip) {
    std::vector<CompletionOption> out;
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_positional() || o->get_group().empty()) continue;
        CompletionOption option = completion_option(*o);
        if (!option.names.empty() && !skip.contains(option.names.back()))
            out.push_back(std::move(option));
    }
    return out;
}

CompletionSpec spec_of(const CLI::App& root) {
    CompletionSpec spec;
    spec.globals = named_options(root, {});
    std::set<std::string> global_names;
    for (const auto& o : spec.globals) global_names.insert(o.names.begin(), o.names.end());
    for (const auto& command : command_table()) {
        if (command.hidden) continue;
        const CLI::App& app = *root.get_subcommand(command.name);
        CompletionCommand c{command.name, command.summary, named_options(app, global_names), {}};
        for (const CLI::Option* o : app.get_options())
            if (o->get_positional())
                c.arguments.push_back({o->get_name(), argument_kind(command.name, o->get_name()),
                                       o->get_items_expected_max() > 1});
        spec.commands.push_back(std::move(c));
    }
    return spec;
}

// "-v --verbose" per line: the options of `command`, or the global ones.
void print_options(const CLI::App& root, const std::string& command) {
    const CompletionSpec spec = spec_of(root);
    const std::vector<CompletionOption>* options = &spec.globals;
    if (!command.empty()) {
        const auto it = std::find_if(spec.commands.begin(), spec.commands.end(),
                                     [&](const CompletionCommand& c) { return c.name == command; });
        if (it == spec.commands.end()) throw unknown_command(command);
        options = &it->options;
    }
    for (const auto& o : *options) {
        std::string names;
        for (const auto& n : o.names) names += (names.empty() ? "" : " ") + n;
        std::printf("%s\n", names.c_str());
    }
}

struct CompleteArgs {
    std::string what;
    std::string command;
};

// The words a completion script asks for. A missing or unreadable store, or damaged records,
// mean no words: completion never prints an error.
int run_complete(Context& ctx, const CLI::App& root, const CompleteArgs& a) {
    if (a.what == "commands") {
        for (const auto& c : spec_of(root).commands) std::printf("%s\n", c.name.c_str());
    } else if (a.what == "options") {
        print_options(root, a.command);
    } else if (a.what == "labs") {
        try {
            for (const auto& name : ctx.store().lab_names()) std::printf("%s\n", name.c_str());
        } catch (const std::exception&) {
        }
    } else if (a.what == "namespaces") {
        std::set<std::string> names;
        try {
            for (const auto& record : ctx.store().load_all().records)
                names.insert(record.namespaces.begin(), record.namespaces.end());
        } catch (const std::exception&) {
        }
        for (const auto& name : names) std::printf("%s\n", name.c_str());
    }
    return exit_code::ok;
}

}  // namespace

Runner define_completion(CLI::App& app) {
    auto shell = std::make_shared<std::string>();
    app.add_option("SHELL", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    const CLI::App* const root = app.get_parent();
    return [shell, root](Context&) {
        const CompletionSpec spec = spec_of(*root);
        const std::string script = *shell == "bash"  ? bash_completion(spec, "nstopo")
                                   : *shell == "zsh" ? zsh_completion(spec, "nstopo")
                                                     : fish_completion(spec, "nstopo");
        std::fputs(script.c_str(), stdout);
        return exit_code::ok;
    };
}

Runner define_complete(CLI::App& app) {
    auto a = std::make_shared<CompleteArgs>();
    app.add_option("WHAT", a->what, "labs, namespaces, commands or options")
        ->required()
        ->check(CLI::IsMember({"labs", "namespaces", "commands", "options"}));
    app.add_option("COMMAND", a->command, "For options: the command (default: the global ones)");
    const CLI::App* const root = app.get_parent();
    return [a, root](Context& ctx) { return run_complete(ctx, *root, *a); };
}

}  // namespace nstopo::cli
