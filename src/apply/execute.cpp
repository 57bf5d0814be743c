#include <algorithm>
#include <set>
#include <thread>
#include <type_traits>

#include "nstopo/apply.hpp"
#include "nstopo/error.hpp"

namespace nstopo {

namespace {

// Carries out one plan action with the kernel call that does it. New namespaces and links are
// marked as the lab's.
void run(const Action& action, const std::string& lab, Kernel& k) {
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, op::CreateNamespace>) {
                k.create_namespace(a.ns, lab);
            } else if constexpr (std::is_same_v<T, op::DeleteNamespace>) {
                k.delete_namespace(a.ns);
            } else if constexpr (std::is_same_v<T, op::CreateVeth>) {
                k.create_veth(a.veth, lab);
            } else if constexpr (std::is_same_v<T, op::DeleteLink>) {
                k.delete_link(a.ns, a.ifname);
            } else if constexpr (std::is_same_v<T, op::SetSysctl>) {
                k.set_sysctl(a.ns, a.key, a.value);
            } else if constexpr (std::is_same_v<T, op::SetLinkState>) {
                k.set_link_state(a.ns, a.ifname, a.state);
            } else if constexpr (std::is_same_v<T, op::SetMtu>) {
                k.set_mtu(a.ns, a.ifname, a.mtu);
            } else if constexpr (std::is_same_v<T, op::SetMac>) {
                k.set_mac(a.ns, a.ifname, a.mac);
            } else if constexpr (std::is_same_v<T, op::AddAddress>) {
                k.add_address(a.ns, a.ifname, a.address);
            } else if constexpr (std::is_same_v<T, op::DeleteAddress>) {
                k.delete_address(a.ns, a.ifname, a.address);
            } else if constexpr (std::is_same_v<T, op::AddRoute>) {
                k.add_route(a.ns, a.route);
            } else if constexpr (std::is_same_v<T, op::DeleteRoute>) {
                k.delete_route(a.ns, a.route);
            }
        },
        action);
}

// Links the kernel frees by itself once a namespace this plan deletes is really gone: the veth
// ends, in namespaces that stay (or the host), whose peers lived there.
ObserveScope links_freed_later(const Plan& plan) {
    std::set<std::string> deleted_namespaces;
    for (const auto& o : plan.operations)
        if (const auto* d = std::get_if<op::DeleteNamespace>(&o.action)) deleted_namespaces.insert(d->ns);
    ObserveScope scope;
    std::set<std::string> namespaces;
    for (const auto& o : plan.operations) {
        const auto* d = std::get_if<op::DeleteLink>(&o.action);
        if (d == nullptr || !o.implied || deleted_namespaces.contains(d->ns)) continue;
        if (d->ns == kHostNamespace)
            scope.host_interfaces.push_back(d->ifname);
        else
            namespaces.insert(d->ns);
    }
    scope.namespaces.assign(namespaces.begin(), namespaces.end());
    return scope;
}

// The links of `scope` that still exist, as "ns/ifname" (or "ifname" in the host).
std::vector<std::string> still_present(const Plan& plan, const ObserveScope& scope, Kernel& k) {
    const Topology seen = k.observe(scope);
    std::vector<std::string> present;
    for (const auto& o : plan.operations) {
        const auto* d = std::get_if<op::DeleteLink>(&o.action);
        if (d == nullptr || !o.implied) continue;
        if (seen.find_interface(d->ns, d->ifname) != nullptr)
            present.push_back(VethEnd{d->ns, d->ifname}.str());
    }
    return present;
}

// Deleting a namespace frees its devices, and the veth ends they pair with, asynchronously
// (cleanup_net runs on a workqueue). Waits until those ends are gone, so that verification sees
// the final state and an immediate re-apply never meets a ghost interface of the same name.
void wait_until_freed(const Plan& plan, Kernel& k, std::chrono::milliseconds timeout) {
    const ObserveScope scope = links_freed_later(plan);
    if (scope.namespaces.empty() && scope.host_interfaces.empty()) return;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        const auto present = still_present(plan, scope, k);
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

}  // namespace

int ExecuteReport::total_executed() const {
    int n = 0;
    for (const auto& [_, count] : executed_by_kind) n += count;
    return n;
}

ExecuteReport execute(const Plan& plan, Kernel& kernel, const ExecuteOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ExecuteReport report;
    for (const auto& o : plan.operations) {
        if (options.on_operation) options.on_operation(o);
        if (o.implied) {
            ++report.implied;
            continue;
        }
        try {
            run(o.action, plan.lab, kernel);
        } catch (const Error& e) {
            if (o.where.known() && !e.where()) throw e.with_location(o.where);
            throw;
        }
        ++report.executed_by_kind[kind_of(o.action)];
    }
    wait_until_freed(plan, kernel, options.settle_timeout);
    report.elapsed = std::chrono::steady_clock::now() - start;
    return report;
}

}  // namespace nstopo
