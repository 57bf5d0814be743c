// How the commands print what the engine returns: plans, summaries, status pictures and
// diagnostics, as text (coloured by a Style) and as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nstopo/config.hpp"
#include "nstopo/engine.hpp"
#include "nstopo/execute.hpp"
#include "nstopo/plan.hpp"
#include "style.hpp"

namespace nstopo {

// "1 namespace", "2 namespaces".
std::string plural(std::size_t n, const std::string& noun);

std::string plan_text(const Plan& p, const Style& s);
// {"lab", "operations": [to_json(operation)...]}
nlohmann::json plan_json(const Plan& p);
// {"kind", "phase", "namespace", "object", "details", "implied", "source": {file, line, column}}
nlohmann::json to_json(const Operation& o);
// "apply: 23 operations in 41.2 ms (4 create-namespace, 3 create-veth, ...)"
std::string summary_line(const std::string& verb, const ExecuteReport& r);
std::string status_text(const std::vector<LabStatus>& labs, const Style& s);
nlohmann::json status_json(const std::vector<LabStatus>& labs);
std::string diagnostics_text(const std::vector<Diagnostic>& ds, const Style& s);
// [{"file", "line", "column", "severity", "message", "source_line"}...], for editors and CI
// annotations (line and column 0 when unknown).
nlohmann::json diagnostics_json(const std::vector<Diagnostic>& ds);

}  // namespace nstopo
