#include "nstopo/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <future>
#include <set>

#include "nstopo/error.hpp"

namespace nstopo {

namespace {

std::set<std::string> namespace_names(const Topology& t) {
    std::set<std::string> names;
    for (const auto& [name, _] : t.namespaces) names.insert(name);
    return names;
}

std::set<std::string> host_interface_names(const Topology& t) {
    std::set<std::string> names;
    for (const auto& [name, _] : t.host_interfaces) names.insert(name);
    return names;
}

// A lab that declares nothing: planning it against the kernel tears the lab down.
Topology empty_lab(const std::string& lab) {
    Topology t;
    t.name = lab;
    return t;
}

std::set<std::string> host_table_ids(const Topology& t) {
    std::set<std::string> ids;
    for (const auto& [id, _] : t.host_tables) ids.insert(id);
    return ids;
}

// The host sysctls of `changed` that `desired` still declares: what the record keeps once the
// kernel matches (the others were set back, or are someone else's now).
std::map<std::string, HostSysctl> declared_only(std::map<std::string, HostSysctl> changed,
                                                const Topology& desired) {
    std::erase_if(changed, [&](const auto& c) { return !desired.host_sysctls.contains(c.first); });
    return changed;
}

// Whether the record owns exactly the names `desired` declares (as after a successful apply).
bool owns_just_the_names_of(const LabRecord& r, const Topology& desired) {
    return r.namespaces == namespace_names(desired) &&
           r.host_interfaces == host_interface_names(desired) &&
           r.host_routes == desired.host_routes && r.host_tables == host_table_ids(desired) &&
           r.host_sysctls == declared_only(r.host_sysctls, desired);
}

// What the record must hold before `plan` runs: the host sysctls the lab changed before, and
// each one the plan sets now for the first time, with the value it has now. A link the plan is
// about to create (a host end) has none yet: it will copy conf.default's, which is then its
// previous value.
std::map<std::string, HostSysctl> host_sysctls_before(const Plan& plan, const Topology& desired,
                                                      const Topology& observed,
                                                      const LabClaims& claims) {
    std::map<std::string, HostSysctl> changed = claims.host_sysctls;
    // A key another lab changed, and this lab needs too, is this lab's to set back as well,
    // to the value it had before the first of them: whichever goes last restores it.
    for (const auto& [key, _] : desired.host_sysctls)
        if (const auto other = claims.host_sysctls_elsewhere.find(key);
            other != claims.host_sysctls_elsewhere.end())
            changed.emplace(key, other->second);
    for (const auto& o : plan.operations) {
        const auto* set = std::get_if<op::SetSysctl>(&o.action);
        if (!set || set->ns != kHostNamespace || changed.contains(set->key)) continue;
        if (!desired.host_sysctls.contains(set->key)) continue;
        auto now = observed.host_sysctls.find(set->key);
        if (now == observed.host_sysctls.end())
            now = observed.host_sysctls.find(kIpv4DefaultForwarding);
        std::string previous = now != observed.host_sysctls.end() ? now->second : "";
        changed[set->key] = {previous, set->value};
    }
    return changed;
}

// A warning for each host sysctl the lab changed, no longer declares, and leaves as it is
// because someone set it to another value after the lab did.
std::vector<std::string> host_sysctls_left(const std::string& lab, const Topology& desired,
                                           const Topology& observed, const LabClaims& claims) {
    std::vector<std::string> warnings;
    for (const auto& [key, changed] : claims.host_sysctls) {
        if (desired.host_sysctls.contains(key) || changed.previous.empty() ||
            claims.host_sysctls_needed_elsewhere.contains(key))
            continue;
        const auto have = observed.host_sysctls.find(key);
        if (have == observed.host_sysctls.end() || have->second == changed.value ||
            have->second == changed.previous)
            continue;
        warnings.push_back("host sysctl " + key + " is " + have->second + ", not the " +
                           changed.value + " lab '" + lab + "' set (it was " + changed.previous +
                           " before): someone changed it since, so it is left as it is");
    }
    return warnings;
}

// Rootless mode has no uplink to give: its host is the session's own namespace.
void refuse_rootless_uplink(const Topology& desired, bool rootless) {
    if (!rootless || !desired.uplink) return;
    throw Error(ErrorKind::permission,
                "`host: uplink` is not permitted in rootless mode: the host of a rootless lab is "
                "the session's own network namespace, which has no way out to the machine's "
                "network; apply the lab as root for an uplink; nothing was changed",
                desired.uplink->where);
}

std::set<std::string> united(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

// The routes of `a`, and those of `b` that are not in `a`.
std::vector<Route> united(std::vector<Route> a, const std::vector<Route>& b) {
    for (const auto& r : b)
        if (std::find(a.begin(), a.end(), r) == a.end()) a.push_back(r);
    return a;
}

// Whether `file` still says what was applied as `applied`. Only a regular file is read: the
// record may name a pipe the lab was once applied from.
SourceFile compare_source(const std::string& file, const Topology& applied) {
    if (file.empty()) return SourceFile::unknown;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return SourceFile::gone;
    LoadResult now = load_topology_file(file);
    if (!now.ok()) return SourceFile::changed;
    reuse_canonical_tables(*now.topology, applied);
    return *now.topology == applied ? SourceFile::unchanged : SourceFile::changed;
}

// "what did not converge" for a verification error: the residual plan, one line each.
std::string residual_lines(const Plan& residual) {
    std::string lines;
    for (const auto& o : residual.operations) lines += "\n  " + describe(o);
    return lines;
}

// `desired` with each veth end whose mac it leaves unset held to the address it was first created
// with, as the record keeps it.
Topology held_to_first_macs(Topology desired, const std::map<VethEnd, MacAddress>& macs) {
    for (const auto& [end, mac] : macs)
        if (auto* link = desired.find_interface(end.ns, end.ifname); link && !link->mac)
            link->mac = mac;
    return desired;
}

// The addresses `observed` shows for the veth ends whose mac `desired` leaves unset.
std::map<VethEnd, MacAddress> first_macs(const Topology& desired, const Topology& observed) {
    std::map<VethEnd, MacAddress> macs;
    for (const auto& v : desired.veths)
        for (const VethEnd& end : {v.a, v.b}) {
            const Interface* want = desired.find_interface(end.ns, end.ifname);
            const Interface* have = observed.find_interface(end.ns, end.ifname);
            if (want && !want->mac && have && have->mac) macs[end] = *have->mac;
        }
    return macs;
}

// The identities `observed` shows for the namespaces and host interfaces `desired` declares.
Identities identities_in(const Topology& desired, const Topology& observed) {
    Identities ids;
    for (const auto& [name, _] : desired.namespaces)
        if (const auto it = observed.namespaces.find(name); it != observed.namespaces.end())
            ids.namespaces[name] = it->second.identity;
    for (const auto& [name, _] : desired.host_interfaces)
        if (const Interface* link = observed.find_interface(kHostNamespace, name))
            ids.host_interfaces[name] = link->ifindex;
    return ids;
}

// What the record says while an apply runs: the identities recorded before, but for what is gone
// (the plan may make it again, confirmed by its mark until the apply records it), and those of
// the namespaces the user adopts (the ones the apply was handed).
Identities while_applying(const LabClaims& claims, const Topology& observed) {
    Identities ids = claims.identities;
    std::erase_if(ids.namespaces,
                  [&](const auto& id) { return !observed.namespaces.contains(id.first); });
    std::erase_if(ids.host_interfaces, [&](const auto& id) {
        return observed.find_interface(kHostNamespace, id.first) == nullptr;
    });
    for (const auto& name : claims.adopt_namespaces)
        if (const auto it = observed.namespaces.find(name); it != observed.namespaces.end())
            ids.namespaces[name] = it->second.identity;
    return ids;
}

// Identities of what the plan deletes (and so may make again under the same name) are no longer
// the lab's: a host end whose peer's namespace went (a destroy killed halfway) is freed by the
// kernel later, and the one the plan makes in its place has another ifindex, confirmed by its
// mark until the apply records it.
Identities without_deleted(Identities ids, const Plan& plan) {
    for (const auto& o : plan.operations) {
        if (const auto* d = std::get_if<op::DeleteLink>(&o.action); d && d->ns == kHostNamespace)
            ids.host_interfaces.erase(d->ifname);
        if (const auto* d = std::get_if<op::DeleteNamespace>(&o.action))
            ids.namespaces.erase(d->ns);
    }
    return ids;
}

// A reading of the kernel made for `read` serves a plan that needs `needed` read: the same
// namespaces, host links, sysctl keys and host routing. (The expected veths only make pairing
// cheaper.)
bool reads_the_same(const ObserveScope& read, const ObserveScope& needed) {
    return read.namespaces == needed.namespaces && read.host_interfaces == needed.host_interfaces &&
           read.sysctls == needed.sysctls && read.host_routing == needed.host_routing &&
           read.host_tables == needed.host_tables && read.host_sysctls == needed.host_sysctls;
}

// Seconds since the epoch, as the record keeps a process's start.
std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Records each process the executor starts or stops in `record`, and saves it at once: a process
// is in the record before it is executed, and leaves it once stopped.
class RecordingLedger final : public ProcessLedger {
  public:
    RecordingLedger(const StateStore& store, LabRecord& record) : store_(store), record_(record) {}

    std::string log_path(const std::string& ns, const std::string& name) override {
        return store_.process_log(record_.lab, ns, name).string();
    }

    void started(const std::string& ns, const Process& p, const ProcessIdentity& id,
                 const std::string& log) override {
        record_.processes[{ns, p.name}] =
            ProcessRun{id, p.definition_hash(), log, now_seconds(), ProcessState::running, {}};
        store_.save(record_);
        started_now_.insert({ns, p.name});
    }

    void stopped(const std::string& ns, const std::string& name) override {
        record_.processes.erase({ns, name});
        store_.save(record_);
    }

    // The processes started through this ledger.
    const std::set<ProcessKey>& started_now() const { return started_now_; }

  private:
    const StateStore& store_;
    LabRecord& record_;
    std::set<ProcessKey> started_now_;
};

// `options` with `ledger` keeping the plan's processes.
ExecuteOptions with_ledger(ExecuteOptions options, ProcessLedger& ledger) {
    options.processes = &ledger;
    return options;
}

// Only the processes `desired` declares: a record keeps no exited process it no longer runs.
std::map<ProcessKey, ProcessRun> declared_only(std::map<ProcessKey, ProcessRun> runs,
                                               const Topology& desired) {
    std::erase_if(runs, [&](const auto& entry) {
        const auto ns = desired.namespaces.find(entry.first.first);
        return ns == desired.namespaces.end() || !ns->second.processes.contains(entry.first.second);
    });
    return runs;
}

// "srv/web": a process as `nstopo logs` names it.
std::string process_label(const std::string& ns, const std::string& name) {
    return ns + "/" + name;
}

// Of the host's nstopo routes `observed` shows, only those the lab's record holds (another lab's
// are no business of this lab's status).
void keep_own_host_routes(Topology& observed, const LabClaims& claims) {
    std::erase_if(observed.host_routes, [&](const Route& have) {
        return std::none_of(claims.host_routes.begin(), claims.host_routes.end(),
                            [&](const Route& r) { return r.same_key(have) && fulfils(have, r); });
    });
}

}  // namespace

// Adds to `observed` the processes `runs` records, each with its state as the kernel tells it:
// in the namespaces it shows, or, for a namespace that is gone while its process still runs (it
// keeps the deleted namespace alive), among the lost processes.
void Engine::attach_processes(Topology& observed,
                              const std::map<ProcessKey, ProcessRun>& runs) const {
    for (const auto& [key, run] : runs) {
        Process p;
        p.name = key.second;
        p.run = run;
        p.run->state = kernel_.process_state(key.first, run.id);
        if (p.run->state == ProcessState::exited) p.run->wait_status = store_.exit_status(run);
        const auto ns = observed.namespaces.find(key.first);
        if (ns != observed.namespaces.end())
            ns->second.processes[key.second] = std::move(p);
        else if (p.run->state != ProcessState::exited)
            observed.lost_processes[key.first][key.second] = std::move(p);
    }
}

// The lab's record; a damaged one stops this lab only, with what to do about it.
std::optional<LabRecord> Engine::load_record(const std::string& lab) const {
    try {
        return store_.load(lab);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::state) throw;
        throw Error(ErrorKind::state,
                    e.message() + "; nstopo will not guess what lab '" + lab +
                        "' owns: move the file away, then `nstopo destroy --from-marks " + lab +
                        "` deletes the namespaces that wear the lab's mark");
    }
}

Engine::Engine(Kernel& kernel, const StateStore& store, EngineOptions options)
    : kernel_(kernel), store_(store), options_(std::move(options)) {}

LabClaims Engine::claims_of(const std::optional<LabRecord>& record) const {
    LabClaims c = record ? record->claims() : LabClaims{};
    c.adopt_namespaces = options_.adopt_namespaces;
    return c;
}

void Engine::share_host_sysctls(LabClaims& c, const std::string& lab,
                                const Topology& desired) const {
    if (c.host_sysctls.empty() && desired.host_sysctls.empty()) return;
    for (const auto& other : store_.load_all(lab).records) {
        for (const auto& [key, changed] : other.host_sysctls)
            c.host_sysctls_elsewhere.emplace(key, changed);
        for (const auto& [key, _] : other.desired.host_sysctls)
            c.host_sysctls_needed_elsewhere.insert(key);
    }
}

Plan Engine::plan(const Topology& file) const {
    refuse_rootless_uplink(file, options_.rootless);
    const auto filled = with_canonical_tables(file, kernel_);
    const Topology& desired = filled ? *filled : file;
    const auto record = load_record(desired.name);
    auto claims = claims_of(record);
    share_host_sysctls(claims, desired.name, desired);
    Topology observed = kernel_.observe(scope_for(desired, claims));
    if (record) attach_processes(observed, record->processes);
    Plan p = nstopo::plan(record ? held_to_first_macs(desired, record->macs) : desired, observed,
                          claims);
    refuse_unwritable_sysctls(p, kernel_);
    refuse_missing_qdiscs(p, kernel_);
    return p;
}

// Two labs may not claim one name: every other lab's recorded namespaces and host links are off
// limits, whatever the kernel says. Returns a warning for each other lab whose record is damaged:
// its names cannot be checked (what of them exists is still refused as foreign by the planner).
std::vector<std::string> Engine::check_claims(const Topology& desired) const {
    std::map<std::string, LabClaims> others;
    // The lab's own record, the largest to parse, is not read at all.
    const StoredRecords stored = store_.load_all(desired.name);
    for (const auto& other : stored.records) others[other.lab] = other.claims();
    std::vector<std::string> warnings;
    for (const auto& d : stored.damaged)
        warnings.push_back(d.why + "; the names lab '" + d.lab +
                           "' owns are unknown, and only those that exist are refused");
    const auto conflicts = conflicting_claims(desired, others);
    if (conflicts.empty()) return warnings;
    std::string lines;
    for (const auto& c : conflicts)
        lines += "\n  " + c.where.str() + ": " + c.kind + " '" + c.name + "' belongs to lab '" +
                 c.owner + "'";
    throw Error(ErrorKind::conflict,
                "lab '" + desired.name + "' claims names another lab owns:" + lines);
}

Engine::Verified Engine::verify(const Topology& desired, const LabClaims& claims,
                                const std::map<ProcessKey, ProcessRun>& processes) const {
    Verified v;
    v.observed = kernel_.observe(scope_for(desired, claims));
    attach_processes(v.observed, processes);
    v.residual = nstopo::plan(desired, v.observed, claims);
    return v;
}

std::optional<PreparedApply> Engine::prepare(const std::string& lab) const {
    if (!lab_name_problem(lab).empty()) return std::nullopt;
    auto lock = store_.try_lock_lab(lab);
    if (!lock) return std::nullopt;
    auto record = load_record(lab);
    if (!record) return std::nullopt;
    PreparedApply p{lab, std::move(*lock), std::move(*record), {}, {}};
    p.scope = scope_for(p.record.desired, claims_of(p.record));
    p.observed = kernel_.observe(p.scope);
    return p;
}

// One apply's state, from the lock to the record it leaves.
struct Engine::ApplyState {
    const Topology& desired;
    const std::string& source;
    std::optional<PreparedApply> prepared;
    FileLock lock;
    std::optional<LabRecord> previous;
    LabClaims claims;
    ObserveScope scope;
    Topology held;  // desired, its unset MACs held to those first created
    // The record already holds `desired` as applied: compared once (a deep comparison).
    bool recorded_as_applied = false;
    std::vector<std::string> warnings;         // see ApplyResult::warnings
    LabRecord applying;                        // what the record says while the plan runs
    std::map<VethEnd, MacAddress> final_macs;  // to record once the kernel matches
    Identities final_ids;

    // The record says all that the kernel showed, with nothing left to record.
    bool record_is_current() const {
        return recorded_as_applied && previous->source == source &&
               owns_just_the_names_of(*previous, desired) && previous->macs == final_macs &&
               previous->identities == final_ids &&
               previous->processes == declared_only(applying.processes, desired);
    }

    LabRecord applied() && {
        return LabRecord{desired.name,
                         source,
                         LabPhase::applied,
                         namespace_names(desired),
                         host_interface_names(desired),
                         desired,
                         std::move(final_macs),
                         std::move(final_ids),
                         declared_only(std::move(applying.processes), desired),
                         desired.host_routes,
                         host_table_ids(desired),
                         declared_only(std::move(applying.host_sysctls), desired)};
    }

    // What the kernel shows of what the lab will record once it matches.
    void observed_as_final(const Topology& observed) {
        final_macs = first_macs(desired, observed);
        final_ids = identities_in(desired, observed);
    }
};

// The lab's lock (or the prepared one), its record, and what it claims and needs read.
Engine::ApplyState Engine::begin_apply(const Topology& desired, const std::string& source,
                                       std::optional<PreparedApply> prepared) const {
    if (prepared && prepared->lab != desired.name) prepared.reset();  // releases its lock
    ApplyState s{desired, source, std::move(prepared), {}, {}, {}, {}, {}, false, {}, {}, {}, {}};
    s.lock = s.prepared ? std::move(s.prepared->lock)
                        : store_.lock_lab(desired.name, options_.lock_wait);
    s.previous = s.prepared ? std::optional<LabRecord>(std::move(s.prepared->record))
                            : load_record(desired.name);
    s.claims = claims_of(s.previous);
    share_host_sysctls(s.claims, desired.name, desired);
    s.scope = scope_for(desired, s.claims);
    s.held = held_to_first_macs(desired,
                                s.previous ? s.previous->macs : std::map<VethEnd, MacAddress>{});
    s.recorded_as_applied =
        s.previous && s.previous->phase == LabPhase::applied && s.previous->desired == desired;
    return s;
}

// Claims the names and records them before the first change, so that a crash at any later point
// leaves a record that destroy (or a re-run of apply) works from. Returns the plan.
Plan Engine::plan_and_record(ApplyState& s) {
    const FileLock registry = store_.lock_registry(options_.lock_wait);
    s.warnings = check_claims(s.desired);
    // A reading made before the registry lock is as good as one made under it: nothing has been
    // changed for this apply yet, and a name another lab claimed meanwhile is a conflict in
    // check_claims. A prepared reading was made under the lab's lock too, while the file was
    // parsed: a change someone makes by hand meanwhile is the next apply's, as one made just after
    // any reading would be.
    Topology observed = s.prepared && reads_the_same(s.prepared->scope, s.scope)
                            ? std::move(s.prepared->observed)
                            : kernel_.observe(s.scope);
    if (s.previous) remove_leftover_files(*s.previous, observed);
    if (s.previous) attach_processes(observed, s.previous->processes);
    Plan plan = nstopo::plan(s.held, observed, s.claims);
    refuse_unwritable_sysctls(plan, kernel_);  // before the record claims anything
    refuse_missing_qdiscs(plan, kernel_);
    if (plan.empty()) s.observed_as_final(observed);
    s.applying = LabRecord{s.desired.name,
                           s.source,
                           LabPhase::applying,
                           united(namespace_names(s.desired), s.claims.owned_namespaces),
                           united(host_interface_names(s.desired), s.claims.owned_host_interfaces),
                           s.desired,
                           s.previous ? s.previous->macs : std::map<VethEnd, MacAddress>{},
                           without_deleted(while_applying(s.claims, observed), plan),
                           s.previous ? s.previous->processes : std::map<ProcessKey, ProcessRun>{},
                           united(s.desired.host_routes, s.claims.host_routes),
                           united(host_table_ids(s.desired), s.claims.host_tables),
                           host_sysctls_before(plan, s.desired, observed, s.claims)};
    for (auto& w : host_sysctls_left(s.desired.name, s.desired, observed, s.claims))
        s.warnings.push_back(std::move(w));
    if (!plan.empty() || !s.recorded_as_applied) store_.save(s.applying);
    return plan;
}

ExecuteReport Engine::execute_and_verify(ApplyState& s, const Plan& plan,
                                         const ExecuteOptions& exec) {
    RecordingLedger ledger(store_, s.applying);
    ExecuteReport report = execute(plan, kernel_, with_ledger(exec, ledger));
    if (exec.on_stage) exec.on_stage(Stage::verifying, plan);
    // What the plan created is the lab's by the record just written, confirmed by its mark.
    LabClaims recorded = claims_of(s.applying);
    recorded.host_sysctls_elsewhere = s.claims.host_sysctls_elsewhere;
    recorded.host_sysctls_needed_elsewhere = s.claims.host_sysctls_needed_elsewhere;
    Verified after = verify(s.held, recorded, s.applying.processes);
    accept_quick_exits(s, ledger.started_now(), after.residual);
    if (!after.residual.empty())
        throw Error(ErrorKind::verification,
                    "apply finished but the kernel does not match lab '" + s.desired.name +
                        "'; these operations are still pending:" + residual_lines(after.residual));
    s.observed_as_final(after.observed);
    return report;
}

// A process this apply started (its exec succeeded) that has exited by the time of the
// verification is no failure to converge: it ran, and a program may be short-lived or fail by
// itself. Its start is taken out of the residual, with a warning pointing at its log; status
// shows it exited, and the next apply starts it again.
void Engine::accept_quick_exits(ApplyState& s, const std::set<ProcessKey>& started_now,
                                Plan& residual) const {
    std::erase_if(residual.operations, [&](const Operation& o) {
        const auto* start = std::get_if<op::StartProcess>(&o.action);
        if (!start || !started_now.contains({start->ns, start->process.name})) return false;
        s.warnings.push_back("process " + quote(start->process.name) + " in namespace " +
                             quote(start->ns) +
                             " exited right after it started; see `nstopo logs " + s.desired.name +
                             " " + process_label(start->ns, start->process.name) + "`");
        return true;
    });
}

ApplyResult Engine::apply(const Topology& file, const std::string& source,
                          const ExecuteOptions& exec, std::optional<PreparedApply> prepared) {
    refuse_rootless_uplink(file, options_.rootless);
    const auto filled = with_canonical_tables(file, kernel_);
    const Topology& desired = filled ? *filled : file;
    ApplyState s = begin_apply(desired, source, std::move(prepared));
    ApplyResult result;
    result.plan = plan_and_record(s);
    if (!result.plan.empty()) {
        result.report = execute_and_verify(s, result.plan, exec);
    } else if (s.record_is_current()) {
        // Nothing to do: the observation just made is the verification, and the record already
        // says so. A no-op apply is one observe and one plan, and writes nothing.
        result.warnings = s.warnings;
        return result;
    }
    result.warnings = s.warnings;
    store_.save(std::move(s).applied());
    return result;
}

// Namespaces that carry the lab's kernel mark, for a lab whose record is gone.
std::set<std::string> Engine::marked_namespaces(const std::string& lab) const {
    ObserveScope scope;
    scope.namespaces = kernel_.list_namespaces();
    std::set<std::string> names;
    for (const auto& [name, ns] : kernel_.observe(scope).namespaces)
        if (wears_mark_of(ns, lab)) names.insert(name);
    return names;
}

// A run killed between creating a namespace's file and mounting it, or between unmounting and
// unlinking it, leaves a file that holds no namespace: the observer does not see it, so no plan
// removes it, and creating the namespace again would fail. Removes those of the lab's own
// namespaces (only names its record lists), under the lab's lock.
void Engine::remove_leftover_files(const LabRecord& record, const Topology& observed) {
    for (const auto& name : kernel_.list_namespaces())
        if (record.namespaces.count(name) != 0 && observed.namespaces.count(name) == 0)
            kernel_.delete_namespace(name);
}

// What destroy goes by: the record; or, when it was lost and the user says --from-marks, the
// namespaces that wear the lab's mark (each then confirmed by that mark, ownership.hpp). nullopt
// when there is nothing to destroy; Error(usage) when the user must say more.
std::optional<LabRecord> Engine::record_to_destroy(const std::string& lab, bool known,
                                                   bool from_marks) const {
    if (auto record = load_record(lab)) return record;
    const auto marked = marked_namespaces(lab);
    if (marked.empty() && known) return std::nullopt;
    if (marked.empty() || !from_marks) throw without_record(lab, known, marked);
    return LabRecord{lab, "", LabPhase::destroying, marked, {}, empty_lab(lab), {}, {}, {}, {},
                     {},  {}};
}

DestroyResult Engine::destroy(const std::string& lab, const ExecuteOptions& exec, bool from_marks) {
    // Before the lock, whose file would make the name known.
    const bool known = store_.known(lab);
    if (!known && !from_marks) throw without_record(lab, known);
    const FileLock lab_lock = store_.lock_lab(lab, options_.lock_wait);
    auto record = record_to_destroy(lab, known, from_marks);
    if (!record) return {};
    record->phase = LabPhase::destroying;
    store_.save(*record);

    const Topology nothing = empty_lab(lab);
    LabClaims claims = claims_of(record);
    share_host_sysctls(claims, lab, nothing);
    DestroyResult result;
    result.found = true;
    // The recorded veths are the observer's hints for pairing veth ends: one question per veth
    // (without them, as when the record was lost, two per veth; see PeerResolver).
    ObserveScope scope = scope_for(nothing, claims);
    scope.expected_veths = record->desired.veths;
    Topology observed = kernel_.observe(scope);
    attach_processes(observed, record->processes);
    result.plan = nstopo::plan(nothing, observed, claims);
    result.warnings = host_sysctls_left(lab, nothing, observed, claims);
    RecordingLedger ledger(store_, *record);
    result.report = execute(result.plan, kernel_, with_ledger(exec, ledger));
    remove_leftover_files(*record, observed);

    if (exec.on_stage) exec.on_stage(Stage::verifying, result.plan);
    const Plan residual = verify(nothing, claims, record->processes).residual;
    if (!residual.empty())
        throw Error(ErrorKind::verification,
                    "destroy finished but parts of lab '" + lab +
                        "' remain; these operations are still pending:" + residual_lines(residual));
    store_.remove(lab);
    store_.remove_logs(lab);
    return result;
}

std::vector<LabStatus> Engine::status(const std::optional<std::string>& lab) const {
    std::vector<LabStatus> out;
    StoredRecords stored = store_.load_all();
    for (auto& record : stored.records) {
        if (lab && record.lab != *lab) continue;
        const LabClaims claims = claims_of(record);
        LabStatus s{record, kernel_.observe(scope_for(record.desired, claims)), {},
                    {},     compare_source(record.source, record.desired),      {}};
        attach_processes(s.observed, record.processes);
        try {
            s.drift =
                nstopo::plan(held_to_first_macs(record.desired, record.macs), s.observed, claims);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::conflict) throw;
            s.problem = e.message();
        }
        keep_own_host_routes(s.observed, claims);
        out.push_back(std::move(s));
    }
    for (auto& d : stored.damaged) {
        if (lab && d.lab != *lab) continue;
        LabStatus s;
        s.record.lab = d.lab;
        s.damaged = std::move(d.why);
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(),
              [](const LabStatus& a, const LabStatus& b) { return a.record.lab < b.record.lab; });
    if (lab && out.empty())
        throw Error(ErrorKind::usage, "lab '" + *lab + "' is not up (no record in \"" +
                                          store_.dir().string() + "\")");
    return out;
}

Error Engine::without_record(const std::string& lab, bool known) const {
    return without_record(lab, known, marked_namespaces(lab));
}

Error Engine::without_record(const std::string& lab, bool known,
                             const std::set<std::string>& marked) const {
    if (!marked.empty()) {
        std::string names;
        for (const auto& name : marked) names += " " + name;
        return Error(ErrorKind::usage,
                     "lab '" + lab + "' has no record, so nothing is its by right; these " +
                         std::to_string(marked.size()) + " namespaces wear its mark:" + names +
                         "; `nstopo destroy --from-marks " + lab + "` deletes them");
    }
    std::string up;
    for (const auto& name : labs()) up += "\n  " + name;
    const std::string what =
        known ? "lab '" + lab + "' is not up" : "no lab '" + lab + "' was ever applied here";
    return Error(ErrorKind::usage, what + (up.empty() ? "; no lab is up" : "; the labs up:" + up));
}

std::vector<std::string> Engine::labs() const {
    return store_.lab_names();
}

std::vector<DamagedRecord> Engine::damaged_labs() const {
    return store_.load_all().damaged;
}

ImportResult Engine::import(const ImportRequest& request) const {
    return import_namespaces(kernel_, store_, request);
}

ApplyResult Engine::apply_text(std::string_view text, const std::string& file,
                               const std::function<Topology(LoadResult)>& accept,
                               const std::string& source, const ExecuteOptions& exec) {
    std::future<LoadResult> parsing;
    try {
        parsing = std::async(std::launch::async,
                             [&] { return load_topology_text(text, file, options_.load); });
    } catch (const std::system_error&) {
        // No thread to parse on: parse first, then read.
    }
    std::optional<PreparedApply> prepared;
    if (parsing.valid()) {
        try {
            prepared = prepare(likely_lab_name(text, file));
        } catch (const std::exception&) {
            // Not this apply's to report: the file may be invalid (its diagnostics come first),
            // and apply reads the kernel again, and reports then.
        }
    }
    const Topology desired =
        accept(parsing.valid() ? parsing.get() : load_topology_text(text, file, options_.load));
    return apply(desired, source, exec, std::move(prepared));
}

bool Engine::up_as_the_labs(const std::string& ns, const LabRecord& record) const {
    ObserveScope scope;
    scope.namespaces = {ns};
    const auto observed = kernel_.observe(scope).namespaces;
    const auto it = observed.find(ns);
    return it != observed.end() && Ownership(record.lab, record.claims()).is_up(it->second);
}

void Engine::require_applied(const std::string& lab, const std::vector<std::string>& namespaces,
                             const std::string& hint) const {
    const auto record = load_record(lab);
    if (!record || record->phase != LabPhase::applied)
        throw Error(ErrorKind::usage, "lab '" + lab + "' is not applied" + hint);
    for (const auto& ns : namespaces)
        if (!up_as_the_labs(ns, *record))
            throw Error(ErrorKind::usage, "namespace '" + ns + "' of lab '" + lab +
                                              "' is not up or not the lab's" + hint);
}

void Engine::require_lab_namespace(const std::string& ns, const std::string& hint) const {
    for (const auto& record : store_.load_all().records) {
        if (record.phase != LabPhase::applied || !record.namespaces.contains(ns)) continue;
        if (up_as_the_labs(ns, record)) return;
        throw Error(ErrorKind::usage, "namespace '" + ns + "' of lab '" + record.lab +
                                          "' is not up or does not carry the lab's mark" + hint);
    }
    throw Error(ErrorKind::usage,
                "namespace '" + ns + "' is not part of a lab nstopo applied" + hint);
}

}  // namespace nstopo
