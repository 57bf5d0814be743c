// The planner's host side of `host: uplink:`: the lab's host table and host sysctls (see
// plan.hpp for the rules).
#include "nstopo/names.hpp"
#include "nstopo/ownership.hpp"
#include "tables.hpp"

namespace nstopo::detail {

std::vector<HostConflict> host_uplink_conflicts(const Topology& desired, const Topology& observed,
                                                const LabClaims& claims) {
    std::vector<HostConflict> found;
    if (desired.uplink) {
        const Uplink& u = *desired.uplink;
        const Interface* out = observed.find_interface(kHostNamespace, u.out);
        if (!out)
            found.push_back({"uplink `out` " + quote(u.out) +
                                 " is not an interface of the host; name one of the host's own "
                                 "links (ip link shows them)",
                             u.where});
        else if (!out->owner.empty())
            found.push_back({"uplink `out` " + quote(u.out) + " is a link of lab " +
                                 quote(out->owner) +
                                 "; the uplink leaves by one of the host's own interfaces",
                             u.where});
        else if (claims.owned_host_interfaces.contains(u.out))
            found.push_back({"uplink `out` " + quote(u.out) + " is a host end of lab " +
                                 quote(desired.name) +
                                 "; the uplink leaves by one of the host's own interfaces",
                             u.where});
    }
    for (const auto& [id, t] : desired.host_tables)
        if (observed.host_tables.contains(id) && !claims.host_tables.contains(id))
            found.push_back({"the host already has nftables table " + id + ", which lab " +
                                 quote(desired.name) +
                                 " did not make; nstopo never changes a table it did not make "
                                 "(delete it, or rename the lab)",
                             t.where});
    return found;
}

void plan_host_tables(const Topology& desired, const Topology& observed, const LabClaims& claims,
                      PhaseBuckets& removals, PhaseBuckets& bringup) {
    for (const auto& id : claims.host_tables) {
        const auto have = observed.host_tables.find(id);
        if (have != observed.host_tables.end() && !desired.host_tables.contains(id))
            removals.add(Operation{op::DeleteTable{kHostNamespace, have->second}, {}, {}});
    }
    for (const auto& [id, t] : desired.host_tables) {
        const auto have = observed.host_tables.find(id);
        if (have == observed.host_tables.end())
            bringup.add(Operation{op::LoadTable{kHostNamespace, t}, t.where, {}});
        else if (!(have->second == t))
            bringup.add(Operation{op::ReplaceTable{kHostNamespace, t}, t.where, {}});
    }
}

void plan_host_sysctls(const Topology& desired, const Topology& observed, const LabClaims& claims,
                       const std::set<std::string>& doomed_host_links, PhaseBuckets& removals,
                       PhaseBuckets& bringup) {
    const SourceLocation where = desired.uplink ? desired.uplink->where : SourceLocation{};
    const auto doomed = [&](const std::string& key) {
        const auto link = ifname_of_forwarding_key(key);
        return link && doomed_host_links.contains(*link);
    };
    for (const auto& [key, value] : desired.host_sysctls) {
        const auto have = observed.host_sysctls.find(key);
        if (have == observed.host_sysctls.end() || have->second != value || doomed(key))
            bringup.add(Operation{op::SetSysctl{kHostNamespace, key, value}, where, {}});
    }
    for (const auto& [key, changed] : claims.host_sysctls) {
        if (desired.host_sysctls.contains(key) || changed.previous.empty()) continue;
        // Another lab's uplink needs it still: that lab sets it back when it goes.
        if (claims.host_sysctls_needed_elsewhere.contains(key)) continue;
        // A host end the plan deletes takes its key along: nothing to set back.
        const auto link = ifname_of_forwarding_key(key);
        if (doomed(key) || (link && claims.owned_host_interfaces.contains(*link) &&
                            !desired.host_interfaces.contains(*link)))
            continue;
        const auto have = observed.host_sysctls.find(key);
        if (have != observed.host_sysctls.end() && have->second == changed.value)
            removals.add(Operation{op::SetSysctl{kHostNamespace, key, changed.previous}, {}, {}});
    }
}

}  // namespace nstopo::detail
