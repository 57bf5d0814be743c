// The executor: runs a Plan through a Kernel, operation by operation, in order.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"

namespace nstopo {

// Where the executor keeps the processes it starts and stops: the engine records each in the
// lab's record at once, so that nstopo killed at any point leaves a record that names every
// process that may run.
class ProcessLedger {
  public:
    virtual ~ProcessLedger() = default;
    // The file process `name` of namespace `ns` appends its output to.
    virtual std::string log_path(const std::string& ns, const std::string& name) = 0;
    // `p` has identity `id` and is about to be executed (see Kernel::start_process).
    virtual void started(const std::string& ns, const Process& p, const ProcessIdentity& id,
                         const std::string& log) = 0;
    // Process `name` of namespace `ns` was stopped.
    virtual void stopped(const std::string& ns, const std::string& name) = 0;
};

// The stages of a run, as a progress display names them.
enum class Stage {
    executing,  // the plan's operations run, one on_operation call each
    settling,   // waiting for the kernel to free what namespace deletions free asynchronously
    verifying,  // the engine reads the kernel again and plans once more (Engine::apply, destroy)
};
std::string to_string(Stage s);

struct ExecuteOptions {
    // Called as each stage of the run begins, with the plan it runs (for a progress display: its
    // size is the number of on_operation calls the executing stage makes). A display hook only:
    // it knows nothing of terminals, and nothing waits for it.
    std::function<void(Stage, const Plan&)> on_stage;
    // Called before each operation runs (and for implied ones, which are not run).
    std::function<void(const Operation&)> on_operation;
    // How long to wait for host links that a namespace deletion frees asynchronously.
    std::chrono::milliseconds settle_timeout{10000};
    // Required by a plan that starts, stops or restarts processes (Error(bug) without one).
    ProcessLedger* processes = nullptr;
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

// The qdisc kinds a shaping needs ("tbf" for its rate, "netem" for its netem), sorted.
std::vector<std::string> qdisc_kinds_of(const Shaping& s);
// The kernel module that provides qdisc kind `kind` ("sch_netem" for "netem").
std::string qdisc_module(const std::string& kind);

// Throws, before anything runs, when the plan shapes a link with a qdisc kind this kernel lacks
// (Kernel::qdisc_support): Error(kernel) at the YAML that asked for it, naming the kind, the
// module that provides it (sch_netem), the link and the namespace.
void refuse_missing_qdiscs(const Plan& plan, Kernel& kernel);

// `file` with each nftables table's canonical form and rule count (NftTable::canonical) filled
// in by the kernel (Kernel::canonical_table); nullopt when no table lacks it (nothing to copy).
// Before anything runs: a table nft refuses is Error(config) with nft's messages, each located in
// the `nftables:` file (or at the table's `nat:`), and nothing is changed.
std::optional<Topology> with_canonical_tables(const Topology& file, Kernel& kernel);
// Takes, into `desired`, the canonical form of each table `applied` has with the same body: how a
// file is compared with what was applied without asking the kernel.
void reuse_canonical_tables(Topology& desired, const Topology& applied);

// Runs every non-implied operation in order. On a kernel error, stops and rethrows it with the
// operation's YAML location attached. Before the plan's first namespace deletion, stops every
// process still running in any namespace the plan deletes (Kernel::stop_processes_in: those the
// lab did not start, and daemons that left their group, would keep a deleted namespace alive).
// Afterwards waits until host links marked implied are gone.
ExecuteReport execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options = {});

}  // namespace nstopo
