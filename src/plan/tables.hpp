// The planner's nftables phase (see plan.hpp for the rules).
#pragma once

#include <set>
#include <string>

#include "nstopo/model.hpp"
#include "order.hpp"

namespace nstopo::detail {

// Loads, replaces and deletes the tables of the lab's namespaces: deletions into `removals`,
// the rest into `bringup`. `removed` are the namespaces the plan deletes (their tables are
// implied).
void plan_tables(const Topology& desired, const Topology& observed,
                 const std::set<std::string>& removed, PhaseBuckets& removals,
                 PhaseBuckets& bringup);

}  // namespace nstopo::detail
