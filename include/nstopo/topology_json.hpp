// The model as JSON: the state records' format, and the --json outputs' topology.
#pragma once

#include <nlohmann/json.hpp>

#include "nstopo/model.hpp"

namespace nstopo {

nlohmann::json to_json(const Topology& t);
// Throws Error(bug) naming the field when `j` is not a topology this version wrote.
Topology topology_from_json(const nlohmann::json& j);
// A list of routes, as a topology's "host_routes" holds them; routes_from_json throws as
// topology_from_json does.
nlohmann::json routes_to_json(const std::vector<Route>& routes);
std::vector<Route> routes_from_json(const nlohmann::json& j);
// "ns01/ns01-veth0" as {ns01, ns01-veth0}, "veth0" as a host end: VethEnd::str() read back.
VethEnd veth_end_from(const std::string& text);

}  // namespace nstopo
