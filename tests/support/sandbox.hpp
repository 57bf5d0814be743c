// The hermetic sandbox for tests that touch the kernel: a private network + mount namespace with
// tmpfs over the netns and state directories, so a test never sees or disturbs the machine's own
// interfaces, never collides with a parallel run, and leaves nothing behind (the kernel frees the
// whole sandbox when the test process exits).
#pragma once

#include <string>

namespace nstopo::test {

// Directories inside the sandbox (tmpfs mounts private to this process).
inline const char* const kSandboxNetnsDir = "/run/netns";
inline const char* const kSandboxStateDir = "/run/nstopo";

// Moves the calling process into a fresh network + mount namespace and mounts tmpfs over
// kSandboxNetnsDir and kSandboxStateDir. Must run before any thread is started.
// Returns "" on success, else why the sandbox cannot be made.
std::string enter_sandbox();

// Exit code a test binary returns when it must skip (registered as SKIP_RETURN_CODE with CTest).
inline constexpr int kSkipExitCode = 77;

}  // namespace nstopo::test
