#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "privileges.hpp"
#include "render.hpp"

namespace nstopo::cli {

namespace {

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

}  // namespace

Context::Context(const GlobalOptions& globals, const Command& command)
    : globals_(globals),
      command_(command),
      store_(globals.state_dir.empty() ? env_or("NSTOPO_STATE_DIR", "/run/nstopo")
                                       : globals.state_dir),
      netns_dir_(globals.netns_dir.empty() ? env_or("NSTOPO_NETNS_DIR", "/run/netns")
                                           : globals.netns_dir) {}

Context::~Context() = default;

void Context::say(const std::string& line) const {
    if (!globals_.quiet) std::printf("%s\n", line.c_str());
}

Topology Context::accept(LoadResult r, const std::string& file) const {
    std::fputs(diagnostics_text(r.diagnostics, Style::for_stream(stderr)).c_str(), stderr);
    if (!r.ok()) {
        std::size_t errors = 0;
        for (const auto& d : r.diagnostics) errors += d.severity == Severity::error;
        throw Error(ErrorKind::config,
                    file + ": " + plural(errors, "error") + ", nothing was changed");
    }
    return std::move(*r.topology);
}

Topology Context::load(const std::string& file) const {
    return accept(load_topology_file(file), file);
}

bool Context::privileged() const {
    return has_privileges();
}

void Context::require_root() const {
    require_privileges(command_.name);
}

KernelOptions Context::kernel_options() const {
    return KernelOptions{.netns_dir = netns_dir_};
}

Engine& Context::engine(const EngineOptions& options) {
    if (engine_) return *engine_;
    if (command_.needs.root) require_root();
    kernel_ = make_netlink_kernel(kernel_options());
    engine_.emplace(*kernel_, store_, options);
    return *engine_;
}

void Context::release_kernel() {
    engine_.reset();
    kernel_.reset();
}

ExecuteOptions Context::progress() const {
    ExecuteOptions o;
    if (!globals_.quiet) {
        o.on_operation = [style = Style::for_stream(stdout)](const Operation& op) {
            std::fputs((style.operation(op) + "\n").c_str(), stdout);
            std::fflush(stdout);
        };
    }
    return o;
}

std::string absolute_path(const std::string& file) {
    std::error_code ec;
    const auto p = std::filesystem::absolute(file, ec);
    return ec ? file : p.lexically_normal().string();
}

}  // namespace nstopo::cli
