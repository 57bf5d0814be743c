// Model <-> JSON, for the state directory's records and the --json outputs.
#pragma once

#include <nlohmann/json.hpp>

#include "nstopo/model.hpp"
#include "nstopo/plan.hpp"

namespace nstopo {

nlohmann::json to_json(const Topology& t);
// Throws Error(bug) naming the field when `j` is not a topology this version wrote.
Topology topology_from_json(const nlohmann::json& j);

nlohmann::json to_json(const SourceLocation& where);
// {"kind", "phase", "namespace", "object", "details", "implied", "source": {file, line, column}}
nlohmann::json to_json(const Operation& o);

}  // namespace nstopo
