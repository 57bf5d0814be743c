// nstopo shell NAMESPACE: the user's shell ($SHELL, else /bin/sh) inside a lab namespace, as
// `nstopo exec NAMESPACE $SHELL` runs it. How a rootless user gets into a lab, where
// `ip netns exec` cannot see the session's namespaces.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "command.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::cli {

Runner define_shell(CLI::App& app) {
    auto ns = std::make_shared<std::string>();
    app.add_option("NAMESPACE", *ns, "A namespace of an applied lab")->required();
    return [ns](Context& ctx) -> int {
        ctx.engine().require_lab_namespace(*ns, "; `nstopo status` lists the labs");
        ctx.release_kernel();
        const char* shell = std::getenv("SHELL");
        std::fflush(stdout);
        exec_in_namespace(ctx.kernel_options(), *ns,
                          {shell != nullptr && *shell != '\0' ? shell : "/bin/sh"});
    };
}

}  // namespace nstopo::cli
