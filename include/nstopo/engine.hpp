// The apply layer's engine: a lab's life over a Kernel and a StateStore. What `plan`, `apply`,
// `destroy` and `status` do, and what `check` and `exec` need of an applied lab. The commands call
// it and render what it returns. No libnl here (tests drive it with a fake kernel); no printing
// either (callbacks report).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nstopo/config.hpp"
#include "nstopo/error.hpp"
#include "nstopo/execute.hpp"
#include "nstopo/import.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"
#include "nstopo/state.hpp"

namespace nstopo {

struct EngineOptions {
    std::chrono::milliseconds lock_wait{3000};
    std::set<std::string> adopt_namespaces;
    LoadOptions load;  // how apply_text loads the file
    // Rootless mode: the "host" is the session's own namespace, so a lab's `host: uplink:`
    // would lead nowhere; plan and apply refuse it (ErrorKind::permission).
    bool rootless = false;
};

struct ApplyResult {
    Plan plan;             // what was (or, with an empty plan, would have been) done
    ExecuteReport report;  // zero counts when the plan was empty
    // What the user should know but that did not stop the apply: another lab's record is
    // damaged, so the names it owns could not be checked.
    std::vector<std::string> warnings;
};

struct DestroyResult {
    bool found = false;  // false: nothing of the lab was recorded or marked ("nothing to destroy")
    Plan plan;
    ExecuteReport report;
    // What the user should know: a host sysctl the lab changed that someone changed again after
    // it, and that destroy so left as it is.
    std::vector<std::string> warnings;
};

// How the file a lab was applied from compares with what was applied.
enum class SourceFile : std::uint8_t {
    unchanged,  // it loads into the topology that was applied
    changed,    // it says something else now (or no longer loads)
    gone,       // it is no longer there (or is no longer a regular file)
    unknown,    // the record names no file (a lab recovered from its marks)
};

struct LabStatus {
    LabRecord record;
    Topology observed;  // the lab's namespaces and host links as the kernel has them now
    // What apply would do to bring the kernel back to what was applied (the record's topology,
    // not the file as it is now: see `source`).
    Plan drift;
    std::string problem;  // why apply could not (a conflict), when it could not
    SourceFile source = SourceFile::unknown;
    // Why the lab's record cannot be read (StateStore::load's message), when it is damaged: then
    // only `record.lab` is set, and nothing was observed.
    std::string damaged;
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
    // Processes: observed from the record's runs (checked through Kernel::process_state), each
    // start and stop recorded at once (a start before the program's exec); a process started
    // here that has exited by the verification is a warning, not a failure to converge.
    ApplyResult apply(const Topology& desired, const std::string& source,
                      const ExecuteOptions& exec = {},
                      std::optional<PreparedApply> prepared = std::nullopt);
    // apply() of a file's text, which is parsed on another thread while the lab it most likely
    // names is prepared: a no-op apply of a big lab then takes about the longer of the two, not
    // their sum (a wrong guess only costs the reading). `accept` gets the file's LoadResult before
    // anything changes and returns its topology, or throws (an invalid file). `source` is what
    // the record keeps as the file's path.
    ApplyResult apply_text(std::string_view text, const std::string& file,
                           const std::function<Topology(LoadResult)>& accept,
                           const std::string& source, const ExecuteOptions& exec = {});
    // Removes everything lab `lab` owns and verifies that nothing of it remains. Error(usage)
    // listing the labs that are up when `lab` names no lab that nstopo ever applied here (since
    // the state directory was made: /run empties at boot); a lab that was up and is gone is
    // found == false. The lab's processes are stopped first, then everything still running in
    // its namespaces (Kernel::stop_processes_in), then the namespaces go; its logs are removed.
    // `from_marks`: a lab without a record is what wears its mark (namespaces only; each
    // operation is reported before it runs). Without it, such a lab is Error(usage) naming them.
    DestroyResult destroy(const std::string& lab, const ExecuteOptions& exec = {},
                          bool from_marks = false);
    // The labs that are up (or the one named), each with its observed state and drift.
    std::vector<LabStatus> status(const std::optional<std::string>& lab) const;
    // Names of the labs recorded in the state directory (damaged records included).
    std::vector<std::string> labs() const;
    // Those of labs() whose record cannot be read (each read in full: for messages, not for speed).
    std::vector<DamagedRecord> damaged_labs() const;
    // For `import`: namespaces made by hand as a topology (import_namespaces). Changes nothing.
    ImportResult import(const ImportRequest& request) const;

    // For `check`: Error(usage) unless lab `lab` is applied (its record says so) and each of
    // `namespaces` is up as the lab's (recorded, and wearing its mark). `hint` ends the message.
    void require_applied(const std::string& lab, const std::vector<std::string>& namespaces,
                         const std::string& hint) const;
    // For `exec`: Error(usage) unless `ns` is up as a namespace of an applied lab.
    void require_lab_namespace(const std::string& ns, const std::string& hint) const;

  private:
    struct ApplyState;
    ApplyState begin_apply(const Topology& desired, const std::string& source,
                           std::optional<PreparedApply> prepared) const;
    Plan plan_and_record(ApplyState& s);
    ExecuteReport execute_and_verify(ApplyState& s, const Plan& plan, const ExecuteOptions& exec);
    std::optional<LabRecord> record_to_destroy(const std::string& lab, bool known,
                                               bool from_marks) const;
    LabClaims claims_of(const std::optional<LabRecord>& record) const;
    // Adds to `c` the host sysctls other labs recorded or need (LabClaims), when lab `lab`
    // changes or declares any: other records are read only then.
    void share_host_sysctls(LabClaims& c, const std::string& lab, const Topology& desired) const;
    std::optional<LabRecord> load_record(const std::string& lab) const;
    bool up_as_the_labs(const std::string& ns, const LabRecord& record) const;
    // Why lab `lab` cannot be destroyed without a record: the namespaces that wear its mark (and
    // --from-marks), or that it was never applied (the labs that are up).
    Error without_record(const std::string& lab, bool known) const;
    Error without_record(const std::string& lab, bool known,
                         const std::set<std::string>& marked) const;
    std::vector<std::string> check_claims(const Topology& desired) const;
    struct Verified {
        Topology observed;  // the kernel as verification read it
        Plan residual;      // what is still to do: empty when the kernel matches
    };
    Verified verify(const Topology& desired, const LabClaims& claims,
                    const std::map<ProcessKey, ProcessRun>& processes) const;
    void attach_processes(Topology& observed, const std::map<ProcessKey, ProcessRun>& runs) const;
    void accept_quick_exits(ApplyState& s, const std::set<ProcessKey>& started_now,
                            Plan& residual) const;
    std::set<std::string> marked_namespaces(const std::string& lab) const;
    void remove_leftover_files(const LabRecord& record, const Topology& observed);

    Kernel& kernel_;
    const StateStore& store_;
    EngineOptions options_;
};

}  // namespace nstopo
