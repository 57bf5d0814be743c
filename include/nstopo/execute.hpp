// The executor: runs a Plan through a Kernel, operation by operation, in order.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"

namespace nstopo {

struct ExecuteOptions {
    // Called before each operation runs (and for implied ones, which are not run).
    std::function<void(const Operation&)> on_operation;
    // How long to wait for host links that a namespace deletion frees asynchronously.
    std::chrono::milliseconds settle_timeout{10000};
};

struct ExecuteReport {
    std::map<std::string, int> executed_by_kind;  // kind_of() -> count
    int implied = 0;
    std::chrono::steady_clock::duration elapsed{};
    int total_executed() const;
};

// Throws, before anything runs, what the kernel would refuse of `plan` for certain: a sysctl it
// sets that this kernel lacks or keeps read-only (Kernel::sysctl_access), as Error(kernel) at the
// YAML that asked for it, naming the key, the value and the namespace.
void refuse_unwritable_sysctls(const Plan& plan, Kernel& kernel);

// Runs every non-implied operation in order. On a kernel error, stops and rethrows it with the
// operation's YAML location attached. Afterwards waits until host links marked implied are gone.
ExecuteReport execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options = {});

}  // namespace nstopo
