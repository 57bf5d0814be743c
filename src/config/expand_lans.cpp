// `lans:` into ordinary parts of the draft: per LAN a switch namespace of its name holding one
// bridge, and one veth from each member to a port of that bridge. Everything generated is
// located at the LAN entry that asked for it, so later checks point there.
#include <algorithm>
#include <map>

#include "check.hpp"

namespace nstopo::config {

namespace {

std::string line_note(const SourceLocation& where) {
    return " (line " + std::to_string(where.line) + ")";
}

// The namespaces the file declares under `namespaces:`, before any LAN's is added.
std::vector<std::string> namespace_names(const Draft& draft) {
    std::vector<std::string> names;
    for (const auto& [name, _] : draft.namespaces) names.push_back(name);
    return names;
}

bool contains(const std::vector<std::string>& sorted, const std::string& name) {
    return std::binary_search(sorted.begin(), sorted.end(), name);
}

// The veth lines of the ends the file's `veths:` declare.
std::map<VethEnd, SourceLocation> declared_ends(const Draft& draft) {
    std::map<VethEnd, SourceLocation> ends;
    for (const auto& v : draft.veths) {
        ends.emplace(v.veth.a, v.veth.where);
        ends.emplace(v.veth.b, v.veth.where);
    }
    return ends;
}

bool lan_name_usable(const Draft& draft, const DraftLan& lan, Diagnostics& diags) {
    if (!namespace_name_problem(lan.name).empty()) return false;  // reported by the reader
    const auto ns = draft.namespaces.find(lan.name);
    if (ns == draft.namespaces.end()) return true;
    diags.error(lan.where, "LAN " + quote(lan.name) + " has the name of namespace " +
                               quote(lan.name) + line_note(ns->second.where) +
                               "; a LAN's switch is a namespace of the LAN's name");
    return false;
}

// Where an interface joined a LAN.
struct Membership {
    std::string lan;
    SourceLocation where;
};

// The members of `lan` that can join it, after reporting the others; `taken` holds every member
// of the LANs before, and gets this LAN's.
std::vector<DraftLanMember> usable_members(const std::vector<std::string>& declared,
                                           const DraftLan& lan,
                                           const std::map<VethEnd, SourceLocation>& veth_ends,
                                           std::map<VethEnd, Membership>& taken,
                                           Diagnostics& diags) {
    std::vector<DraftLanMember> out;
    for (const auto& m : lan.members) {
        const auto label = quote(m.end.str());
        if (!contains(declared, m.end.ns)) {
            diags.error(m.where, "namespace " + quote(m.end.ns) + " of LAN member " + label +
                                     " is not declared under `namespaces`" +
                                     did_you_mean(m.end.ns, declared));
            continue;
        }
        if (const auto v = veth_ends.find(m.end); v != veth_ends.end()) {
            diags.error(m.where, "LAN member " + label + " is already an end of the veth at line " +
                                     std::to_string(v->second.line) +
                                     "; a LAN makes its members' veths itself");
            continue;
        }
        if (const auto t = taken.find(m.end); t != taken.end()) {
            diags.error(m.where, "interface " + label + " is already a member of LAN " +
                                     quote(t->second.lan) + line_note(t->second.where));
            continue;
        }
        taken.emplace(m.end, Membership{lan.name, m.where});
        out.push_back(m);
    }
    return out;
}

// Each member's port: the plain name where it is an interface name no other member of the LAN
// would get, else the hashed one. Of two members left with one port the second is reported, and
// gets "" (it joins no switch).
std::vector<std::string> port_names(const DraftLan& lan, const std::vector<DraftLanMember>& members,
                                    Diagnostics& diags) {
    std::map<std::string, int> plain_count;
    for (const auto& m : members) ++plain_count[lan_plain_port(m.end)];
    std::vector<std::string> ports;
    std::map<std::string, const DraftLanMember*> owner;
    for (const auto& m : members) {
        auto port = lan_plain_port(m.end);
        if (!interface_name_problem(port).empty() || plain_count[port] > 1)
            port = lan_hashed_port(m.end);
        const auto [it, inserted] = owner.emplace(port, &m);
        if (!inserted) {
            diags.error(m.where, "LAN " + quote(lan.name) + " would name the switch ports of " +
                                     quote(m.end.str()) + " and " + quote(it->second->end.str()) +
                                     line_note(it->second->where) + " both " + quote(port) +
                                     "; rename one of the interfaces");
            port.clear();
        }
        ports.push_back(std::move(port));
    }
    return ports;
}

DraftNamespace switch_namespace(const DraftLan& lan) {
    DraftNamespace ns;
    ns.name = lan.name;
    ns.where = lan.where;
    DraftBridge bridge;
    bridge.link.iface.name = kLanBridge;
    bridge.link.iface.kind = LinkKind::bridge;
    bridge.link.iface.where = lan.where;
    bridge.stp = lan.stp;
    bridge.hub = lan.hub;
    bridge.stp_where = lan.stp_where;
    bridge.hub_where = lan.hub_where;
    ns.bridges.emplace(kLanBridge, std::move(bridge));
    return ns;
}

// The switch namespace, its bridge's ports and the members' veths, into the draft.
void add_lan(const DraftLan& lan, const std::vector<DraftLanMember>& members,
             const std::vector<std::string>& ports, Draft& draft) {
    DraftNamespace ns = switch_namespace(lan);
    DraftBridge& bridge = ns.bridges.at(kLanBridge);
    Lan out{lan.name, {}, lan.where};
    for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& m = members[i];
        if (ports[i].empty()) continue;
        bridge.ports.push_back(DraftPort{ports[i], m.where});
        const VethEnd port{lan.name, ports[i]};
        draft.veths.push_back(DraftVeth{Veth{m.end, port, m.where}, m.where, m.where});
        out.members.push_back(Lan::Member{m.end, ports[i]});
    }
    draft.namespaces.emplace(lan.name, std::move(ns));
    draft.lans.emplace(lan.name, std::move(out));
}

// A veth of `veths:` (the first `count` of the draft's) with an end in a LAN's switch
// namespace: that port would be on no bridge.
void check_switch_ends(const Draft& draft, std::size_t count, Diagnostics& diags) {
    for (std::size_t i = 0; i < count; ++i) {
        const auto& v = draft.veths[i];
        for (const auto& [end, where] :
             {std::pair{&v.veth.a, &v.a_where}, std::pair{&v.veth.b, &v.b_where}})
            if (!end->in_host() && draft.lans.contains(end->ns))
                diags.error(*where, "veth end " + quote(end->str()) +
                                        " is in the switch namespace of LAN " + quote(end->ns) +
                                        "; make its other end a member of the LAN instead");
    }
}

}  // namespace

void expand_lans(Draft& draft, Diagnostics& diags) {
    const auto declared = namespace_names(draft);
    const auto veth_ends = declared_ends(draft);
    const std::size_t file_veths = draft.veths.size();
    std::map<VethEnd, Membership> taken;
    for (const auto& lan : draft.lan_entries) {
        if (!lan_name_usable(draft, lan, diags)) continue;
        const auto members = usable_members(declared, lan, veth_ends, taken, diags);
        const auto ports = port_names(lan, members, diags);
        add_lan(lan, members, ports, draft);
    }
    check_switch_ends(draft, file_veths, diags);
}

}  // namespace nstopo::config
