// The engine: what `plan`, `apply`, `destroy` and `status` do, over a Kernel and a StateStore.
// No libnl here (tests drive it with a fake kernel); no printing either (callbacks report).
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nstopo/apply.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"
#include "state.hpp"

namespace nstopo {

struct EngineOptions {
    std::chrono::milliseconds lock_wait{3000};
    std::set<std::string> adopt_namespaces;
};

struct ApplyResult {
    Plan plan;              // what was (or, with an empty plan, would have been) done
    ExecuteReport report;   // zero counts when the plan was empty
};

struct DestroyResult {
    bool found = false;  // false: nothing of the lab was recorded or marked ("nothing to destroy")
    Plan plan;
    ExecuteReport report;
};

struct LabStatus {
    LabRecord record;
    Topology observed;  // the lab's namespaces and host links as the kernel has them now
    Plan drift;         // what apply would do to bring the kernel back to the recorded file
    std::string problem;  // why apply could not (a conflict), when it could not
};

// What apply() can do for a lab before the file it applies is parsed: take the lab's lock, read
// its record, and read the kernel for the topology that record holds. See Engine::prepare.
struct PreparedApply {
    std::string lab;
    FileLock lock;
    LabRecord record;
    ObserveScope scope;  // what `observed` read
    Topology observed;
};

class Engine {
public:
    Engine(Kernel& kernel, const StateStore& store, EngineOptions options = {});

    // Observes and plans `desired` against the kernel without changing anything.
    Plan plan(const Topology& desired) const;
    // For lab `lab` when it has a record and its lock is free now: the lock, the record, and the
    // kernel read for the recorded topology. nullopt when the name is no usable lab name, the lab
    // has no record or lock file, or its lock is held. Creates and changes nothing. Lets apply()
    // read the kernel while its file is still being parsed on another thread (a no-op apply of a
    // big lab is mostly these two); Error as observe() throws it. The lock is then held until the
    // PreparedApply is dropped: by apply(), or when the file turns out invalid.
    std::optional<PreparedApply> prepare(const std::string& lab) const;
    // Converges the kernel to `desired`: claims its names, records ownership before the first
    // change, executes the plan, then re-observes and re-plans to verify (Error(verification)
    // listing what did not converge). `prepared` (from prepare()) is used when it is for
    // desired's lab, and its reading of the kernel when it read what desired needs read.
    ApplyResult apply(const Topology& desired, const std::string& source,
                      const ExecuteOptions& exec = {},
                      std::optional<PreparedApply> prepared = std::nullopt);
    // Removes everything lab `lab` owns and verifies that nothing of it remains.
    DestroyResult destroy(const std::string& lab, const ExecuteOptions& exec = {});
    // The labs that are up (or the one named), each with its observed state and drift.
    std::vector<LabStatus> status(const std::optional<std::string>& lab) const;
    // Names of the labs recorded in the state directory.
    std::vector<std::string> labs() const;

private:
    PlanOptions plan_options(const std::optional<LabRecord>& record) const;
    void check_claims(const Topology& desired) const;
    Plan verify(const Topology& desired, const PlanOptions& options) const;
    std::set<std::string> marked_namespaces(const std::string& lab) const;
    void remove_leftover_files(const LabRecord& record, const Topology& observed);

    Kernel& kernel_;
    const StateStore& store_;
    EngineOptions options_;
};

}  // namespace nstopo
