// How `nstopo check` reports: text, JSON and JUnit XML.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nstopo/checks.hpp"
#include "style.hpp"

namespace nstopo {

// "✓ ns01 -> 10.0.0.1 from 192.168.0.1: expected reachable, got reply in 0.1 ms (2.0 ms)"
std::string check_line(const CheckOutcome& o, const Style& s);
// One line per check, then "check: all 4 checks hold (1.0 s)" or "check: 1 of 4 checks failed".
std::string checks_text(const CheckReport& r, const Style& s);
nlohmann::json checks_json(const std::string& lab, const CheckReport& r);
// A JUnit XML document: one testsuite (the lab), one testcase per check, a <failure> for each
// check that did not hold.
std::string checks_junit(const std::string& lab, const CheckReport& r);

// The checks of one lab, for `nstopo check FILE...` of several files.
struct LabChecks {
    std::string lab;
    CheckReport report;
};
// Each lab's lines under a "lab NAME:" heading, then one summary of them all.
std::string checks_text(const std::vector<LabChecks>& labs, const Style& s);
// {"labs": [checks_json of each], "passed", "total", "failed", "labs_failed"}.
nlohmann::json checks_json(const std::vector<LabChecks>& labs);
// One testsuite per lab.
std::string checks_junit(const std::vector<LabChecks>& labs);

}  // namespace nstopo
