#include "complete.hpp"

#include "nstopo/nftables.hpp"

namespace nstopo::config {

namespace {

// Keep addresses on an interface when its primary address is removed (the kernel otherwise
// deletes all secondaries of that subnet with it): a default the file may override.
const std::string kPromoteSecondaries = "net.ipv4.conf.all.promote_secondaries";

Interface loopback_of(const DraftNamespace& ns) {
    Interface lo;
    lo.name = "lo";
    lo.where = ns.where;
    if (const auto it = ns.interfaces.find("lo"); it != ns.interfaces.end()) lo = it->second.iface;
    lo.kind = LinkKind::loopback;
    lo.state = ns.loopback;
    return lo;
}

std::map<std::string, std::string> sysctls_of(const DraftNamespace& ns) {
    const std::string forwarding = ns.forwarding.value_or(false) ? "1" : "0";
    std::map<std::string, std::string> sysctls = default_namespace_sysctls();
    sysctls[kIpv4Forwarding] = sysctls[kIpv6Forwarding] = forwarding;
    for (const auto& [key, s] : ns.sysctls) sysctls[key] = s.value;
    // An explicit `forwarding:` wins over the defaults; a differing sysctl was reported.
    if (ns.forwarding) sysctls[kIpv4Forwarding] = sysctls[kIpv6Forwarding] = forwarding;
    return sysctls;
}

// nstopo's table, when the namespace asks for NAT or a ruleset, located at whichever of `nat:` and
// `nftables:` is written first.
void place_table(const DraftNamespace& draft, Namespace& ns) {
    if (draft.nat.empty() && !draft.nftables) return;
    std::vector<NatRule> nat;
    for (const auto& d : draft.nat) nat.push_back(d.rule);
    SourceLocation where = draft.nat.empty() ? draft.nftables->where : draft.nat_where;
    if (draft.nftables && !draft.nat.empty() && draft.nftables->where.line < where.line)
        where = draft.nftables->where;
    NftTable t = draft.nftables ? nstopo_table(std::move(nat), draft.nftables->path,
                                               draft.nftables->text, std::move(where))
                                : nstopo_table(std::move(nat), {}, {}, std::move(where));
    ns.tables.emplace(t.id(), std::move(t));
}

Namespace complete_namespace(const DraftNamespace& draft) {
    Namespace ns;
    ns.name = draft.name;
    ns.where = draft.where;
    ns.interfaces["lo"] = loopback_of(draft);
    for (const auto& r : draft.routes) ns.routes.push_back(r.route);
    ns.sysctls = sysctls_of(draft);
    for (const auto& [key, s] : draft.sysctls) ns.sysctl_where[key] = s.where;
    for (const auto& [name, p] : draft.processes) ns.processes[name] = p.process;
    place_table(draft, ns);
    return ns;
}

void place_end(const Draft& draft, const VethEnd& end, const SourceLocation& where, Topology& t) {
    const std::map<std::string, DraftInterface>* listed = &draft.host_interfaces;
    std::map<std::string, Interface>* links = &t.host_interfaces;
    if (!end.in_host()) {
        const auto ns = draft.namespaces.find(end.ns);
        if (ns == draft.namespaces.end()) return;
        listed = &ns->second.interfaces;
        links = &t.namespaces.at(end.ns).interfaces;
    }
    Interface link;
    link.name = end.ifname;
    link.where = where;
    if (const auto it = listed->find(end.ifname); it != listed->end()) link = it->second.iface;
    link.kind = LinkKind::veth;
    links->emplace(end.ifname, std::move(link));
}

Interface bridge_of(const DraftBridge& b) {
    Interface link = b.link.iface;
    link.kind = LinkKind::bridge;
    BridgeOptions options;
    options.stp = b.stp;
    if (b.hub) options.ageing_time = 0;
    link.bridge = options;
    return link;
}

// The bridges of one namespace, and their ports' `master`. Ports that are no link of the
// namespace were reported (check_bridges).
void place_bridges(const std::map<std::string, DraftBridge>& bridges,
                   std::map<std::string, Interface>& links) {
    for (const auto& [name, b] : bridges) {
        links.emplace(name, bridge_of(b));
        for (const auto& port : b.ports)
            if (const auto it = links.find(port.name);
                it != links.end() && it->second.kind == LinkKind::veth)
                it->second.master = name;
    }
}

}  // namespace

const std::map<std::string, std::string>& default_namespace_sysctls() {
    static const std::map<std::string, std::string> defaults = {{kIpv4Forwarding, "0"},
                                                                {kIpv6Forwarding, "0"},
                                                                {kPromoteSecondaries, "1"},
                                                                {kIpv6DefaultAcceptDad, "0"}};
    return defaults;
}

Topology complete_topology(const Draft& draft, const std::string& name, const std::string& file) {
    Topology t;
    t.name = name;
    t.where.file = file;
    for (const auto& [ns_name, ns] : draft.namespaces)
        t.namespaces[ns_name] = complete_namespace(ns);
    for (const auto& v : draft.veths) {
        t.veths.push_back(v.veth);
        place_end(draft, v.veth.a, v.a_where, t);
        place_end(draft, v.veth.b, v.b_where, t);
    }
    for (const auto& [ns_name, ns] : draft.namespaces)
        place_bridges(ns.bridges, t.namespaces.at(ns_name).interfaces);
    place_bridges(draft.host_bridges, t.host_interfaces);
    for (const auto& r : draft.host_routes) t.host_routes.push_back(r.route);
    for (const auto& c : draft.checks) t.checks.push_back(c.check);
    t.lans = draft.lans;
    return t;
}

}  // namespace nstopo::config
