#include "nstopo/execute.hpp"

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>
#include <thread>
#include <type_traits>

#include "nstopo/error.hpp"

namespace nstopo {

namespace {

ProcessLedger& ledger_of(const ExecuteOptions& options) {
    if (!options.processes)
        throw Error(ErrorKind::bug, "a plan with processes executed without a process ledger");
    return *options.processes;
}

void start(const std::string& ns, const Process& p, Kernel& k, ProcessLedger& ledger) {
    const std::string log = ledger.log_path(ns, p.name);
    k.start_process(ns, p, log, [&](const ProcessIdentity& id) { ledger.started(ns, p, id, log); });
}

void stop(const std::string& ns, const std::string& name, const ProcessIdentity& id, Kernel& k,
          ProcessLedger& ledger) {
    k.stop_process(ns, id);
    ledger.stopped(ns, name);
}

// Deletes a link; one that is gone already is what the deletion wanted. A veth end whose peer's
// namespace was deleted (by a destroy killed halfway, say) is freed by the kernel
// asynchronously: the observer may still have seen it, and it may vanish before its deletion.
void delete_link(const op::DeleteLink& a, Kernel& k) {
    try {
        k.delete_link(a.ns, a.ifname);
    } catch (const Error& e) {
        if (!e.kernel() || e.kernel()->errno_value != ENODEV) throw;
    }
}

// Carries out one plan action with the kernel call that does it. New namespaces and links are
// marked as the lab's.
void run(const Action& action, const std::string& lab, Kernel& k, const ExecuteOptions& options) {
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, op::CreateNamespace>) {
                k.create_namespace(a.ns, lab);
            } else if constexpr (std::is_same_v<T, op::DeleteNamespace>) {
                k.delete_namespace(a.ns);
            } else if constexpr (std::is_same_v<T, op::CreateVeth>) {
                k.create_veth(a.veth, lab);
            } else if constexpr (std::is_same_v<T, op::CreateBridge>) {
                k.create_bridge(a.ns, a.ifname, a.options, lab);
            } else if constexpr (std::is_same_v<T, op::SetBridgeOptions>) {
                k.set_bridge_options(a.ns, a.ifname, a.options);
            } else if constexpr (std::is_same_v<T, op::SetMaster>) {
                k.set_master(a.ns, a.ifname, a.master);
            } else if constexpr (std::is_same_v<T, op::DeleteLink>) {
                delete_link(a, k);
            } else if constexpr (std::is_same_v<T, op::SetSysctl>) {
                k.set_sysctl(a.ns, a.key, a.value);
            } else if constexpr (std::is_same_v<T, op::SetLinkState>) {
                k.set_link_state(a.ns, a.ifname, a.state);
            } else if constexpr (std::is_same_v<T, op::SetMtu>) {
                k.set_mtu(a.ns, a.ifname, a.mtu);
            } else if constexpr (std::is_same_v<T, op::SetMac>) {
                k.set_mac(a.ns, a.ifname, a.mac);
            } else if constexpr (std::is_same_v<T, op::AddAddress>) {
                k.add_address(a.ns, a.ifname, a.address, a.dad);
            } else if constexpr (std::is_same_v<T, op::DeleteAddress>) {
                k.delete_address(a.ns, a.ifname, a.address);
            } else if constexpr (std::is_same_v<T, op::AddRoute>) {
                k.add_route(a.ns, a.route);
            } else if constexpr (std::is_same_v<T, op::DeleteRoute>) {
                k.delete_route(a.ns, a.route);
            } else if constexpr (std::is_same_v<T, op::AddShaping>) {
                k.add_shaping(a.ns, a.ifname, a.shaping);
            } else if constexpr (std::is_same_v<T, op::ChangeShaping>) {
                k.change_shaping(a.ns, a.ifname, a.from, a.to);
            } else if constexpr (std::is_same_v<T, op::RemoveShaping>) {
                k.remove_shaping(a.ns, a.ifname);
            } else if constexpr (std::is_same_v<T, op::LoadTable> ||
                                 std::is_same_v<T, op::ReplaceTable>) {
                k.load_table(a.ns, a.table);
            } else if constexpr (std::is_same_v<T, op::DeleteTable>) {
                k.delete_table(a.ns, a.table);
            } else if constexpr (std::is_same_v<T, op::StartProcess>) {
                start(a.ns, a.process, k, ledger_of(options));
            } else if constexpr (std::is_same_v<T, op::StopProcess>) {
                stop(a.ns, a.name, a.id, k, ledger_of(options));
            } else if constexpr (std::is_same_v<T, op::RestartProcess>) {
                stop(a.ns, a.process.name, a.id, k, ledger_of(options));
                start(a.ns, a.process, k, ledger_of(options));
            } else {
                static_assert(sizeof(T) == 0, "an action without a kernel call");
            }
        },
        action);
}

// The links of a plan that the kernel frees by itself, later: veth ends whose peers lived in a
// namespace the plan deletes.
std::vector<VethEnd> freed_later(const Plan& plan) {
    std::vector<VethEnd> ends;
    for (const auto& o : plan.operations)
        if (freed_asynchronously(o)) {
            const auto& d = std::get<op::DeleteLink>(o.action);
            ends.push_back({d.ns, d.ifname});
        }
    return ends;
}

ObserveScope scope_of(const std::vector<VethEnd>& ends) {
    ObserveScope scope;
    scope.nftables = false;  // only the links are waited for
    std::set<std::string> namespaces;
    for (const auto& e : ends) {
        if (e.in_host())
            scope.host_interfaces.push_back(e.ifname);
        else
            namespaces.insert(e.ns);
    }
    scope.namespaces.assign(namespaces.begin(), namespaces.end());
    return scope;
}

// Those of `ends` that still exist, as "ns/ifname" (or "ifname" in the host).
std::vector<std::string> still_present(const std::vector<VethEnd>& ends, const ObserveScope& scope,
                                       Kernel& k) {
    const Topology seen = k.observe(scope);
    std::vector<std::string> present;
    for (const auto& e : ends)
        if (seen.find_interface(e.ns, e.ifname) != nullptr) present.push_back(e.str());
    return present;
}

// Deleting a namespace frees its devices, and the veth ends they pair with, asynchronously
// (cleanup_net runs on a workqueue). Waits until those ends are gone, so that verification sees
// the final state and an immediate re-apply never meets a ghost interface of the same name.
void wait_until_freed(const Plan& plan, Kernel& k, const ExecuteOptions& options) {
    const std::vector<VethEnd> ends = freed_later(plan);
    if (ends.empty()) return;
    if (options.on_stage) options.on_stage(Stage::settling, plan);
    const std::chrono::milliseconds timeout = options.settle_timeout;
    const ObserveScope scope = scope_of(ends);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        const auto present = still_present(ends, scope, k);
        if (present.empty()) return;
        if (std::chrono::steady_clock::now() >= deadline) {
            std::string names;
            for (const auto& name : present) names += " " + name;
            throw Error(ErrorKind::verification,
                        "the kernel did not free these interfaces within " +
                            std::to_string(timeout.count()) + " ms:" + names);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
}

// The namespaces the plan deletes.
std::vector<std::string> deleted_namespaces(const Plan& plan) {
    std::vector<std::string> names;
    for (const auto& o : plan.operations)
        if (const auto* d = std::get_if<op::DeleteNamespace>(&o.action)) names.push_back(d->ns);
    return names;
}

}  // namespace

void refuse_unwritable_sysctls(const Plan& plan, Kernel& kernel) {
    std::vector<const Operation*> sets;
    std::set<std::string> keys;
    for (const auto& o : plan.operations)
        if (const auto* set = std::get_if<op::SetSysctl>(&o.action); set && !o.implied()) {
            sets.push_back(&o);
            keys.insert(set->key);
        }
    if (sets.empty()) return;
    const auto access = kernel.sysctl_access({keys.begin(), keys.end()});
    for (const Operation* o : sets) {
        const auto& set = std::get<op::SetSysctl>(o->action);
        const auto it = access.find(set.key);
        if (it == access.end() || it->second == SysctlAccess::writable) continue;
        const bool missing = it->second == SysctlAccess::missing;
        const std::string why =
            missing ? kNoSuchSysctl : "the key is read-only in a lab namespace of this kernel";
        throw Error(
            ErrorKind::kernel,
            "cannot set sysctl " + set.key + "=" + set.value + ": " + why + "; nothing was changed",
            o->where.known() ? std::optional<SourceLocation>(o->where) : std::nullopt,
            KernelContext{
                set.ns, "set sysctl", set.key + "=" + set.value, missing ? ENOENT : EACCES, {}});
    }
}

std::vector<std::string> qdisc_kinds_of(const Shaping& s) {
    std::vector<std::string> kinds;
    if (s.netem) kinds.push_back("netem");
    if (s.rate) kinds.push_back("tbf");
    return kinds;
}

std::string qdisc_module(const std::string& kind) {
    return "sch_" + kind;
}

namespace {

// The shaping an operation makes, and the link it makes it on; nullptr for other operations.
const Shaping* shaping_made_by(const Action& a, std::string& ns, std::string& ifname) {
    if (const auto* add = std::get_if<op::AddShaping>(&a)) {
        ns = add->ns;
        ifname = add->ifname;
        return &add->shaping;
    }
    if (const auto* change = std::get_if<op::ChangeShaping>(&a)) {
        ns = change->ns;
        ifname = change->ifname;
        return &change->to;
    }
    return nullptr;
}

}  // namespace

void refuse_missing_qdiscs(const Plan& plan, Kernel& kernel) {
    std::set<std::string> kinds;
    for (const auto& o : plan.operations) {
        std::string ns, ifname;
        if (const Shaping* s = shaping_made_by(o.action, ns, ifname); s && !o.implied())
            for (const auto& kind : qdisc_kinds_of(*s)) kinds.insert(kind);
    }
    if (kinds.empty()) return;
    const auto support = kernel.qdisc_support({kinds.begin(), kinds.end()});
    for (const auto& o : plan.operations) {
        std::string ns, ifname;
        const Shaping* s = shaping_made_by(o.action, ns, ifname);
        if (!s || o.implied()) continue;
        for (const auto& kind : qdisc_kinds_of(*s)) {
            const auto it = support.find(kind);
            if (it == support.end() || it->second) continue;
            const std::string link = ifname + " in " + (ns.empty() ? "host" : ns);
            throw Error(ErrorKind::kernel,
                        "cannot shape " + link + " with " + s->str() + ": this kernel has no " +
                            kind + " qdisc (module " + qdisc_module(kind) +
                            " not built or not loaded); nothing was changed",
                        o.where.known() ? std::optional<SourceLocation>(o.where) : std::nullopt,
                        KernelContext{ns, "shape", ifname, ENOENT, {}});
        }
    }
}

std::string to_string(Stage s) {
    switch (s) {
        case Stage::executing:
            return "executing";
        case Stage::settling:
            return "settling";
        case Stage::verifying:
            return "verifying";
    }
    return "?";
}

int ExecuteReport::total_executed() const {
    int n = 0;
    for (const auto& [_, count] : executed_by_kind) n += count;
    return n;
}

ExecuteReport execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ExecuteReport report;
    bool strays_stopped = false;
    if (options.on_stage) options.on_stage(Stage::executing, plan);
    for (const auto& o : plan.operations) {
        if (options.on_operation) options.on_operation(o);
        if (o.implied()) {
            ++report.implied;
            continue;
        }
        if (!strays_stopped && std::holds_alternative<op::DeleteNamespace>(o.action)) {
            kernel.stop_processes_in(deleted_namespaces(plan));
            strays_stopped = true;
        }
        try {
            run(o.action, plan.lab, kernel, options);
        } catch (const Error& e) {
            if (o.where.known() && !e.where()) throw e.with_location(o.where);
            throw;
        }
        ++report.executed_by_kind[kind_of(o.action)];
    }
    wait_until_freed(plan, kernel, options);
    report.elapsed = std::chrono::steady_clock::now() - start;
    return report;
}

}  // namespace nstopo
