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

// The time the check runner reads, and how it pauses between the tries of a `wait:` check. The
// real one is the steady clock; tests pass one that moves only when told, so nothing sleeps.
// Called from the threads of several checks at once.
class CheckClock {
  public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~CheckClock() = default;
    virtual time_point now() = 0;
    virtual void sleep_until(time_point t) = 0;
};
CheckClock& steady_check_clock();

struct CheckOptions {
    std::chrono::milliseconds timeout{1000};  // per try of a check, all echo requests together
    int tries = 3;                            // echo requests per try
    // Between two tries of a `wait:` check whose try did not hold.
    std::chrono::milliseconds pause{250};
    CheckClock* clock = nullptr;  // nullptr: steady_check_clock()
};

struct CheckOutcome {
    Check check;
    bool held = false;
    std::string expected;  // "reachable via 192.168.0.254", "unreachable"
    // "first hop 192.168.0.254 (ns01-veth0), reply in 0.1 ms", "no reply", "connected in 0.4 ms",
    // "refused"; a `wait:` check adds ", held after 3.2 s (5 tries)" or ", gave up after 30.0 s
    // (98 tries)".
    std::string happened;
    std::chrono::microseconds elapsed{0};
    int tries = 1;  // how often the check was tried (more than once only with `wait:`)
};

struct CheckReport {
    std::vector<CheckOutcome> outcomes;  // in the order of the checks
    std::chrono::microseconds elapsed{0};
    std::size_t failed() const;
    bool all_held() const { return failed() == 0; }
};

// Runs every check concurrently (one thread each). A try sends echo requests (or opens a TCP
// connection, for `tcp:`), and ends as soon as the prober's answer is certain. A check without
// `wait:` is tried once. One with `wait:` is tried again, `pause` after a try that did not hold,
// until a try holds or the wait has passed; each try's timeout is cut to what is left of the wait
// (but not below 100 ms, unless the timeout is shorter). A check whose probe throws fails with the
// error's message as what happened; nothing is thrown. Traffic stays inside the lab: a check whose
// route leaves through one of `exits` (to the host, which may forward it anywhere) is not sent and
// fails, unless it is for an address of the host end itself.
CheckReport run_checks(const std::vector<Check>& checks, Prober& prober, const CheckOptions& o,
                       const LabExits& exits = {});

}  // namespace nstopo
