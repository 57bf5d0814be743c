// Running a lab's checks (`checks:` in its file) through a Prober, all at once. Pure logic over
// the Prober interface (nstopo/probe.hpp): the tests use a fake.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/probe.hpp"

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

}  // namespace nstopo
