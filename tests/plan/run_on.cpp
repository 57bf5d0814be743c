#include "run_on.hpp"

#include <stdexcept>

namespace nstopo::test {

namespace {

struct Runner {
    Kernel& k;
    const std::string& lab;
    void operator()(const op::CreateNamespace& o) const { k.create_namespace(o.ns, lab); }
    void operator()(const op::DeleteNamespace& o) const { k.delete_namespace(o.ns); }
    void operator()(const op::CreateVeth& o) const { k.create_veth(o.veth, lab); }
    void operator()(const op::DeleteLink& o) const { k.delete_link(o.ns, o.ifname); }
    void operator()(const op::SetSysctl& o) const { k.set_sysctl(o.ns, o.key, o.value); }
    void operator()(const op::SetLinkState& o) const { k.set_link_state(o.ns, o.ifname, o.state); }
    void operator()(const op::SetMtu& o) const { k.set_mtu(o.ns, o.ifname, o.mtu); }
    void operator()(const op::SetMac& o) const { k.set_mac(o.ns, o.ifname, o.mac); }
    void operator()(const op::AddAddress& o) const { k.add_address(o.ns, o.ifname, o.address); }
    void operator()(const op::DeleteAddress& o) const {
        k.delete_address(o.ns, o.ifname, o.address);
    }
    void operator()(const op::AddRoute& o) const { k.add_route(o.ns, o.route); }
    void operator()(const op::DeleteRoute& o) const { k.delete_route(o.ns, o.route); }
};

}  // namespace

void run_on(Kernel& kernel, const Plan& plan) {
    ObserveScope freed;
    for (const auto& o : plan.operations) {
        if (!o.implied) {
            std::visit(Runner{kernel, plan.lab}, o.action);
            continue;
        }
        if (const auto* del = std::get_if<op::DeleteLink>(&o.action); del && del->ns.empty())
            freed.host_interfaces.push_back(del->ifname);
    }
    if (freed.host_interfaces.empty()) return;
    for (int i = 0; i < 100; ++i)
        if (kernel.observe(freed).host_interfaces.empty()) return;
    throw std::runtime_error("implied host links did not vanish");
}

Plan converge(Kernel& kernel, const Topology& desired, const PlanOptions& options) {
    Plan p = plan(desired, kernel.observe(scope_for(desired, options)), options);
    run_on(kernel, p);
    return p;
}

}  // namespace nstopo::test
