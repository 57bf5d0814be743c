#include "engine.hpp"

#include <algorithm>

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

// Whether the record owns exactly the names `desired` declares (as after a successful apply).
bool owns_just_the_names_of(const LabRecord& r, const Topology& desired) {
    return r.namespaces == namespace_names(desired) &&
           r.host_interfaces == host_interface_names(desired);
}

std::set<std::string> united(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

// "what did not converge" for a verification error: the residual plan, one line each.
std::string residual_lines(const Plan& residual) {
    std::string lines;
    for (const auto& o : residual.operations) lines += "\n  " + describe(o);
    return lines;
}

// A reading of the kernel made for `read` serves a plan that needs `needed` read: the same
// namespaces, host links and sysctl keys. (The expected veths only make pairing cheaper.)
bool reads_the_same(const ObserveScope& read, const ObserveScope& needed) {
    return read.namespaces == needed.namespaces && read.host_interfaces == needed.host_interfaces &&
           read.sysctls == needed.sysctls;
}

}  // namespace

Engine::Engine(Kernel& kernel, const StateStore& store, EngineOptions options)
    : kernel_(kernel), store_(store), options_(std::move(options)) {}

PlanOptions Engine::plan_options(const std::optional<LabRecord>& record) const {
    PlanOptions o;
    if (record) {
        o.owned_namespaces = record->namespaces;
        o.owned_host_interfaces = record->host_interfaces;
    }
    o.adopt_namespaces = options_.adopt_namespaces;
    return o;
}

Plan Engine::plan(const Topology& desired) const {
    const auto options = plan_options(store_.load(desired.name));
    const Topology observed = kernel_.observe(scope_for(desired, options));
    return nstopo::plan(desired, observed, options);
}

// Two labs may not claim one name: every other lab's recorded namespaces and host links are off
// limits, whatever the kernel says.
void Engine::check_claims(const Topology& desired) const {
    std::string conflicts;
    std::optional<SourceLocation> first;
    // The lab's own record, the largest to parse, is not read at all.
    for (const auto& other : store_.load_all(desired.name)) {
        for (const auto& [name, ns] : desired.namespaces) {
            if (!other.namespaces.contains(name)) continue;
            conflicts += "\n  " + ns.where.str() + ": namespace '" + name + "' belongs to lab '" +
                         other.lab + "'";
            if (!first) first = ns.where;
        }
        for (const auto& [name, link] : desired.host_interfaces) {
            if (!other.host_interfaces.contains(name)) continue;
            conflicts += "\n  " + link.where.str() + ": host interface '" + name +
                         "' belongs to lab '" + other.lab + "'";
            if (!first) first = link.where;
        }
    }
    if (!conflicts.empty())
        throw Error(ErrorKind::conflict,
                    "lab '" + desired.name + "' claims names another lab owns:" + conflicts);
}

Plan Engine::verify(const Topology& desired, const PlanOptions& options) const {
    const Topology observed = kernel_.observe(scope_for(desired, options));
    return nstopo::plan(desired, observed, options);
}

std::optional<PreparedApply> Engine::prepare(const std::string& lab) const {
    if (!lab_name_problem(lab).empty()) return std::nullopt;
    auto lock = store_.try_lock_lab(lab);
    if (!lock) return std::nullopt;
    auto record = store_.load(lab);
    if (!record) return std::nullopt;
    PreparedApply p{lab, std::move(*lock), std::move(*record), {}, {}};
    p.scope = scope_for(p.record.desired, plan_options(p.record));
    p.observed = kernel_.observe(p.scope);
    return p;
}

ApplyResult Engine::apply(const Topology& desired, const std::string& source,
                          const ExecuteOptions& exec, std::optional<PreparedApply> prepared) {
    if (prepared && prepared->lab != desired.name) prepared.reset();  // releases its lock
    const FileLock lab_lock =
        prepared ? std::move(prepared->lock) : store_.lock_lab(desired.name, options_.lock_wait);
    const auto previous = prepared ? std::optional<LabRecord>(std::move(prepared->record))
                                   : store_.load(desired.name);
    const PlanOptions options = plan_options(previous);
    const ObserveScope scope = scope_for(desired, options);

    // Whether the record already holds `desired` as applied: compared once (a deep comparison).
    const bool recorded_as_applied =
        previous && previous->phase == "applied" && previous->desired == desired;
    ApplyResult result;
    {
        // Claim the names and record them before the first change, so that a crash at any later
        // point leaves a record that destroy (or a re-run of apply) works from.
        const FileLock registry = store_.lock_registry(options_.lock_wait);
        check_claims(desired);
        // A reading made before the registry lock is as good as one made under it: nothing has
        // been changed for this apply yet, and a name another lab claimed meanwhile is a
        // conflict in check_claims. A prepared reading was made under the lab's lock too, while
        // the file was parsed: a change someone makes by hand meanwhile is the next apply's, as
        // one made just after any reading would be.
        const Topology observed = prepared && reads_the_same(prepared->scope, scope)
                                      ? std::move(prepared->observed)
                                      : kernel_.observe(scope);
        if (previous) remove_leftover_files(*previous, observed);
        result.plan = nstopo::plan(desired, observed, options);
        if (!result.plan.empty() || !recorded_as_applied)
            store_.save(LabRecord{
                desired.name, source, "applying",
                united(namespace_names(desired), options.owned_namespaces),
                united(host_interface_names(desired), options.owned_host_interfaces), desired});
    }
    if (!result.plan.empty()) {
        result.report = execute(result.plan, kernel_, exec);
        const Plan residual = verify(desired, options);
        if (!residual.empty())
            throw Error(ErrorKind::verification,
                        "apply finished but the kernel does not match lab '" + desired.name +
                            "'; these operations are still pending:" + residual_lines(residual));
    } else if (recorded_as_applied && previous->source == source &&
               owns_just_the_names_of(*previous, desired)) {
        // Nothing to do: the observation just made is the verification, and the record already
        // says so. A no-op apply is one observe and one plan, and writes nothing.
        return result;
    }

    store_.save(LabRecord{desired.name, source, "applied", namespace_names(desired),
                          host_interface_names(desired), desired});
    return result;
}

// Namespaces that carry the lab's kernel mark, for a lab whose record is gone.
std::set<std::string> Engine::marked_namespaces(const std::string& lab) const {
    ObserveScope scope;
    scope.namespaces = kernel_.list_namespaces();
    std::set<std::string> names;
    for (const auto& [name, ns] : kernel_.observe(scope).namespaces)
        if (ns.owner == lab) names.insert(name);
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

DestroyResult Engine::destroy(const std::string& lab, const ExecuteOptions& exec) {
    const FileLock lab_lock = store_.lock_lab(lab, options_.lock_wait);
    auto record = store_.load(lab);
    if (!record) {
        // The state directory lost the record (deleted by hand): the kernel marks still tell.
        const auto marked = marked_namespaces(lab);
        if (marked.empty()) return {};
        record = LabRecord{lab, "", "destroying", marked, {}, empty_lab(lab)};
    }
    record->phase = "destroying";
    store_.save(*record);

    const Topology nothing = empty_lab(lab);
    const PlanOptions options = plan_options(record);
    DestroyResult result;
    result.found = true;
    // The recorded veths are the observer's hints for pairing veth ends: one question per veth
    // (without them, as when the record was lost, two per veth; see PeerResolver).
    ObserveScope scope = scope_for(nothing, options);
    scope.expected_veths = record->desired.veths;
    const Topology observed = kernel_.observe(scope);
    result.plan = nstopo::plan(nothing, observed, options);
    result.report = execute(result.plan, kernel_, exec);
    remove_leftover_files(*record, observed);

    const Plan residual = verify(nothing, options);
    if (!residual.empty())
        throw Error(ErrorKind::verification,
                    "destroy finished but parts of lab '" + lab +
                        "' remain; these operations are still pending:" + residual_lines(residual));
    store_.remove(lab);
    return result;
}

std::vector<LabStatus> Engine::status(const std::optional<std::string>& lab) const {
    std::vector<LabStatus> out;
    for (auto& record : store_.load_all()) {
        if (lab && record.lab != *lab) continue;
        const PlanOptions options = plan_options(record);
        LabStatus s{record, kernel_.observe(scope_for(record.desired, options)), {}, {}};
        try {
            s.drift = nstopo::plan(record.desired, s.observed, options);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::conflict) throw;
            s.problem = e.message();
        }
        out.push_back(std::move(s));
    }
    if (lab && out.empty())
        throw Error(ErrorKind::usage, "lab '" + *lab + "' is not up (no record in \"" +
                                          store_.dir().string() + "\")");
    return out;
}

std::vector<std::string> Engine::labs() const {
    std::vector<std::string> names;
    for (const auto& r : store_.load_all()) names.push_back(r.lab);
    return names;
}

}  // namespace nstopo
