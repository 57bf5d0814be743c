// `nstopo check`: runs a lab's checks through a Prober, all at once, and reports them as text,
// JSON or JUnit XML. Pure logic over the Prober interface: the tests use a fake.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/probe.hpp"
#include "output.hpp"

namespace nstopo {

struct CheckOptions {
    std::chrono::milliseconds timeout{1000};  // per check, all tries together
    int tries = 3;
};

struct CheckOutcome {
    Check check;
    bool held = false;
    std::string expected;  // "reachable via 192.168.0.254", "unreachable"
    std::string happened;  // "first hop 192.168.0.254 (ns01-veth0), reply in 0.1 ms", "no reply"
    std::chrono::microseconds elapsed{0};
};

struct CheckReport {
    std::vector<CheckOutcome> outcomes;  // in the order of the checks
    std::chrono::microseconds elapsed{0};
    std::size_t failed() const;
    bool all_held() const { return failed() == 0; }
};

// Runs every check concurrently (one thread each). A check whose probe throws fails with the
// error's message as what happened; nothing is thrown.
CheckReport run_checks(const std::vector<Check>& checks, Prober& prober, const CheckOptions& o);

// "✓ ns01 -> 10.0.0.1 from 192.168.0.1: expected reachable, got reply in 0.1 ms (2.0 ms)"
std::string check_line(const CheckOutcome& o, const Style& s);
// One line per check, then "check: all 4 checks hold (1.0 s)" or "check: 1 of 4 checks failed".
std::string checks_text(const CheckReport& r, const Style& s);
nlohmann::json checks_json(const std::string& lab, const CheckReport& r);
// A JUnit XML document: one testsuite (the lab), one testcase per check, a <failure> for each
// check that did not hold.
std::string checks_junit(const std::string& lab, const CheckReport& r);

}  // namespace nstopo
