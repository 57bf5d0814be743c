// Naming and printing of plan operations.
#include <iterator>
#include <type_traits>

#include "nstopo/plan.hpp"
#include "overloaded.hpp"

namespace nstopo {

namespace {

using detail::Overloaded;

std::string where_text(const std::string& ns) {
    return ns.empty() ? "host" : ns;
}

std::string veth_text(const Veth& v) {
    return v.a.str() + " <-> " + v.b.str();
}

}  // namespace

std::string to_string(Phase p) {
    static constexpr const char* kNames[] = {"namespaces", "veths",     "sysctls",
                                             "links",      "addresses", "routes"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(Phase::routes) + 1);
    return kNames[static_cast<std::size_t>(p)];
}

namespace {

// Per alternative of Action, in the variant's order.
struct ActionInfo {
    const char* kind;
    Phase phase;
};
constexpr ActionInfo kActionInfo[] = {
    {"create-namespace", Phase::namespaces},
    {"delete-namespace", Phase::namespaces},
    {"create-veth", Phase::veths},
    {"delete-link", Phase::veths},  // deleting a link undoes the phase that creates links
    {"set-sysctl", Phase::sysctls},
    {"set-link-state", Phase::links},
    {"set-mtu", Phase::links},
    {"set-mac", Phase::links},
    {"add-address", Phase::addresses},
    {"delete-address", Phase::addresses},
    {"add-route", Phase::routes},
    {"delete-route", Phase::routes},
};
static_assert(std::size(kActionInfo) == std::variant_size_v<Action>);
static_assert(std::is_same_v<std::variant_alternative_t<3, Action>, op::DeleteLink>);
static_assert(std::is_same_v<std::variant_alternative_t<11, Action>, op::DeleteRoute>);

}  // namespace

namespace {
const std::string kNamespaceCause = "namespace ";
}  // namespace

std::string caused_by_namespace(const std::string& ns) { return kNamespaceCause + ns; }

bool freed_asynchronously(const Operation& o) {
    return o.implied && std::holds_alternative<op::DeleteLink>(o.action) &&
           o.implied_by.rfind(kNamespaceCause, 0) == 0;
}

Phase phase_of(const Action& a) {
    // A link copies the namespace's conf.default.* sysctls when it is created: set them with the
    // namespace, before its links exist.
    if (const auto* s = std::get_if<op::SetSysctl>(&a); s && sysctl_shapes_new_links(s->key))
        return Phase::namespaces;
    return kActionInfo[a.index()].phase;
}

std::string kind_of(const Action& a) {
    return kActionInfo[a.index()].kind;
}

std::string namespace_of(const Action& a) {
    return std::visit(Overloaded{
                          [](const op::CreateNamespace& o) { return o.ns; },
                          [](const op::DeleteNamespace& o) { return o.ns; },
                          [](const op::CreateVeth& o) { return o.veth.a.ns; },
                          [](const auto& o) { return o.ns; },
                      },
                      a);
}

std::string object_of(const Action& a) {
    return std::visit(
        Overloaded{
            [](const op::CreateNamespace& o) { return o.ns; },
            [](const op::DeleteNamespace& o) { return o.ns; },
            [](const op::CreateVeth& o) { return veth_text(o.veth); },
            [](const op::SetSysctl& o) { return o.key; },
            [](const op::AddAddress& o) { return o.ifname + " " + o.address.str(); },
            [](const op::DeleteAddress& o) { return o.ifname + " " + o.address.str(); },
            [](const op::AddRoute& o) { return o.route.str(); },
            [](const op::DeleteRoute& o) { return o.route.str(); },
            [](const auto& o) { return o.ifname; },  // the link operations
        },
        a);
}

namespace {

// The description of an action without its implied suffix.
std::string describe_action(const Action& a) {
    return std::visit(
        Overloaded{
            [](const op::CreateNamespace& o) { return "+ create namespace " + o.ns; },
            [](const op::DeleteNamespace& o) { return "- delete namespace " + o.ns; },
            [](const op::CreateVeth& o) { return "+ create veth " + veth_text(o.veth); },
            [](const op::DeleteLink& o) {
                return "- delete link " + o.ifname + " in " + where_text(o.ns);
            },
            [](const op::SetSysctl& o) {
                return "~ set sysctl " + o.key + "=" + o.value + " in " + where_text(o.ns);
            },
            [](const op::SetLinkState& o) {
                return "~ set link " + o.ifname + " " + to_string(o.state) + " in " +
                       where_text(o.ns);
            },
            [](const op::SetMtu& o) {
                return "~ set mtu " + std::to_string(o.mtu) + " on " + o.ifname + " in " +
                       where_text(o.ns);
            },
            [](const op::SetMac& o) {
                return "~ set mac " + o.mac.str() + " on " + o.ifname + " in " + where_text(o.ns);
            },
            [](const op::AddAddress& o) {
                return "+ add address " + o.address.str() + " to " + o.ifname + " in " +
                       where_text(o.ns);
            },
            [](const op::DeleteAddress& o) {
                return "- delete address " + o.address.str() + " from " + o.ifname + " in " +
                       where_text(o.ns);
            },
            [](const op::AddRoute& o) {
                return "+ add route " + o.route.str() + " in " + where_text(o.ns);
            },
            [](const op::DeleteRoute& o) {
                return "- delete route " + o.route.str() + " in " + where_text(o.ns);
            },
        },
        a);
}

}  // namespace

std::string describe(const Operation& o) {
    std::string line = describe_action(o.action);
    if (o.implied) line += o.implied_by.empty() ? " (implied)" : " (with " + o.implied_by + ")";
    return line;
}

std::string to_text(const Plan& p) {
    if (p.empty()) return "no changes\n";
    std::string text;
    for (const auto& o : p.operations) text += describe(o) + "\n";
    return text;
}

}  // namespace nstopo
