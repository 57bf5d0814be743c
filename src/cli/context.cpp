#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "command.hpp"
#include "nstopo/error.hpp"
#include "privileges.hpp"
#include "progress.hpp"
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
    return accept(load_topology_file(file, load_options()), file);
}

void Context::enter() {
    if (!command_.needs.kernel || (!globals_.rootless && has_privileges())) return;
    paths_ = rootless_paths();
    session_.emplace(enter_rootless_session(
        *paths_, command_.needs.starts_session ? SessionUse::start : SessionUse::join));
    if (!session_->ended().empty()) std::fprintf(stderr, "nstopo: %s\n", session_->ended().c_str());
    if (globals_.state_dir.empty()) store_ = StateStore(paths_->state_dir, paths_->home / "locks");
    if (globals_.netns_dir.empty()) netns_dir_ = paths_->netns_dir.string();
}

void Context::finish() noexcept {
    if (!session_ || session_->kind() == Session::Kind::ephemeral) return;

    try {
        release_kernel();
        // With --state-dir the command used another store than the session's own: the session
        // ends only when neither records a lab (an empty directory named on the line must not
        // end it with the labs its own store records).
        const bool own_store_empty =
            globals_.state_dir.empty() ||
            StateStore(paths_->state_dir, paths_->home / "locks").lab_names().empty();
        if (own_store_empty && store_.lab_names().empty())
            end_idle_rootless_session(*paths_, *session_);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nstopo: cannot end the rootless session: %s\n", e.what());
    }
}

std::string Context::mode_note() const {
    if (!session_) return {};
    if (session_->kind() == Session::Kind::ephemeral) return "rootless (no session is running)";
    return "rootless (session holder pid " + std::to_string(session_->holder()) +
           "; ip netns cannot see its namespaces: use nstopo exec NS CMD or nstopo shell NS)";
}

bool Context::privileged() const {
    return session_.has_value() || has_privileges();
}

void Context::require_root() const {
    if (!session_) require_privileges(command_.name);
}

KernelOptions Context::kernel_options() const {
    return KernelOptions{.netns_dir = netns_dir_};
}

Engine& Context::engine(EngineOptions options) {
    if (engine_) return *engine_;
    if (command_.needs.kernel) require_root();
    kernel_ = make_netlink_kernel(kernel_options());
    options.load = load_options();
    options.rootless = rootless();
    engine_.emplace(*kernel_, store_, std::move(options));
    return *engine_;
}

void Context::release_kernel() {
    engine_.reset();
    kernel_.reset();
}

ExecuteOptions Context::progress(const std::string& verb, bool each_operation) const {
    const bool terminal = isatty(fileno(stdout)) == 1;
    ProgressMode mode = ProgressMode::updating;
    if (globals_.quiet)
        mode = ProgressMode::none;
    else if (globals_.no_progress)
        mode = ProgressMode::plain;
    else if (each_operation || globals_.verbosity > 0 || !terminal)
        mode = ProgressMode::lines;
    return progress_options(mode, verb, stdout);
}

std::string absolute_path(const std::string& file) {
    std::error_code ec;
    const auto p = std::filesystem::absolute(file, ec);
    return ec ? file : p.lexically_normal().string();
}

}  // namespace nstopo::cli
