// The planner's nftables phase (see plan.hpp for the rules).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "order.hpp"

namespace nstopo::detail {

// Loads, replaces and deletes the tables of the lab's namespaces: deletions into `removals`,
// the rest into `bringup`. `removed` are the namespaces the plan deletes (their tables are
// implied).
void plan_tables(const Topology& desired, const Topology& observed,
                 const std::set<std::string>& removed, PhaseBuckets& removals,
                 PhaseBuckets& bringup);

// What the host side of `host: uplink:` cannot be planned against: an `out` the host does not
// have or another lab marked, a host table of the lab's name the lab did not make.
struct HostConflict {
    std::string message;
    SourceLocation where;
};
std::vector<HostConflict> host_uplink_conflicts(const Topology& desired, const Topology& observed,
                                                const LabClaims& claims);

// The host's tables the lab owns (LabClaims::host_tables): loaded where missing, replaced where
// they differ, deleted when the file no longer asks for them. No other host table is touched.
void plan_host_tables(const Topology& desired, const Topology& observed, const LabClaims& claims,
                      PhaseBuckets& removals, PhaseBuckets& bringup);

// The host's sysctls (Topology::host_sysctls): set where they differ; one the lab changed
// (LabClaims::host_sysctls) and no longer declares is set back to its previous value while it
// still holds the lab's (a value someone set after the lab is theirs); one whose link is gone
// needs nothing. `doomed_host_links`: host links the plan deletes; their keys go with them, and
// a link made again in its place starts from conf.default's value.
void plan_host_sysctls(const Topology& desired, const Topology& observed, const LabClaims& claims,
                       const std::set<std::string>& doomed_host_links, PhaseBuckets& removals,
                       PhaseBuckets& bringup);

}  // namespace nstopo::detail
