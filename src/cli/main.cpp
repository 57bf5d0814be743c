// nstopo: converge the kernel's network namespaces, veths, addresses and routes to a YAML file.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "check.hpp"
#include "engine.hpp"
#include "graph.hpp"
#include "graph_render.hpp"
#include "json.hpp"
#include "nstopo/config.hpp"
#include "nstopo/error.hpp"
#include "nstopo/probe.hpp"
#include "output.hpp"
#include "privileges.hpp"

namespace nstopo {
namespace {

namespace fs = std::filesystem;

struct GlobalOptions {
    int verbosity = 0;
    bool quiet = false;
    std::string netns_dir;
    std::string state_dir;
};

struct CommandOptions {
    std::vector<std::string> files;
    std::string target;  // destroy: FILE or NAME; status: NAME
    bool json = false;
    bool detailed_exitcode = false;
    bool dry_run = false;
    std::vector<std::string> adopt;
    int timeout_ms = 1000;  // check
    int tries = 3;          // check
    std::string junit;      // check: write a JUnit XML report here
    std::string format = "mermaid";  // graph
    bool any_namespace = false;      // exec
    std::vector<std::string> command;  // exec
};

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
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

// The topology of a loaded file, after printing every diagnostic; Error(config) when it has
// errors.
Topology topology_or_fail(LoadResult r, const std::string& file) {
    std::fputs(diagnostics_text(r.diagnostics, Style::for_stream(stderr)).c_str(), stderr);
    if (!r.ok()) {
        std::size_t errors = 0;
        for (const auto& d : r.diagnostics) errors += d.severity == Severity::error;
        throw Error(ErrorKind::config, file + ": " + std::to_string(errors) + " error" +
                                           (errors == 1 ? "" : "s") + ", nothing was changed");
    }
    return std::move(*r.topology);
}

// Loads a topology file, printing every diagnostic; Error(config) when it has errors.
Topology load_or_fail(const std::string& file) {
    return topology_or_fail(load_topology_file(file), file);
}

std::string absolute(const std::string& file) {
    std::error_code ec;
    const auto p = fs::absolute(file, ec);
    return ec ? file : p.lexically_normal().string();
}

class Commands {
public:
    explicit Commands(const GlobalOptions& g)
        : globals_(g),
          store_(env_or("NSTOPO_STATE_DIR", "/run/nstopo")),
          netns_dir_(env_or("NSTOPO_NETNS_DIR", "/run/netns")) {
        if (!g.state_dir.empty()) store_ = StateStore(g.state_dir);
        if (!g.netns_dir.empty()) netns_dir_ = g.netns_dir;
    }

    int validate(const CommandOptions& c) {
        int failed = 0;
        for (const auto& file : c.files) {
            try {
                const Topology t = load_or_fail(file);
                say(file + ": ok (lab " + t.name + ", " + std::to_string(t.namespaces.size()) +
                    " namespaces, " + std::to_string(t.veths.size()) + " veths)");
            } catch (const Error& e) {
                std::fprintf(stderr, "%s\n", e.what());
                ++failed;
            }
        }
        return failed == 0 ? exit_code::ok : exit_code::invalid_config;
    }

    int plan(const CommandOptions& c) {
        const Topology desired = load_or_fail(c.files.at(0));
        require_privileges("plan");
        Engine engine = make_engine(c);
        const Plan p = engine.plan(desired);
        if (c.json)
            print_plan_json(p);
        else
            std::fputs(plan_text(p, Style::for_stream(stdout)).c_str(), stdout);
        return c.detailed_exitcode && !p.empty() ? exit_code::changes_pending : exit_code::ok;
    }

    int apply(const CommandOptions& c) {
        if (c.dry_run) return plan(c);
        const std::string& file = c.files.at(0);
        // Read once: the file may be a pipe (/dev/stdin, <(...)), which a second reader would
        // take bytes from.
        TopologyText read = read_topology_file(file);
        if (!read.text) topology_or_fail(std::move(read.unreadable), file);
        const std::string& text = *read.text;
        // The text is parsed on another thread while the lab it most likely names is locked and
        // read from the kernel (Engine::prepare): a no-op apply of a big lab then takes about the
        // longer of the two, not their sum. A wrong guess only costs the reading.
        std::future<LoadResult> parsing;
        try {
            parsing =
                std::async(std::launch::async, [&] { return load_topology_text(text, file); });
        } catch (const std::system_error& e) {
            spdlog::debug("no thread to parse {} on ({}); parsing first", file, e.what());
        }
        std::optional<Engine> engine;
        std::optional<PreparedApply> prepared;
        if (parsing.valid() && has_privileges())
            prepared = prepare_quietly(c, engine, likely_lab_name(text, file));
        const Topology desired = topology_or_fail(
            parsing.valid() ? parsing.get() : load_topology_text(text, file), file);
        require_privileges("apply");
        if (!engine) engine.emplace(make_engine(c));
        const ApplyResult r =
            engine->apply(desired, absolute(file), progress(), std::move(prepared));
        if (r.plan.empty())
            say("lab " + desired.name + ": no changes");
        else
            say(summary_line("apply", r.report) + "; verified: the kernel matches " +
                c.files.at(0));
        return exit_code::ok;
    }

    int destroy(const CommandOptions& c) {
        require_privileges("destroy");
        Engine engine = make_engine(c);
        const std::string lab = lab_to_destroy(engine, c.target);
        if (lab.empty()) {
            say("nothing to destroy");
            return exit_code::ok;
        }
        const DestroyResult r = engine.destroy(lab, progress());
        if (!r.found)
            say("nothing to destroy (lab " + lab + " is not up)");
        else
            say(summary_line("destroy", r.report) + "; verified: nothing of lab " + lab +
                " remains");
        return exit_code::ok;
    }

    int status(const CommandOptions& c) {
        require_privileges("status");
        Engine engine = make_engine(c);
        const auto labs = engine.status(c.target.empty() ? std::nullopt
                                                         : std::optional<std::string>(c.target));
        if (c.json)
            print_status_json(labs);
        else
            std::fputs(status_text(labs, Style::for_stream(stdout)).c_str(), stdout);
        return exit_code::ok;
    }

    int check(const CommandOptions& c) {
        const Topology t = load_or_fail(c.files.at(0));
        require_privileges("check");
        require_applied(t, c.files.at(0));
        const auto prober = make_prober(KernelOptions{.netns_dir = netns_dir_});
        const CheckReport r =
            run_checks(t.checks, *prober, {std::chrono::milliseconds(c.timeout_ms), c.tries});
        if (!c.junit.empty()) write_text(c.junit, checks_junit(t.name, r));
        if (c.json)
            std::cout << checks_json(t.name, r).dump(2) << "\n";
        else if (!globals_.quiet || !r.all_held())
            std::fputs(checks_text(r, Style::for_stream(stdout)).c_str(), stdout);
        return r.all_held() ? exit_code::ok : exit_code::failure;
    }

    int exec(const CommandOptions& c) {
        require_privileges("exec");
        if (!c.any_namespace) require_lab_namespace(c.target);
        kernel_.reset();  // its sockets are nstopo's, not the command's
        std::fflush(stdout);
        exec_in_namespace(KernelOptions{.netns_dir = netns_dir_}, c.target, c.command);
    }

    int graph(const CommandOptions& c) const {
        const Topology t = load_or_fail(c.files.at(0));
        if (c.format == "mermaid") std::fputs(graph_mermaid(t).c_str(), stdout);
        if (c.format == "dot") std::fputs(graph_dot(t).c_str(), stdout);
        if (c.format == "svg") std::fputs(render_with_dot(graph_dot(t), "svg").c_str(), stdout);
        return exit_code::ok;
    }

private:
    // Checks send traffic only inside a lab that is up: its record says applied and each
    // namespace a check starts in carries the lab's mark.
    void require_applied(const Topology& t, const std::string& file) {
        const auto record = store_.load(t.name);
        const std::string hint = "; run nstopo apply " + file + " first";
        if (!record || record->phase != "applied")
            throw Error(ErrorKind::usage, "lab '" + t.name + "' is not applied" + hint);
        ObserveScope scope;
        for (const auto& check : t.checks) scope.namespaces.push_back(check.from);
        kernel_ = make_netlink_kernel(KernelOptions{.netns_dir = netns_dir_});
        const Topology observed = kernel_->observe(scope);
        for (const auto& ns : scope.namespaces) {
            const auto it = observed.namespaces.find(ns);
            if (it == observed.namespaces.end() || it->second.owner != t.name)
                throw Error(ErrorKind::usage, "namespace '" + ns + "' of lab '" + t.name +
                                                  "' is not up or not the lab's" + hint);
        }
    }

    // `exec` runs only in a namespace of an applied lab that carries that lab's mark.
    void require_lab_namespace(const std::string& ns) {
        const std::string hint = "; `nstopo status` lists the labs, --any runs there anyway";
        for (const auto& record : store_.load_all()) {
            if (record.phase != "applied" || !record.namespaces.contains(ns)) continue;
            kernel_ = make_netlink_kernel(KernelOptions{.netns_dir = netns_dir_});
            ObserveScope scope;
            scope.namespaces = {ns};
            const auto observed = kernel_->observe(scope).namespaces;
            if (observed.contains(ns) && observed.at(ns).owner == record.lab) return;
            throw Error(ErrorKind::usage, "namespace '" + ns + "' of lab '" + record.lab +
                                              "' is not up or does not carry the lab's mark" +
                                              hint);
        }
        throw Error(ErrorKind::usage,
                    "namespace '" + ns + "' is not part of a lab nstopo applied" + hint);
    }

    static void write_text(const std::string& path, const std::string& text) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush())
            throw Error(ErrorKind::usage, "cannot write '" + path + "'");
    }

    Engine make_engine(const CommandOptions& c) {
        kernel_ = make_netlink_kernel(KernelOptions{.netns_dir = netns_dir_});
        EngineOptions o;
        o.adopt_namespaces.insert(c.adopt.begin(), c.adopt.end());
        return Engine(*kernel_, store_, o);
    }

    // Makes the engine and runs Engine::prepare, whose failures are not this command's to
    // report: the file may be invalid (its diagnostics come first), and apply makes the engine
    // and reads the kernel again anyway, and reports then.
    std::optional<PreparedApply> prepare_quietly(const CommandOptions& c,
                                                 std::optional<Engine>& engine,
                                                 const std::string& lab) {
        try {
            engine.emplace(make_engine(c));
            return engine->prepare(lab);
        } catch (const std::exception& e) {
            spdlog::debug("reading lab {} ahead of its file failed ({}); it is read again later",
                          lab, e.what());
            return std::nullopt;
        }
    }

    // Each operation printed as it runs, unless -q.
    ExecuteOptions progress() const {
        ExecuteOptions o;
        if (!globals_.quiet) {
            o.on_operation = [style = Style::for_stream(stdout)](const Operation& op) {
                std::fputs((style.operation(op) + "\n").c_str(), stdout);
                std::fflush(stdout);
            };
        }
        return o;
    }

    // destroy's argument: a topology file (its lab name), a lab name, or nothing (the one lab up).
    std::string lab_to_destroy(const Engine& engine, const std::string& target) {
        if (!target.empty()) {
            std::error_code ec;
            if (fs::is_regular_file(target, ec)) return load_or_fail(target).name;
            if (const auto why = lab_name_problem(target); !why.empty())
                throw Error(ErrorKind::usage,
                            "'" + target + "' is neither a topology file nor a lab name: " + why);
            return target;
        }
        const auto up = engine.labs();
        if (up.size() <= 1) return up.empty() ? "" : up.front();
        std::string list;
        for (const auto& l : up) list += "\n  " + l;
        throw Error(ErrorKind::usage,
                    std::to_string(up.size()) + " labs are up; name the one to destroy "
                                                "(nstopo destroy NAME):" + list);
    }

    void print_plan_json(const Plan& p) const {
        nlohmann::json j{{"lab", p.lab}, {"operations", nlohmann::json::array()}};
        for (const auto& o : p.operations) j["operations"].push_back(to_json(o));
        std::cout << j.dump(2) << "\n";
    }

    void print_status_json(const std::vector<LabStatus>& labs) const {
        nlohmann::json j{{"labs", nlohmann::json::array()}};
        for (const auto& s : labs) {
            nlohmann::json drift = nlohmann::json::array();
            for (const auto& o : s.drift.operations) drift.push_back(to_json(o));
            j["labs"].push_back({{"lab", s.record.lab},
                                 {"source", s.record.source},
                                 {"phase", s.record.phase},
                                 {"in_sync", s.drift.empty() && s.problem.empty()},
                                 {"problem", s.problem},
                                 {"observed", to_json(s.observed)},
                                 {"drift", drift}});
        }
        std::cout << j.dump(2) << "\n";
    }

    void say(const std::string& line) const {
        if (!globals_.quiet) std::printf("%s\n", line.c_str());
    }

    const GlobalOptions& globals_;
    StateStore store_;
    std::string netns_dir_;
    std::unique_ptr<Kernel> kernel_;
};

// Reports an error the way a person can act on it, and maps it to its exit code.
int report(const Error& e, bool detailed_exitcode) {
    // An invalid file's summary follows its located diagnostics: printed as `validate` prints
    // it, so validate, plan and apply say the same thing about one file.
    if (e.kind() != ErrorKind::config || e.message().find("nothing was changed") == std::string::npos)
        std::fprintf(stderr, "nstopo: %s%s\n",
                     e.kind() == ErrorKind::bug ? "internal error: " : "", e.what());
    else
        std::fprintf(stderr, "%s\n", e.what());
    return detailed_exitcode ? exit_code::failure : exit_code_for(e.kind());
}

int real_main(int argc, char** argv) {
    CLI::App app{"nstopo: converge Linux network namespaces, veths, addresses and routes to a "
                 "topology file"};
    app.set_version_flag("--version", std::string("nstopo ") + NSTOPO_VERSION);
    app.require_subcommand(1);
    GlobalOptions g;
    app.add_flag("-v,--verbose", g.verbosity,
                 "More output on stderr: -v for debug, -vv for one line per netlink transaction");
    app.add_flag("-q,--quiet", g.quiet, "Print only errors");
    app.add_option("--netns-dir", g.netns_dir,
                   "Directory of named namespaces (env NSTOPO_NETNS_DIR, default /run/netns)");
    app.add_option("--state-dir", g.state_dir,
                   "nstopo's state directory (env NSTOPO_STATE_DIR, default /run/nstopo)");

    CommandOptions c;
    auto* validate = app.add_subcommand("validate", "Check topology files; needs no root");
    validate->add_option("FILE", c.files, "Topology files")->required()->check(CLI::ExistingFile);
    auto* plan = app.add_subcommand("plan", "Print what apply would do, operation by operation");
    plan->add_option("FILE", c.files, "Topology file")->required()->check(CLI::ExistingFile);
    plan->add_flag("--json", c.json, "Print the plan as JSON");
    plan->add_flag("--detailed-exitcode", c.detailed_exitcode,
                   "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on error");
    auto* apply = app.add_subcommand("apply", "Converge the kernel to the file, then verify");
    apply->add_option("FILE", c.files, "Topology file")->required()->check(CLI::ExistingFile);
    apply->add_flag("--dry-run", c.dry_run, "Only print the plan (same as nstopo plan)");
    for (auto* cmd : {plan, apply})
        cmd->add_option("--adopt", c.adopt,
                        "Take over this existing namespace, not made by nstopo (repeatable)");
    auto* destroy = app.add_subcommand(
        "destroy", "Remove everything a lab created, then verify that nothing remains");
    destroy->add_option("TARGET", c.target, "Topology file or lab name (default: the lab up)");
    auto* status = app.add_subcommand("status", "Show the labs that are up and any drift");
    status->add_option("NAME", c.target, "Only this lab");
    status->add_flag("--json", c.json, "Print as JSON");
    auto* check = app.add_subcommand(
        "check", "Run the lab's checks (ICMP echo, route lookup) inside its applied namespaces");
    check->add_option("FILE", c.files, "Topology file")->required()->check(CLI::ExistingFile);
    check->add_flag("--json", c.json, "Print the results as JSON");
    check->add_option("--junit", c.junit, "Also write a JUnit XML report to this file");
    check->add_option("--timeout", c.timeout_ms, "Milliseconds per check, all tries together")
        ->capture_default_str()
        ->check(CLI::Range(10, 60000));
    check->add_option("--tries", c.tries, "Echo requests per check")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    auto* exec = app.add_subcommand(
        "exec", "Run a command inside a lab namespace: nstopo exec NAMESPACE -- COMMAND...");
    exec->add_option("NAMESPACE", c.target, "A namespace of an applied lab")->required();
    exec->add_option("COMMAND", c.command, "The command and its arguments, after --")->required();
    exec->add_flag("--any", c.any_namespace, "Also run in a namespace no applied lab owns");
    auto* graph = app.add_subcommand("graph", "Draw the lab: namespaces as nodes, veths as edges");
    graph->add_option("FILE", c.files, "Topology file")->required()->check(CLI::ExistingFile);
    graph->add_option("--format", c.format, "mermaid, dot or svg (svg needs Graphviz)")
        ->capture_default_str()
        ->check(CLI::IsMember({"mermaid", "dot", "svg"}));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? exit_code::ok : exit_code::usage;
    }
    configure_logging(g);
    try {
        Commands commands(g);
        if (*validate) return commands.validate(c);
        if (*plan) return commands.plan(c);
        if (*apply) return commands.apply(c);
        if (*destroy) return commands.destroy(c);
        if (*status) return commands.status(c);
        if (*check) return commands.check(c);
        if (*exec) return commands.exec(c);
        if (*graph) return commands.graph(c);
        return exit_code::usage;
    } catch (const Error& e) {
        return report(e, c.detailed_exitcode);
    } catch (const std::exception& e) {
        return report(Error(ErrorKind::bug, e.what()), c.detailed_exitcode);
    }
}

}  // namespace
}  // namespace nstopo

int main(int argc, char** argv) {
    // A closed stdout (`nstopo apply lab.yaml | head`) must not kill an apply halfway through its
    // kernel changes: writes then fail with EPIPE and the work goes on.
    std::signal(SIGPIPE, SIG_IGN);
    return nstopo::real_main(argc, argv);
}
