#include "completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace nstopo {

namespace {

const char* kind_name(WordKind k) {
    switch (k) {
        case WordKind::none:
            return "none";
        case WordKind::file:
            return "file";
        case WordKind::path:
            return "path";
        case WordKind::directory:
            return "directory";
        case WordKind::lab:
            return "lab";
        case WordKind::lab_or_file:
            return "lab_or_file";
        case WordKind::ns:
            return "ns";
        case WordKind::command:
            return "command";
        case WordKind::program:
            return "program";
        case WordKind::shell:
            return "shell";
        case WordKind::choice:
            return "choice";
    }
    return "none";
}

// 'text' for any POSIX shell (and fish): single quotes, with each ' as '\''.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

// Every name of every option in `options` (that takes a value, when `with_value`).
std::vector<std::string> option_names(const std::vector<CompletionOption>& options,
                                      bool only_with_value) {
    std::vector<std::string> names;
    for (const auto& o : options)
        if (!only_with_value || o.takes_value)
            names.insert(names.end(), o.names.begin(), o.names.end());
    return names;
}

// Kinds of the arguments in order; one that repeats ends with '*'.
std::string argument_kinds(const CompletionCommand& c) {
    std::vector<std::string> kinds;
    for (const auto& a : c.arguments)
        kinds.push_back(std::string(kind_name(a.kind)) + (a.repeats ? "*" : ""));
    return joined(kinds);
}

// The bash function, the same for every spec: which word is being completed, and what it takes.
constexpr const char* kBashBody = R"BASH(
# The names of the labs that are up, or of their namespaces: read from nstopo's state store by
# the binary itself, with the line's global options (which choose the store).
__NAME___names() {
    "${_NAME__prog}" "${_NAME__context[@]}" __complete "$1" 2>/dev/null
}

# Only topology files (*.yaml, *.yml) and directories.
__NAME___files() {
    local f
    compopt -o filenames 2>/dev/null || true
    while IFS= read -r f; do
        if [[ -d $f || $f == *.yaml || $f == *.yml ]]; then COMPREPLY+=("$f"); fi
    done < <(compgen -f -- "$1")
}

__NAME___words() {
    local w
    while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -W "$1" -- "$2")
}

__NAME___kind() {
    local kind=$1 cur=$2 key=$3
    case $kind in
        file) __NAME___files "$cur" ;;
        path) compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        directory) compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
        lab) __NAME___words "$(__NAME___names labs)" "$cur" ;;
        lab_or_file) __NAME___words "$(__NAME___names labs)" "$cur"; __NAME___files "$cur" ;;
        ns) __NAME___words "$(__NAME___names namespaces)" "$cur" ;;
        command) __NAME___words "$__NAME___commands" "$cur" ;;
        program) mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
        shell) __NAME___words "bash zsh fish" "$cur" ;;
        choice) __NAME___words "${__NAME___choices[$key]}" "$cur" ;;
    esac
}

__NAME_() {
    COMPREPLY=()
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local _NAME__prog=${COMP_WORDS[0]/#\~/$HOME}
    local -a _NAME__context=()
    local cmd="" nargs=0 i w ended=0
    # The command word, the global options so far, and how many arguments the command has.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((ended)); then ((nargs++)); continue; fi
        if [[ $w == -- ]]; then ended=1; continue; fi
        if [[ $w == -* ]]; then
            if [[ " $__NAME___globals " == *" ${w%%=*} "* ]]; then
                _NAME__context+=("$w")
                if [[ $w != *=* && " $__NAME___global_values " == *" $w "* ]]; then
                    ((i++)); _NAME__context+=("${COMP_WORDS[i]}")
                fi
            elif [[ -n $cmd && $w != *=* && " ${__NAME___values[$cmd]} " == *" $w "* ]]; then
                ((i++))
            fi
            continue
        fi
        if [[ -z $cmd ]]; then cmd=$w; else ((nargs++)); fi
    done
    # The value of an option.
    if [[ $prev == -* && $ended == 0 ]]; then
        if [[ " $__NAME___global_values " == *" $prev "* ]]; then
            __NAME___kind "${__NAME___value_kinds[ $prev]}" "$cur" " $prev"; return 0
        fi
        if [[ -n $cmd && " ${__NAME___values[$cmd]} " == *" $prev "* ]]; then
            __NAME___kind "${__NAME___value_kinds[$cmd $prev]}" "$cur" "$cmd $prev"; return 0
        fi
    fi
    if [[ $cur == -* && $ended == 0 ]]; then
        __NAME___words "$__NAME___globals ${cmd:+${__NAME___options[$cmd]}}" "$cur"
        return 0
    fi
    if [[ -z $cmd ]]; then
        __NAME___words "$__NAME___commands" "$cur"
        return 0
    fi
    # The command's argument at position nargs; a repeating last one takes every later word (a
    # program's arguments are files).
    local -a kinds
    read -r -a kinds <<< "${__NAME___arguments[$cmd]}"
    local n=${#kinds[@]} kind
    ((n == 0)) && return 0
    if ((nargs < n)); then
        kind=${kinds[nargs]}
    elif [[ ${kinds[n - 1]} == *'*' ]]; then
        kind=${kinds[n - 1]}
        [[ $kind == 'program*' ]] && kind=path
    else
        return 0
    fi
    __NAME___kind "${kind%'*'}" "$cur" "$cmd"
    return 0
}
complete -F __NAME_ _NAME_
)BASH";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The script's tables, for bash: assignments of plain and associative arrays.
std::string bash_tables(const CompletionSpec& spec) {
    std::vector<std::string> commands;
    for (const auto& c : spec.commands) commands.push_back(c.name);
    std::string out;
    out += "__NAME___commands=" + quoted(joined(commands)) + "\n";
    out += "__NAME___globals=" + quoted(joined(option_names(spec.globals, false))) + "\n";
    out += "__NAME___global_values=" + quoted(joined(option_names(spec.globals, true))) + "\n";
    std::string options, values, arguments, value_kinds, choices;
    const auto add_values = [&](const std::string& key, const CompletionOption& o) {
        for (const auto& name : o.names) {
            value_kinds +=
                fmt::format("    [{}]={}\n", quoted(key + " " + name), kind_name(o.value));
            if (!o.choices.empty())
                choices += fmt::format("    [{}]={}\n", quoted(key + " " + name),
                                       quoted(joined(o.choices)));
        }
    };
    for (const auto& o : spec.globals)
        if (o.takes_value) add_values("", o);
    for (const auto& c : spec.commands) {
        options +=
            fmt::format("    [{}]={}\n", c.name, quoted(joined(option_names(c.options, false))));
        values +=
            fmt::format("    [{}]={}\n", c.name, quoted(joined(option_names(c.options, true))));
        arguments += fmt::format("    [{}]={}\n", c.name, quoted(argument_kinds(c)));
        for (const auto& o : c.options)
            if (o.takes_value) add_values(c.name, o);
    }
    out += "declare -gA __NAME___options=(\n" + options + ")\n";
    out += "declare -gA __NAME___values=(\n" + values + ")\n";
    out += "declare -gA __NAME___arguments=(\n" + arguments + ")\n";
    out += "declare -gA __NAME___value_kinds=(\n" + value_kinds + ")\n";
    out += "declare -gA __NAME___choices=(\n" + choices + ")\n";
    return out;
}

// A shell identifier made of the program's name: "nstopo" stays "nstopo".
std::string identifier(const std::string& program) {
    const std::string base = program.substr(program.rfind('/') + 1);
    std::string id;
    for (const char c : base) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return id.empty() ? "nstopo" : id;
}

// What zsh completes a word of `kind` with: an _arguments action.
std::string zsh_action(WordKind kind, const std::vector<std::string>& choices) {
    switch (kind) {
        case WordKind::file:
            return "_files -g '*.(yaml|yml)'";
        case WordKind::path:
            return "_files";
        case WordKind::directory:
            return "_files -/";
        case WordKind::lab:
            return "__NAME___names labs";
        case WordKind::lab_or_file:
            return "_alternative 'labs:lab:__NAME___names labs' "
                   "'files:file:_files -g \"*.(yaml|yml)\"'";
        case WordKind::ns:
            return "__NAME___names namespaces";
        case WordKind::command:
            return "__NAME___commands";
        case WordKind::program:
            return "_command_names -e";
        case WordKind::shell:
            return "(bash zsh fish)";
        case WordKind::choice:
            return "(" + joined(choices) + ")";
        case WordKind::none:
            break;
    }
    return " ";
}

// zsh's _arguments spec of one option: '(-v --verbose)'{-v,--verbose}'[help]' and its value.
std::string zsh_option(const CompletionOption& o) {
    std::string help = o.help;
    help = replaced(replaced(replaced(help, "\\", "\\\\"), "[", "\\["), "]", "\\]");
    help = replaced(help, ":", "\\:");
    const std::string value = o.takes_value ? ":value:" + zsh_action(o.value, o.choices) : "";
    std::string names =
        o.names.size() == 1 ? o.names[0] : "{" + replaced(joined(o.names), " ", ",") + "}";
    const std::string exclusive = o.names.size() > 1 ? "'(" + joined(o.names) + ")'" : "";
    return exclusive + names + quoted("[" + help + "]" + value);
}

// zsh's _arguments spec of the argument at `position` (from 1).
std::string zsh_argument(const CompletionArgument& a, std::size_t position) {
    const std::string label = replaced(a.name, ":", "_");
    if (a.kind == WordKind::program) return quoted("*::" + label + ":_normal");
    const std::string action = zsh_action(a.kind, {});
    if (a.repeats) return quoted("*:" + label + ":" + action);
    return quoted(std::to_string(position) + ":" + label + ":" + action);
}

std::string fish_condition(const CompletionCommand& c) {
    return quoted("__fish_seen_subcommand_from " + c.name);
}

std::string fish_option(const std::string& program, const std::string& condition,
                        const CompletionOption& o) {
    std::string line = "complete -c " + program + condition;
    for (const auto& name : o.names)
        line += name.rfind("--", 0) == 0 ? " -l " + name.substr(2) : " -s " + name.substr(1);
    line += " -d " + quoted(o.help);
    if (o.takes_value) {
        switch (o.value) {
            case WordKind::file:
            case WordKind::path:
            case WordKind::directory:
                line += " -r -F";
                break;
            case WordKind::choice:
                line += " -x -a " + quoted(joined(o.choices));
                break;
            default:
                line += " -x";
                break;
        }
    }
    return line + "\n";
}

// The fish arguments of a kind, as an -a list or a forced file completion.
std::string fish_words(const std::string& program, WordKind kind) {
    switch (kind) {
        case WordKind::file:
        case WordKind::path:
        case WordKind::directory:
            return " -F";
        case WordKind::lab:
            return " -a " + quoted("(__" + program + "_names labs)");
        case WordKind::lab_or_file:
            return " -F -a " + quoted("(__" + program + "_names labs)");
        case WordKind::ns:
            return " -a " + quoted("(__" + program + "_names namespaces)");
        case WordKind::program:
            return " -a " + quoted("(__fish_complete_command)");
        case WordKind::shell:
            return " -a " + quoted("bash zsh fish");
        default:
            return "";
    }
}

}  // namespace

std::string bash_completion(const CompletionSpec& spec, const std::string& program) {
    std::string out = "# bash completion for " + program + "; made by `" + program +
                      " completion bash` from its own command table.\n";
    out += bash_tables(spec);
    out += kBashBody;
    return replaced(out, "_NAME_", identifier(program));
}

std::string zsh_completion(const CompletionSpec& spec, const std::string& program) {
    std::string out = "#compdef _NAME_\n# zsh completion for " + program + "; made by `" + program +
                      " completion zsh` from its own command table.\n\n";
    out +=
        R"ZSH(# The names of the labs that are up, or of their namespaces, read from nstopo's state store.
__NAME___names() {
    local -a names
    names=(${(f)"$($_NAME__prog $_NAME__context __complete $1 2>/dev/null)"})
    compadd -a names
}

__NAME___commands() {
    local -a commands
    commands=(
)ZSH";
    for (const auto& c : spec.commands)
        out += "        " + quoted(replaced(c.name, ":", "\\:") + ":" + c.help) + "\n";
    out += "    )\n    _describe -t commands 'nstopo command' commands\n}\n\n";
    std::string globals;
    for (const auto& o : spec.globals) globals += "    " + zsh_option(o) + "\n";
    out += "__NAME_() {\n    local curcontext=$curcontext state line ret=1 i\n";
    out +=
        "    # The program, and the global options that choose the state store, for "
        "__NAME___names.\n";
    out += "    local _NAME__prog=$words[1]\n    local -a _NAME__context globals\n";
    out += "    for ((i = 2; i < CURRENT; i++)); do\n";
    out += "        case $words[i] in\n";
    out += "            --rootless|--netns-dir=*|--state-dir=*) _NAME__context+=($words[i]) ;;\n";
    out += "            --netns-dir|--state-dir) _NAME__context+=($words[i] $words[i+1]) ;;\n";
    out += "        esac\n    done\n";
    out += "    globals=(\n" + globals + "    )\n";
    out +=
        "    _arguments -C $globals '1:command:__NAME___commands' '*::argument:->argument' && "
        "ret=0\n";
    out += "    [[ $state == argument ]] || return ret\n";
    out += "    curcontext=${curcontext%:*:*}:_NAME_-$words[1]:\n";
    out += "    case $words[1] in\n";
    for (const auto& c : spec.commands) {
        out += "        " + c.name + ")\n            _arguments $globals";
        for (const auto& o : c.options) out += " \\\n                " + zsh_option(o);
        std::size_t position = 1;
        for (const auto& a : c.arguments)
            out += " \\\n                " + zsh_argument(a, position++);
        out += " && ret=0\n            ;;\n";
    }
    out += "    esac\n    return ret\n}\n\n";
    out +=
        "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    __NAME_ \"$@\"\nelse\n    "
        "compdef __NAME_ _NAME_\nfi\n";
    return replaced(out, "_NAME_", identifier(program));
}

std::string fish_completion(const CompletionSpec& spec, const std::string& program) {
    const std::string name = identifier(program);
    std::string out = "# fish completion for " + program + "; made by `" + program +
                      " completion fish` from its own command table.\n";
    out += "function __" + name + "_names\n";
    out += "    set -l words (commandline -opc)\n";
    // Without words to match, string match would read its standard input.
    out += "    set -l context\n    if test (count $words) -gt 1\n";
    out +=
        "        set context (string match -r -- '^--(rootless|netns-dir=.*|state-dir=.*)$' "
        "$words[2..-1])\n";
    out += "    end\n";
    out += "    $words[1] $context __complete $argv[1] 2>/dev/null\n";
    out += "end\n\n";
    std::vector<std::string> commands;
    for (const auto& c : spec.commands) commands.push_back(c.name);
    out += "complete -c " + name + " -f\n";
    for (const auto& o : spec.globals) out += fish_option(name, "", o);
    for (const auto& c : spec.commands)
        out += "complete -c " + name + " -n __fish_use_subcommand -a " + quoted(c.name) + " -d " +
               quoted(c.help) + "\n";
    for (const auto& c : spec.commands) {
        const std::string condition = " -n " + fish_condition(c);
        for (const auto& o : c.options) out += fish_option(name, condition, o);
        if (!c.arguments.empty()) {
            const WordKind first = c.arguments.front().kind;
            if (first == WordKind::command)
                out += "complete -c " + name + condition + " -a " + quoted(joined(commands)) + "\n";
            else if (const std::string words = fish_words(name, first); !words.empty())
                out += "complete -c " + name + condition + words + "\n";
        }
    }
    return out;
}

}  // namespace nstopo
