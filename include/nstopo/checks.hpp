// Running a lab's checks (`checks:` in its file) through a Prober, all at once. Pure logic over
// the Prober interface (nstopo/probe.hpp): the tests use a fake.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/probe.hpp"

namespace nstopo {

// The lab's ways out to the host: each veth end in a lab namespace whose peer lives in the host,
// with the addresses of that host end.
using LabExits = std::map<VethEnd, std::vector<IpAddress>>;
LabExits lab_exits(const Topology& lab);

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
// error's message as what happened; nothing is thrown. Traffic stays inside the lab: a check
// whose route leaves through one of `exits` (to the host, which may forward it anywhere) is not
// sent and fails, unless it is for an address of the host end itself.
CheckReport run_checks(const std::vector<Check>& checks, Prober& prober, const CheckOptions& o,
                       const LabExits& exits = {});

}  // namespace nstopo
