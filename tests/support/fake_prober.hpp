// A Prober that answers from tables, and checks to ask it, for the check runner's and the check
// command's tests.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nstopo/checks.hpp"
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

// A TCP check of lab.yaml line 12: from `from` to `to` port `port`.
inline Check tcp_check(const char* from, const char* to, std::uint16_t port,
                       bool reachable = true) {
    Check c = check(from, to, reachable);
    c.tcp = port;
    return c;
}

// A clock that moves only when the fake prober says a probe took time, or the runner pauses.
class FakeClock : public CheckClock {
  public:
    time_point now() override {
        const std::lock_guard lock(mutex_);
        return now_;
    }
    void sleep_until(time_point t) override {
        const std::lock_guard lock(mutex_);
        now_ = std::max(now_, t);
        ++sleeps;
    }
    void advance(std::chrono::microseconds d) {
        const std::lock_guard lock(mutex_);
        now_ += d;
    }
    int sleeps = 0;

  private:
    std::mutex mutex_;
    time_point now_{};
};

// Answers from tables keyed by "ns to" ("ns to port" for TCP); counts how many calls overlap in
// time. A scripted answer (`echo_turns`, `tcp`) is a list: each call takes the next, the last
// one repeats. With a clock, a probe takes the time the real one would: an answer its round
// trip (or handshake), "no reply" and "timed out" the whole timeout, any other failure (an
// error that is certain at once) no time.
class FakeProber : public Prober {
  public:
    std::map<std::string, EchoResult> echoes;                   // absent: "no reply"
    std::map<std::string, std::vector<EchoResult>> echo_turns;  // before `echoes`
    std::map<std::string, std::vector<TcpResult>> tcp;          // absent: "timed out"
    std::map<std::string, RouteAnswer> routes;
    std::chrono::milliseconds delay{0};
    FakeClock* clock = nullptr;
    std::vector<EchoRequest> requests;
    std::vector<TcpRequest> tcp_requests;
    int most_at_once = 0;

    EchoResult echo(const EchoRequest& r) override {
        enter(r);
        std::this_thread::sleep_for(delay);
        leave();
        if (r.ns == "gone") throw Error(ErrorKind::kernel, "cannot send an echo request: gone");
        const std::string key = r.ns + " " + r.to.str();
        const auto it = echoes.find(key);
        EchoResult e = it != echoes.end() ? it->second : EchoResult{false, {}, "no reply"};
        if (const auto turns = echo_turns.find(key); turns != echo_turns.end())
            e = next_turn(turns->second, key);
        take(e.answered               ? std::chrono::microseconds(e.rtt)
             : e.detail == "no reply" ? std::chrono::microseconds(r.timeout)
                                      : std::chrono::microseconds(0));
        return e;
    }

    TcpResult tcp_connect(const TcpRequest& r) override {
        {
            const std::lock_guard lock(mutex_);
            tcp_requests.push_back(r);
        }
        const std::string key = r.ns + " " + r.to.str() + " " + std::to_string(r.port);
        const auto it = tcp.find(key);
        TcpResult t = it != tcp.end()
                          ? next_turn(it->second, key)
                          : TcpResult{TcpResult::Outcome::timed_out, r.timeout, "timed out"};
        if (t.outcome == TcpResult::Outcome::timed_out) t.time = r.timeout;
        take(t.time);
        return t;
    }

    RouteAnswer route_to(const std::string& ns, const IpAddress& to,
                         const std::optional<IpAddress>&) override {
        return routes.at(ns + " " + to.str());
    }

  private:
    template <typename Result>
    Result next_turn(std::vector<Result>& turns, const std::string& key) {
        const std::lock_guard lock(mutex_);
        std::size_t& n = turn_[key];
        return turns.at(std::min(n++, turns.size() - 1));
    }
    void take(std::chrono::microseconds d) {
        if (clock) clock->advance(d);
    }
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
    std::map<std::string, std::size_t> turn_;
    int now_ = 0;
};

}  // namespace nstopo::test
