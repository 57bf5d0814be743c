#include <map>
#include <set>

#include "check.hpp"

namespace nstopo::config {

namespace {

// "bridge 'sw1/br0'", or "host bridge 'br0'".
std::string bridge_label(const std::string& ns, const std::string& name) {
    return (ns.empty() ? "host bridge " : "bridge ") + quote(VethEnd{ns, name}.str());
}

// The veth ends the file places in namespace `ns` ("" = the host).
std::set<std::string> ends_in(const Draft& draft, const std::string& ns) {
    std::set<std::string> names;
    for (const auto& v : draft.veths)
        for (const VethEnd* end : {&v.veth.a, &v.veth.b})
            if (end->ns == ns) names.insert(end->ifname);
    return names;
}

void check_bridge_name(const std::string& ns, const DraftBridge& b,
                       const std::set<std::string>& ends, Diagnostics& diags) {
    const auto& name = b.link.iface.name;
    if (name == "lo" || ends.contains(name))
        diags.error(b.link.iface.where,
                    bridge_label(ns, name) + " has the name of another interface of its namespace");
}

void check_options(const std::string& ns, const DraftBridge& b, Diagnostics& diags) {
    if (b.hub && b.stp)
        diags.error(b.hub_where, bridge_label(ns, b.link.iface.name) +
                                     " cannot be a hub with `stp: true`: STP needs a bridge "
                                     "that learns addresses");
}

// Every port is a veth end of the namespace, not the bridge itself, on one bridge only.
void check_ports(const std::string& ns, const std::map<std::string, DraftBridge>& bridges,
                 const std::set<std::string>& ends, Diagnostics& diags) {
    std::map<std::string, std::pair<std::string, int>> first;  // port -> bridge, line
    for (const auto& [name, b] : bridges) {
        const auto label = bridge_label(ns, name);
        for (const auto& port : b.ports) {
            if (port.name == name) {
                diags.error(port.where, label + " cannot be a port of itself");
                continue;
            }
            if (!ends.contains(port.name)) {
                const auto what = bridges.contains(port.name) ? "another bridge, not a veth end"
                                                              : "not a veth end of the lab";
                diags.error(port.where, "port " + quote(port.name) + " of " + label + " is " +
                                            what +
                                            (ns.empty() ? " on the host" : " in " + quote(ns)));
                continue;
            }
            const auto [it, inserted] = first.emplace(port.name, std::pair{name, port.where.line});
            if (inserted) continue;
            diags.error(port.where, "port " + quote(port.name) + " is already a port of " +
                                        bridge_label(ns, it->second.first) + " (line " +
                                        std::to_string(it->second.second) + ")");
        }
    }
}

void check_bridges_of(const Draft& draft, const std::string& ns,
                      const std::map<std::string, DraftBridge>& bridges, Diagnostics& diags) {
    if (bridges.empty()) return;
    const auto ends = ends_in(draft, ns);
    for (const auto& [_, b] : bridges) {
        check_bridge_name(ns, b, ends, diags);
        check_options(ns, b, diags);
    }
    check_ports(ns, bridges, ends, diags);
}

}  // namespace

void check_bridges(const Draft& draft, Diagnostics& diags) {
    for (const auto& [name, ns] : draft.namespaces)
        check_bridges_of(draft, name, ns.bridges, diags);
    check_bridges_of(draft, kHostNamespace, draft.host_bridges, diags);
}

}  // namespace nstopo::config
