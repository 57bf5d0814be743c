// nstopo exec NAMESPACE [--] COMMAND...: runs a command inside a namespace of an applied lab, as
// `ip netns exec` does. Everything after the namespace is the command (main.cpp puts the `--`
// in when it is left out).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::cli {

namespace {

struct ExecArgs {
    std::string ns;
    std::vector<std::string> command;
    bool any_namespace = false;
    bool host = false;
};

[[noreturn]] void run_exec(Context& ctx, ExecArgs a) {
    if (a.host) {
        // No namespace: what was read as one is the command's first word.
        a.command.insert(a.command.begin(), a.ns);
        a.ns = kHostNamespace;
        ctx.require_root();
    } else if (!a.any_namespace)
        ctx.engine().require_lab_namespace(
            a.ns, "; `nstopo status` lists the labs, --any runs there anyway");
    else
        ctx.require_root();
    ctx.release_kernel();  // its sockets are nstopo's, not the command's
    std::fflush(stdout);
    exec_in_namespace(ctx.kernel_options(), a.ns, a.command);
}

}  // namespace

Runner define_exec(CLI::App& app) {
    auto a = std::make_shared<ExecArgs>();
    app.add_option("NAMESPACE", a->ns, "A namespace of an applied lab")->required();
    app.add_option("COMMAND", a->command, "The command and its arguments");
    app.add_flag("--any", a->any_namespace, "Also run in a namespace no applied lab owns");
    app.add_flag("--host", a->host,
                 "Run in the host namespace of the labs (rootless: the session's own), no "
                 "NAMESPACE: nstopo exec --host COMMAND...");
    return [a](Context& ctx) -> int { run_exec(ctx, *a); };
}

}  // namespace nstopo::cli
