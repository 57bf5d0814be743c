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

// "nftables edge: table inet nstopo (3 rules)"; a table to delete shows no count.
std::string table_text(const std::string& ns, const NftTable& t, bool count) {
    std::string text = "nftables " + where_text(ns) + ": table " + t.id();
    if (count) text += " (" + std::to_string(t.rules) + (t.rules == 1 ? " rule)" : " rules)");
    return text;
}

}  // namespace

std::string to_string(Phase p) {
    static constexpr const char* kNames[] = {"namespaces", "veths",     "sysctls",
                                             "links",      "addresses", "routes",
                                             "shaping",    "firewall",  "processes"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(Phase::processes) + 1);
    return kNames[static_cast<std::size_t>(p)];
}

Cause Cause::namespace_deleted(std::string ns) {
    return Cause{Kind::namespace_deletion, std::move(ns), {}};
}

Cause Cause::link_deleted(const VethEnd& link) {
    return Cause{Kind::link_deletion, link.ns, link.ifname};
}

std::string Cause::str() const {
    switch (kind) {
        case Kind::none:
            return {};
        case Kind::namespace_deletion:
            return "namespace " + ns;
        case Kind::link_deletion:
            return "link " + VethEnd{ns, ifname}.str();
    }
    return {};
}

bool freed_asynchronously(const Operation& o) {
    return o.cause.kind == Cause::Kind::namespace_deletion &&
           std::holds_alternative<op::DeleteLink>(o.action);
}

const ActionTraits& traits_of(const Action& a) {
    return std::visit([](const auto& o) -> const ActionTraits& { return o.traits; }, a);
}

Phase phase_of(const Action& a) {
    // A link copies the namespace's conf.default.* sysctls when it is created: set them with the
    // namespace, before its links exist.
    if (const auto* s = std::get_if<op::SetSysctl>(&a); s && sysctl_shapes_new_links(s->key))
        return Phase::namespaces;
    return traits_of(a).phase;
}

std::string kind_of(const Action& a) {
    return traits_of(a).kind;
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
            [](const op::AddShaping& o) { return o.ifname + " " + o.shaping.str(); },
            [](const op::ChangeShaping& o) { return o.ifname + " " + o.to.str(); },
            [](const op::RemoveShaping& o) { return o.ifname; },
            [](const op::StartProcess& o) { return o.process.name; },
            [](const op::StopProcess& o) { return o.name; },
            [](const op::RestartProcess& o) { return o.process.name; },
            [](const op::LoadTable& o) { return o.table.id(); },
            [](const op::ReplaceTable& o) { return o.table.id(); },
            [](const op::DeleteTable& o) { return o.table.id(); },
            [](const auto& o) { return o.ifname; },  // the link operations
        },
        a);
}

namespace {

// "stp on, ageing time 300 s", "stp off, hub (ageing time 0)".
std::string options_text(const BridgeOptions& b) {
    const std::string stp = b.stp ? "stp on, " : "stp off, ";
    if (b.hub()) return stp + "hub (ageing time 0)";
    const auto cs = b.ageing_time;
    return stp + "ageing time " + std::to_string(cs / 100) +
           (cs % 100 ? "." + std::to_string(cs % 100 / 10) + std::to_string(cs % 10) : "") + " s";
}

// What a new bridge has besides the kernel's defaults: " (hub)", " (stp)", "".
std::string options_suffix(const BridgeOptions& b) {
    if (b == BridgeOptions{}) return "";
    if (b.hub()) return b.stp ? " (stp, hub)" : " (hub)";
    if (b.ageing_time == BridgeOptions::kDefaultAgeingTime) return " (stp)";
    return " (" + options_text(b) + ")";
}

// One field of a shaping as text, "none" when unset.
template <class T, class Text>
std::string field_text(const std::optional<T>& v, Text text) {
    return v ? text(*v) : std::string("none");
}

// "rate 10mbit -> 20mbit, loss 1% -> none": the fields that differ; a foreign qdisc as a whole.
std::string shaping_change_text(const Shaping& from, const Shaping& to) {
    if (!from.foreign.empty() || !to.foreign.empty()) return from.str() + " -> " + to.str();
    std::string text;
    const auto field = [&](const char* name, const std::string& a, const std::string& b) {
        if (a != b) text += (text.empty() ? "" : ", ") + std::string(name) + " " + a + " -> " + b;
    };
    field("rate", field_text(from.rate, rate_text), field_text(to.rate, rate_text));
    const auto netem = [](const Shaping& s, auto member, auto format) {
        if (!s.netem || (*s.netem).*member == 0) return std::string("none");
        return format((*s.netem).*member);
    };
    const auto netem_field = [&](const char* name, auto member, auto format) {
        field(name, netem(from, member, format), netem(to, member, format));
    };
    netem_field("delay", &Netem::delay_us, duration_text);
    netem_field("jitter", &Netem::jitter_us, duration_text);
    netem_field("loss", &Netem::loss, percent_text);
    netem_field("duplicate", &Netem::duplicate, percent_text);
    netem_field("corrupt", &Netem::corrupt, percent_text);
    netem_field("reorder", &Netem::reorder, percent_text);
    // Only the presence of netem differs (every value 0).
    if (text.empty()) return from.str() + " -> " + to.str();
    return text;
}

// What the action does, without its effect symbol and implied suffix.
std::string describe_action(const Action& a) {
    return std::visit(
        Overloaded{
            [](const op::CreateNamespace& o) { return "create namespace " + o.ns; },
            [](const op::DeleteNamespace& o) { return "delete namespace " + o.ns; },
            [](const op::CreateVeth& o) { return "create veth " + veth_text(o.veth); },
            [](const op::DeleteLink& o) {
                return "delete link " + o.ifname + " in " + where_text(o.ns);
            },
            [](const op::SetSysctl& o) {
                return "set sysctl " + o.key + "=" + o.value + " in " + where_text(o.ns);
            },
            [](const op::SetLinkState& o) {
                return "set link " + o.ifname + " " + to_string(o.state) + " in " +
                       where_text(o.ns);
            },
            [](const op::SetMtu& o) {
                return "set mtu " + std::to_string(o.mtu) + " on " + o.ifname + " in " +
                       where_text(o.ns);
            },
            [](const op::CreateBridge& o) {
                return "create bridge " + o.ifname + " in " + where_text(o.ns) +
                       options_suffix(o.options);
            },
            [](const op::SetBridgeOptions& o) {
                return "set bridge " + o.ifname + " " + options_text(o.options) + " in " +
                       where_text(o.ns);
            },
            [](const op::SetMaster& o) {
                return "set master of " + o.ifname + " " +
                       (o.master.empty() ? std::string("none") : o.master) + " in " +
                       where_text(o.ns);
            },
            [](const op::SetMac& o) {
                return "set mac " + o.mac.str() + " on " + o.ifname + " in " + where_text(o.ns);
            },
            [](const op::AddAddress& o) {
                const bool dad = o.dad == Dad::detect && o.address.family() == Family::v6;
                return "add address " + o.address.str() + " to " + o.ifname + " in " +
                       where_text(o.ns) + (dad ? " with duplicate address detection" : "");
            },
            [](const op::DeleteAddress& o) {
                return "delete address " + o.address.str() + " from " + o.ifname + " in " +
                       where_text(o.ns);
            },
            [](const op::AddRoute& o) {
                return "add route " + o.route.str() + " in " + where_text(o.ns);
            },
            [](const op::DeleteRoute& o) {
                return "delete route " + o.route.str() + " in " + where_text(o.ns);
            },
            [](const op::AddShaping& o) {
                return "shape " + o.ifname + " in " + where_text(o.ns) + ": " + o.shaping.str();
            },
            [](const op::ChangeShaping& o) {
                return "shape " + o.ifname + " in " + where_text(o.ns) + ": " +
                       shaping_change_text(o.from, o.to);
            },
            [](const op::RemoveShaping& o) {
                return "unshape " + o.ifname + " in " + where_text(o.ns) + ": " + o.shaping.str();
            },
            [](const op::StartProcess& o) {
                return "start process " + o.process.name + " in " + where_text(o.ns) + ": " +
                       o.process.command_line();
            },
            [](const op::StopProcess& o) {
                return "stop process " + o.name + " in " + where_text(o.ns);
            },
            [](const op::RestartProcess& o) {
                return "restart process " + o.process.name + " in " + where_text(o.ns) + ": " +
                       o.process.command_line();
            },
            [](const op::LoadTable& o) { return table_text(o.ns, o.table, true); },
            [](const op::ReplaceTable& o) { return table_text(o.ns, o.table, true); },
            [](const op::DeleteTable& o) { return table_text(o.ns, o.table, false); },
        },
        a);
}

}  // namespace

char symbol_of(Effect e) {
    switch (e) {
        case Effect::create:
            return '+';
        case Effect::remove:
            return '-';
        case Effect::change:
            return '~';
    }
    return '?';
}

std::string describe(const Operation& o) {
    std::string line =
        std::string(1, symbol_of(traits_of(o.action).effect)) + " " + describe_action(o.action);
    if (o.implied()) line += " (with " + o.cause.str() + ")";
    return line;
}

std::string to_text(const Plan& p) {
    if (p.empty()) return "no changes\n";
    std::string text;
    for (const auto& o : p.operations) text += describe(o) + "\n";
    return text;
}

}  // namespace nstopo
