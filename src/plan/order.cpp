#include "order.hpp"

#include <algorithm>
#include <compare>
#include <numeric>

#include "overloaded.hpp"

namespace nstopo::detail {

namespace {

// The sort key of an action inside its phase. Typed, so that addresses and routes sort as
// addresses (10.0.0.0/24 before 192.168.0.0/24), not as text.
struct OrderKey {
    int group = 0;  // the addresses phase: additions before deletions
    std::string ns{};
    std::string name{};  // link, sysctl key, first end of a veth
    VethEnd other{};     // second end of a veth
    Cidr cidr{};         // address, route destination
    std::uint32_t metric = 0;
    int rank = 0;  // settings of one link: mac, mtu, state, bridge options, master
    auto operator<=>(const OrderKey&) const = default;
};

OrderKey order_key(const Action& a) {
    return std::visit(
        Overloaded{
            [](const op::CreateNamespace& o) { return OrderKey{.ns = o.ns}; },
            [](const op::DeleteNamespace& o) { return OrderKey{.ns = o.ns}; },
            [](const op::CreateVeth& o) {
                const Veth c = o.veth.canonical();
                return OrderKey{.ns = c.a.ns, .name = c.a.ifname, .other = c.b};
            },
            [](const op::CreateBridge& o) { return OrderKey{.ns = o.ns, .name = o.ifname}; },
            [](const op::DeleteLink& o) { return OrderKey{.ns = o.ns, .name = o.ifname}; },
            [](const op::SetBridgeOptions& o) {
                return OrderKey{.ns = o.ns, .name = o.ifname, .rank = 3};
            },
            [](const op::SetMaster& o) {
                return OrderKey{.ns = o.ns, .name = o.ifname, .rank = 4};
            },
            [](const op::SetSysctl& o) { return OrderKey{.ns = o.ns, .name = o.key}; },
            [](const op::SetMac& o) { return OrderKey{.ns = o.ns, .name = o.ifname, .rank = 0}; },
            [](const op::SetMtu& o) { return OrderKey{.ns = o.ns, .name = o.ifname, .rank = 1}; },
            [](const op::SetLinkState& o) {
                return OrderKey{.ns = o.ns, .name = o.ifname, .rank = 2};
            },
            [](const op::AddAddress& o) {
                return OrderKey{.group = 0, .ns = o.ns, .name = o.ifname, .cidr = o.address};
            },
            [](const op::DeleteAddress& o) {
                return OrderKey{.group = 1, .ns = o.ns, .name = o.ifname, .cidr = o.address};
            },
            [](const op::AddRoute& o) {
                return OrderKey{.ns = o.ns, .cidr = o.route.to, .metric = o.route.metric};
            },
            [](const op::DeleteRoute& o) {
                return OrderKey{.ns = o.ns, .cidr = o.route.to, .metric = o.route.metric};
            },
            [](const op::AddShaping& o) { return OrderKey{.ns = o.ns, .name = o.ifname}; },
            [](const op::ChangeShaping& o) { return OrderKey{.ns = o.ns, .name = o.ifname}; },
            [](const op::RemoveShaping& o) { return OrderKey{.ns = o.ns, .name = o.ifname}; },
            [](const op::StartProcess& o) { return OrderKey{.ns = o.ns, .name = o.process.name}; },
            [](const op::StopProcess& o) { return OrderKey{.ns = o.ns, .name = o.name}; },
            [](const op::RestartProcess& o) {
                return OrderKey{.ns = o.ns, .name = o.process.name};
            },
            [](const op::LoadTable& o) { return OrderKey{.ns = o.ns, .name = o.table.id()}; },
            [](const op::ReplaceTable& o) { return OrderKey{.ns = o.ns, .name = o.table.id()}; },
            [](const op::DeleteTable& o) { return OrderKey{.ns = o.ns, .name = o.table.id()}; },
        },
        a);
}

}  // namespace

void PhaseBuckets::add(Operation o) {
    ops_[static_cast<std::size_t>(phase_of(o.action))].push_back(std::move(o));
}

void PhaseBuckets::append_forward(std::vector<Operation>& out) {
    for (std::size_t p = 0; p < kPhases; ++p) append_phase(p, out);
}

void PhaseBuckets::append_reverse(std::vector<Operation>& out) {
    for (std::size_t p = kPhases; p-- > 0;) append_phase(p, out);
}

void PhaseBuckets::append_phase(std::size_t phase, std::vector<Operation>& out) {
    auto& ops = ops_[phase];
    std::vector<OrderKey> keys;
    keys.reserve(ops.size());
    for (const auto& o : ops) keys.push_back(order_key(o.action));
    std::vector<std::size_t> order(ops.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return keys[x] < keys[y]; });
    for (const auto i : order) out.push_back(std::move(ops[i]));
    ops.clear();
}

}  // namespace nstopo::detail
