// `nat:` against the completed namespaces: each entry's link is one the namespace will have.
#include "check.hpp"
#include "nstopo/names.hpp"

namespace nstopo::config {

void check_nat(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    for (const auto& [name, ns] : draft.namespaces) {
        const auto it = completed.namespaces.find(name);
        if (it == completed.namespaces.end()) continue;
        const auto& links = it->second.interfaces;
        for (const auto& d : ns.nat) {
            const std::string key =
                d.rule.kind == NatRule::Kind::masquerade ? "`masquerade`" : "`in`";
            const auto link = links.find(d.rule.ifname);
            if (link == links.end()) {
                std::vector<std::string> names;
                for (const auto& [ifname, _] : links)
                    if (ifname != "lo") names.push_back(ifname);
                diags.error(d.ifname_where, key + ": namespace " + quote(name) +
                                                " has no interface " + quote(d.rule.ifname) +
                                                did_you_mean(d.rule.ifname, names));
            } else if (link->second.kind == LinkKind::loopback) {
                diags.error(d.ifname_where,
                            key + " names 'lo'; NAT is for the links that leave the namespace");
            }
        }
    }
}

}  // namespace nstopo::config
