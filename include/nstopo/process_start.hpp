// Starting and stopping a lab's programs (src/kernel/process_start.cpp).
#pragma once

#include <chrono>
#include <string>

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
ProcessIdentity start_process(const KernelOptions& options, const std::string& ns, const Process& p,
                              const std::string& log_path);

// Stops the process `id` and its process group: SIGTERM, then SIGKILL once `grace` has passed.
// Returns true when nothing of the group runs any more (already gone counts).
bool stop_process(const ProcessIdentity& id, std::chrono::milliseconds grace);

}  // namespace nstopo
