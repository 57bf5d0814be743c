#include "nstopo/checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace nstopo {

namespace {

using Clock = std::chrono::steady_clock;

double ms(std::chrono::microseconds d) {
    return static_cast<double>(d.count()) / 1000.0;
}

std::string expectation(const Check& c) {
    std::string s = c.expect_reachable ? "reachable" : "unreachable";
    if (c.via) s += " via " + c.via->str();
    return s;
}

// What the route lookup said, and whether it names the expected first hop.
std::pair<std::string, bool> judge_route(const Check& c, const RouteAnswer& r) {
    if (!r.found) return {"no route (" + r.error + ")", false};
    if (!r.gateway) return {"direct (no gateway) on " + r.dev, false};
    return {"first hop " + r.gateway->str() + " (" + r.dev + ")", *r.gateway == *c.via};
}

std::string describe_echo(const EchoResult& e) {
    return e.answered ? fmt::format("reply in {:.1f} ms", ms(e.rtt)) : e.detail;
}

std::string describe_tcp(const TcpResult& t) {
    return t.connected() ? fmt::format("connected in {:.1f} ms", ms(t.time)) : t.detail;
}

// Why the check may not be sent: its route leaves the lab through the host, for an address that
// is not the host end's own. "" when it stays inside.
std::string leaves_the_lab(const Check& c, Prober& prober, const LabExits& exits) {
    const bool on_loopback = c.to.is_loopback();
    if (exits.empty() || on_loopback) return {};
    const RouteAnswer r = prober.route_to(c.from, c.to, c.source);
    if (!r.found) return {};  // nothing to send it through: the probe fails at once
    const auto exit = exits.find(VethEnd{c.from, r.dev});
    if (exit == exits.end()) return {};
    const auto& own = exit->second;
    if (std::find(own.begin(), own.end(), c.to) != own.end()) return {};
    return "not sent: the route to " + c.to.str() + " leaves the lab through the host (" + r.dev +
           "); checks only send traffic inside the lab";
}

// Whether `to` answered: an echo reply, or a TCP connection opened. And what happened.
std::pair<bool, std::string> probe(const Check& c, Prober& prober, const CheckOptions& o,
                                   std::chrono::milliseconds timeout) {
    if (c.tcp) {
        const TcpResult t = prober.tcp_connect({c.from, c.to, *c.tcp, c.source, timeout});
        return {t.connected(), describe_tcp(t)};
    }
    const EchoResult e = prober.echo({c.from, c.to, c.source, timeout, o.tries});
    return {e.answered, describe_echo(e)};
}

// One try of the check, with this timeout.
CheckOutcome try_once(const Check& c, Prober& prober, const CheckOptions& o, const LabExits& exits,
                      std::chrono::milliseconds timeout) {
    CheckOutcome out{c, false, expectation(c), {}, {}};
    if (auto why = leaves_the_lab(c, prober, exits); !why.empty()) {
        out.happened = std::move(why);
        return out;
    }
    bool route_ok = true;
    if (c.via) {
        auto [text, ok] = judge_route(c, prober.route_to(c.from, c.to, c.source));
        out.happened = text + ", ";
        route_ok = ok;
    }
    const auto [answered, text] = probe(c, prober, o, timeout);
    out.happened += text;
    out.held = route_ok && answered == c.expect_reachable;
    return out;
}

constexpr std::chrono::milliseconds kShortestTry{100};

std::string tries_text(int tries) {
    return fmt::format("{} tr{}", tries, tries == 1 ? "y" : "ies");
}

// A `wait:` check: tries until one holds or the wait has passed, `o.pause` apart.
CheckOutcome try_until_it_holds(const Check& c, Prober& prober, const CheckOptions& o,
                                const LabExits& exits, CheckClock& clock) {
    const auto start = clock.now();
    const auto deadline = start + *c.wait;
    for (int tries = 1;; ++tries) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock.now());
        // Cut to what is left of the wait, but not below kShortestTry (unless asked for less).
        const auto timeout = std::min(o.timeout, std::max(left, kShortestTry));
        CheckOutcome out = try_once(c, prober, o, exits, timeout);
        const auto now = clock.now();
        if (out.held || now >= deadline) {
            const auto took = std::chrono::duration_cast<std::chrono::microseconds>(now - start);
            out.happened += fmt::format(", {} after {:.1f} s ({})", out.held ? "held" : "gave up",
                                        ms(took) / 1000.0, tries_text(tries));
            out.tries = tries;
            return out;
        }
        clock.sleep_until(std::min(now + o.pause, deadline));
    }
}

CheckOutcome evaluate(const Check& c, Prober& prober, const CheckOptions& o, const LabExits& exits,
                      CheckClock& clock) {
    if (c.wait) return try_until_it_holds(c, prober, o, exits, clock);
    return try_once(c, prober, o, exits, o.timeout);
}

CheckOutcome evaluate_timed(const Check& c, Prober& prober, const CheckOptions& o,
                            const LabExits& exits, CheckClock& clock) {
    const auto start = clock.now();
    CheckOutcome out;
    try {
        out = evaluate(c, prober, o, exits, clock);
    } catch (const std::exception& e) {
        out = CheckOutcome{c, false, expectation(c), e.what(), {}};
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(clock.now() - start);
    return out;
}

class SteadyCheckClock final : public CheckClock {
  public:
    time_point now() override { return Clock::now(); }
    void sleep_until(time_point t) override { std::this_thread::sleep_until(t); }
};

// What a host bridge of the lab joins: its own addresses and those of the lab's interfaces at
// the far ends of its ports. Traffic to them stays on the lab's own segment.
void add_segment(const Topology& lab, const std::string& bridge, std::vector<IpAddress>& own) {
    if (const Interface* b = lab.find_interface(kHostNamespace, bridge))
        for (const auto& a : b->addresses) own.push_back(a.ip);
    for (const auto& v : lab.veths) {
        if (v.a.in_host() == v.b.in_host()) continue;
        const VethEnd& host = v.a.in_host() ? v.a : v.b;
        const VethEnd& inside = v.a.in_host() ? v.b : v.a;
        const Interface* port = lab.find_interface(host.ns, host.ifname);
        const Interface* peer = lab.find_interface(inside.ns, inside.ifname);
        if (!port || !peer || port->master != bridge) continue;
        for (const auto& a : peer->addresses) own.push_back(a.ip);
    }
}

}  // namespace

LabExits lab_exits(const Topology& lab) {
    LabExits exits;
    for (const auto& v : lab.veths) {
        if (v.a.in_host() == v.b.in_host()) continue;
        const VethEnd& host = v.a.in_host() ? v.a : v.b;
        const VethEnd& inside = v.a.in_host() ? v.b : v.a;
        auto& own = exits[inside];
        const Interface* link = lab.find_interface(host.ns, host.ifname);
        if (!link) continue;
        for (const auto& a : link->addresses) own.push_back(a.ip);
        if (!link->master.empty()) add_segment(lab, link->master, own);
    }
    return exits;
}

std::size_t CheckReport::failed() const {
    std::size_t n = 0;
    for (const auto& o : outcomes) n += !o.held;
    return n;
}

CheckClock& steady_check_clock() {
    static SteadyCheckClock clock;
    return clock;
}

CheckReport run_checks(const std::vector<Check>& checks, Prober& prober, const CheckOptions& o,
                       const LabExits& exits) {
    CheckClock& clock = o.clock ? *o.clock : steady_check_clock();
    const auto start = clock.now();
    CheckReport report;
    report.outcomes.resize(checks.size());
    {
        std::vector<std::jthread> threads;
        for (std::size_t i = 0; i < checks.size(); ++i)
            threads.emplace_back([&, i] {
                report.outcomes[i] = evaluate_timed(checks[i], prober, o, exits, clock);
            });
    }
    report.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(clock.now() - start);
    return report;
}

}  // namespace nstopo
