// Starting and stopping a lab's programs (src/kernel/process_start.cpp).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "nstopo/kernel.hpp"
#include "nstopo/model.hpp"
#include "nstopo/process.hpp"

namespace nstopo {

// Starts `p` inside lab namespace `ns` the way `nstopo exec` runs a command (its network, a
// private mount namespace with the namespace's /sys and `p.mounts` bound over their targets), in
// `p.directory`, as `p.user`, with `p.env` added, in a session and process group of its own,
// stdin from /dev/null and stdout and stderr appended to `log_path`, detached (its parent exits,
// so nstopo does not wait for it). Returns once the program has been executed; a failure before
// (no such program, not executable, unknown user, a mount target that does not exist) is thrown
// as Error(kernel) naming the step and the errno, reported back through a close-on-exec pipe.
// A `user` the user namespace does not map (a rootless session maps only root) is refused so,
// before anything is forked. `started`, if given, gets the program's identity before the program
// is released to exec; if it throws, the program exits without being executed.
ProcessIdentity start_process(const KernelOptions& options, const std::string& ns, const Process& p,
                              const std::string& log_path,
                              const std::function<void(const ProcessIdentity&)>& started = {});

// How `id`, started in namespace `ns`, is now: exited (gone, or its pid reused), astray (running
// in another network namespace than the one DIR/NS is bound to now) or running.
ProcessState process_state(const KernelOptions& options, const std::string& ns,
                           const ProcessIdentity& id);

// Stops every process whose network namespace is that of one of `namespaces` (found by comparing
// /proc/PID/ns/net with the namespace file: device and inode), whatever group or session it made
// itself: SIGTERM, then SIGKILL after `grace`, scanning again until none is left. Namespaces that
// do not exist are skipped. Error(verification) listing the pids that survive.
void stop_processes_in(const KernelOptions& options, const std::vector<std::string>& namespaces,
                       std::chrono::milliseconds grace);

// Stops the process `id` and its process group: SIGTERM, then SIGKILL once `grace` has passed.
// Returns true when nothing of the group runs any more (already gone counts).
bool stop_process(const ProcessIdentity& id, std::chrono::milliseconds grace);

}  // namespace nstopo
