#include <algorithm>
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

// Host links the kernel frees by itself once a deleted namespace is really gone.
std::vector<std::string> implied_host_links(const Plan& plan) {
    std::vector<std::string> names;
    for (const auto& o : plan.operations)
        if (const auto* d = std::get_if<op::DeleteLink>(&o.action); d && o.implied && d->ns.empty())
            names.push_back(d->ifname);
    return names;
}

// Deleting a namespace frees its devices, and the veth ends they pair with, asynchronously
// (cleanup_net runs on a workqueue). Waits until the host ends are gone, so that an immediate
// re-apply never meets a ghost interface of the same name.
void wait_until_gone(const std::vector<std::string>& host_links, Kernel& k,
                     std::chrono::milliseconds timeout) {
    if (host_links.empty()) return;
    const ObserveScope scope{.namespaces = {}, .host_interfaces = host_links, .sysctls = {},
                             .expected_veths = {}};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        const Topology seen = k.observe(scope);
        if (seen.host_interfaces.empty()) return;
        if (std::chrono::steady_clock::now() >= deadline) {
            std::string names;
            for (const auto& [name, _] : seen.host_interfaces) names += " " + name;
            throw Error(ErrorKind::verification,
                        "the kernel did not free these host interfaces within " +
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
    wait_until_gone(implied_host_links(plan), kernel, options.settle_timeout);
    report.elapsed = std::chrono::steady_clock::now() - start;
    return report;
}

}  // namespace nstopo
