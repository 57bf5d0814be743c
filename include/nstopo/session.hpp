// Rootless mode: labs of a user without root, inside that user's own session.
//
// A session is an unprivileged user namespace (the user mapped to root inside), a mount namespace
// and a network namespace of its own, which plays the host for the user's labs. A small holder
// process keeps them alive between commands; every nstopo command of the user joins it (setns
// into its user, mount and network namespaces) before it does anything else. Inside the mount
// namespace a tmpfs over HOME/session holds the netns directory and the state directory, so they
// are the session's alone and go with it. HOME is $XDG_RUNTIME_DIR/nstopo, or /tmp/nstopo-UID
// where XDG_RUNTIME_DIR is unset. Two users never see each other's session.
//
// The kernel layer owns this (it is namespaces and mounts); the command line decides when.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace nstopo {

struct RootlessPaths {
    std::filesystem::path home;       // HOME: the holder's pid file and the session's lock
    std::filesystem::path session;    // HOME/session: a tmpfs inside the session
    std::filesystem::path netns_dir;  // HOME/session/netns
    std::filesystem::path state_dir;  // HOME/session/state
};

// The calling user's paths. Makes HOME (mode 0700) if it is missing; Error(permission) when it is
// not a directory this user owns (a symlink, or someone else's).
RootlessPaths rootless_paths();

// How a command uses the session.
enum class SessionUse {
    start,  // join the session, starting it when there is none (apply)
    // join it, or else work in a fresh, empty one of the process's own that ends with it: where
    // no session runs, no lab is up, and status, plan or destroy see just that
    join,
};

// A command's place in the session. While it lives, the session is in use: it is not ended
// under the command (end_idle_rootless_session).
class Session {
  public:
    enum class Kind { joined, started, ephemeral };
    Session(Kind kind, pid_t holder, int in_use, std::string ended)
        : kind_(kind), holder_(holder), in_use_(in_use), ended_(std::move(ended)) {}
    Session(Session&& o) noexcept;
    Session& operator=(Session&&) = delete;
    ~Session();

    Kind kind() const { return kind_; }
    pid_t holder() const { return holder_; }  // 0 for an ephemeral one
    // Set when a session was found whose holder had died: what to tell the user.
    const std::string& ended() const { return ended_; }
    int in_use_fd() const { return in_use_; }

  private:
    Kind kind_;
    pid_t holder_;
    int in_use_;  // a shared flock on HOME/in-use, held while the command runs
    std::string ended_;
};

// Puts the calling process into the user's session as `use` says. Must be called while the
// process is single-threaded (setns into a user namespace requires it); keeps the working
// directory. Error(permission), saying what to do, where the machine refuses unprivileged user
// namespaces; Error(kernel) if a step fails.
Session enter_rootless_session(const RootlessPaths& paths, SessionUse use);

// The holder re-executes nstopo as "nstopo-session" (so that it shows under that name): main
// calls this first, and in that process it never returns.
void hold_session_if_asked(int argc, char** argv);

// Ends the session when no other command is in it: its holder is killed, and its namespaces go
// with it. For the command that destroyed the last lab. False when another command is in the
// session (it ends with a later command).
bool end_idle_rootless_session(const RootlessPaths& paths, const Session& session);

}  // namespace nstopo
