#include "tables.hpp"

namespace nstopo::detail {

namespace {

void plan_namespace_tables(const Namespace& want, const Namespace* have, PhaseBuckets& removals,
                           PhaseBuckets& bringup) {
    if (have)
        for (const auto& [id, t] : have->tables)
            if (!want.tables.contains(id))
                removals.add(Operation{op::DeleteTable{want.name, t}, {}, {}});
    for (const auto& [id, t] : want.tables) {
        const NftTable* had = nullptr;
        if (have)
            if (const auto it = have->tables.find(id); it != have->tables.end()) had = &it->second;
        if (!had)
            bringup.add(Operation{op::LoadTable{want.name, t}, t.where, {}});
        else if (!(*had == t))
            bringup.add(Operation{op::ReplaceTable{want.name, t}, t.where, {}});
    }
}

}  // namespace

void plan_tables(const Topology& desired, const Topology& observed,
                 const std::set<std::string>& removed, PhaseBuckets& removals,
                 PhaseBuckets& bringup) {
    for (const auto& name : removed)
        for (const auto& [_, t] : observed.namespaces.at(name).tables)
            removals.add(Operation{op::DeleteTable{name, t}, {}, Cause::namespace_deleted(name)});
    for (const auto& [name, want] : desired.namespaces) {
        const auto have = observed.namespaces.find(name);
        plan_namespace_tables(want, have == observed.namespaces.end() ? nullptr : &have->second,
                              removals, bringup);
    }
}

}  // namespace nstopo::detail
