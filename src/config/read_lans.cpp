// `lans:`: each LAN's members as written. expand_lans (expand_lans.cpp) makes them into a switch
// namespace, a bridge and veths.
#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kLanKeys = {"members", "hub", "stp"};

// A member is an interface of a lab namespace: NAMESPACE/INTERFACE (or the long form).
void read_member(const Reader& r, NodeId id, DraftLan& lan) {
    const auto end = read_veth_end(r, id);
    if (!end) return;
    if (end->in_host()) {
        r.error(id, "LAN member " + quote(end->ifname) +
                        " names no namespace; write NAMESPACE/INTERFACE (a LAN joins "
                        "interfaces of lab namespaces)");
        return;
    }
    lan.members.push_back(DraftLanMember{*end, r.at(id)});
}

void read_members(const Reader& r, NodeId id, DraftLan& lan) {
    const auto* items = r.list(id, "LAN " + quote(lan.name), "a list of NAMESPACE/INTERFACE");
    if (!items) return;
    for (const NodeId item : *items) read_member(r, item, lan);
}

// The long form: { members: [...], hub: true, stp: false }.
void read_lan_map(const Reader& r, NodeId id, DraftLan& lan) {
    r.check_keys(id, kLanKeys, "in LAN " + quote(lan.name));
    if (const auto v = r.find(id, "members"))
        read_members(r, *v, lan);
    else
        r.error(id, "LAN " + quote(lan.name) + " needs `members`");
    if (const auto v = r.find(id, "hub")) {
        lan.hub = r.boolean(*v, "hub").value_or(false);
        lan.hub_where = r.at(*v);
    }
    if (const auto v = r.find(id, "stp")) {
        lan.stp = r.boolean(*v, "stp").value_or(false);
        lan.stp_where = r.at(*v);
    }
}

DraftLan read_lan(const Reader& r, NodeId key, NodeId value) {
    DraftLan lan;
    lan.name = r.text(key);
    lan.where = r.at(key);
    r.name(key, "LAN", lan.name, namespace_name_problem(lan.name));
    if (r.node(value).kind == NodeKind::map)
        read_lan_map(r, value, lan);
    else
        read_members(r, value, lan);
    return lan;
}

}  // namespace

void read_lans(const Reader& r, NodeId id, Draft& draft) {
    const auto* entries = r.map(id, code("lans"), "a map of LAN names");
    if (!entries) return;
    for (const auto& [k, v] : *entries) draft.lan_entries.push_back(read_lan(r, k, v));
}

}  // namespace nstopo::config
