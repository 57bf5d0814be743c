// A Prober that answers from tables, and checks to ask it, for the check runner's and the check
// command's tests.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nstopo/error.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::test {

inline IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

// A check of lab.yaml line 12: from `from` to `to`, expecting an answer or not.
inline Check check(const char* from, const char* to, bool reachable = true) {
    Check c;
    c.from = from;
    c.to = ip(to);
    c.expect_reachable = reachable;
    c.where = {"lab.yaml", 12, 5};
    return c;
}

// Answers from tables keyed by "ns to"; counts how many calls overlap in time.
class FakeProber : public Prober {
  public:
    std::map<std::string, EchoResult> echoes;  // absent: "no reply"
    std::map<std::string, RouteAnswer> routes;
    std::chrono::milliseconds delay{0};
    std::vector<EchoRequest> requests;
    int most_at_once = 0;

    EchoResult echo(const EchoRequest& r) override {
        enter(r);
        std::this_thread::sleep_for(delay);
        leave();
        if (r.ns == "gone") throw Error(ErrorKind::kernel, "cannot send an echo request: gone");
        const auto it = echoes.find(r.ns + " " + r.to.str());
        return it != echoes.end() ? it->second : EchoResult{false, {}, "no reply"};
    }

    RouteAnswer route_to(const std::string& ns, const IpAddress& to,
                         const std::optional<IpAddress>&) override {
        return routes.at(ns + " " + to.str());
    }

  private:
    void enter(const EchoRequest& r) {
        const std::lock_guard lock(mutex_);
        requests.push_back(r);
        most_at_once = std::max(most_at_once, ++now_);
    }
    void leave() {
        const std::lock_guard lock(mutex_);
        --now_;
    }
    std::mutex mutex_;
    int now_ = 0;
};

}  // namespace nstopo::test
