// Traffic control: a rate made (a TBF root), observed, changed in place (the same qdisc: its
// handle and its counters survive), a hand-made qdisc replaced, removed (the kernel's default
// back, which the observer ignores); the qdisc probe; netem where the kernel has sch_netem; and
// host routes: only nstopo's are ever deleted. `tc` and `ip` are the witnesses.
#include <cstdlib>
#include <iostream>

#include "sandbox.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

// A case that cannot run on this kernel ends its process (CTest runs each case in its own) with
// the skip code, saying why.
[[noreturn]] void skip_because(const std::string& reason) {
    std::cerr << "SKIPPED: " << reason << "\n";
    std::exit(kSkipExitCode);
}

// The root qdisc of `dev` in `ns` as `tc -s -j qdisc show` reports it.
nlohmann::json root_qdisc(const std::string& ns, const std::string& dev) {
    const auto all = nlohmann::json::parse(run_ok("tc -s -j -n " + ns + " qdisc show dev " + dev));
    for (const auto& q : all)
        if (q.value("root", false)) return q;
    FAIL("no root qdisc on " << dev);
    return {};
}

Shaping rate(std::uint64_t bits) {
    Shaping s;
    s.rate = bits;
    return s;
}

// The pair ts/ts-a (10.7.0.1/24) -- tp/ts-b (10.7.0.2/24), both up.
std::unique_ptr<Kernel> pair_kernel() {
    auto k = make_kernel();
    k->create_namespace("ts", "lab1");
    k->create_namespace("tp", "lab1");
    k->create_veth(Veth{{"ts", "ts-a"}, {"tp", "ts-b"}, {}}, "lab1");
    k->set_link_state("ts", "ts-a", LinkState::up);
    k->set_link_state("tp", "ts-b", LinkState::up);
    k->add_address("ts", "ts-a", cidr("10.7.0.1/24"), Dad::skip);
    k->add_address("tp", "ts-b", cidr("10.7.0.2/24"), Dad::skip);
    return k;
}

// Sends a few packets out of ts-a (pings from ts to tp).
void traffic() {
    run_ok("ip netns exec ts ping -c 3 -i 0.01 -W 1 10.7.0.2");
}

}  // namespace

TEST_CASE("a rate is a TBF root: made, observed, changed in place, removed") {
    auto k = pair_kernel();
    // The kernel's default (noqueue on a veth and on lo) is no shaping.
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == std::nullopt);
    CHECK(observe_namespace(*k, "ts").interfaces.at("lo").shaping == std::nullopt);

    k->add_shaping("ts", "ts-a", rate(10'000'000));
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == rate(10'000'000));
    CHECK(observe_namespace(*k, "tp").interfaces.at("ts-b").shaping == std::nullopt);
    auto q = root_qdisc("ts", "ts-a");
    CHECK(q.at("kind") == "tbf");
    CHECK(q.at("handle") == "1:");
    CHECK(q.at("options").at("rate") == 1'250'000);  // bytes per second
    CHECK(errno_of(error_from([&] { k->add_shaping("ts", "ts-a", rate(1'000'000)); })) == EEXIST);

    traffic();
    const auto sent = root_qdisc("ts", "ts-a").at("bytes").get<std::uint64_t>();
    REQUIRE(sent > 0);
    k->change_shaping("ts", "ts-a", rate(10'000'000), rate(20'000'000));
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == rate(20'000'000));
    q = root_qdisc("ts", "ts-a");
    CHECK(q.at("handle") == "1:");
    CHECK(q.at("options").at("rate") == 2'500'000);
    // A new qdisc would count from 0: this is the one that carried the pings.
    CHECK(q.at("bytes").get<std::uint64_t>() >= sent);

    k->remove_shaping("ts", "ts-a");
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == std::nullopt);
    CHECK(root_qdisc("ts", "ts-a").at("kind") == "noqueue");
    k->remove_shaping("ts", "ts-a");  // the default already: nothing to do
    CHECK(errno_of(error_from([&] { k->remove_shaping("ts", "nope0"); })) == ENODEV);
}

TEST_CASE("a qdisc made by hand is foreign, and a change replaces it") {
    auto k = pair_kernel();
    run_ok("tc -n tp qdisc add dev ts-b root handle 5: tbf rate 1mbit burst 10kb latency 50ms");
    Shaping by_hand;
    by_hand.foreign = "tbf 5:";
    CHECK(observe_namespace(*k, "tp").interfaces.at("ts-b").shaping == by_hand);
    // No handle given: the kernel numbers it (8001:, ...), never 1:.
    run_ok("tc -n ts qdisc add dev lo root tbf rate 1mbit burst 10kb latency 50ms");
    const auto lo = observe_namespace(*k, "ts").interfaces.at("lo").shaping;
    REQUIRE(lo);
    CHECK(lo->foreign.starts_with("tbf "));
    CHECK_FALSE(lo->foreign == "tbf 1:");

    k->change_shaping("tp", "ts-b", by_hand, rate(8'000'000));
    CHECK(observe_namespace(*k, "tp").interfaces.at("ts-b").shaping == rate(8'000'000));
    CHECK(root_qdisc("tp", "ts-b").at("handle") == "1:");
    k->remove_shaping("ts", "lo");
    CHECK(observe_namespace(*k, "ts").interfaces.at("lo").shaping == std::nullopt);
}

TEST_CASE("a host end's shaping is observed with the host's links") {
    auto k = make_kernel();
    k->create_namespace("th", "lab1");
    k->create_veth(Veth{{"", "th-host"}, {"th", "th-ns"}, {}}, "lab1");
    k->add_shaping("", "th-host", rate(100'000'000));
    const auto host = observe_host_link(*k, "th-host");
    REQUIRE(host);
    CHECK(host->shaping == rate(100'000'000));
    k->remove_shaping("", "th-host");
    CHECK(observe_host_link(*k, "th-host")->shaping == std::nullopt);
}

TEST_CASE("qdisc_support answers from a scratch namespace, touching nothing here") {
    auto k = make_kernel();
    const std::string before = run_ok("tc -j qdisc show dev lo");
    const auto support = k->qdisc_support({"tbf", "netem"});
    CHECK(support.at("tbf"));
    CHECK(run_ok("tc -j qdisc show dev lo") == before);
    // The witness: tc itself in a namespace of its own.
    const bool tc_has_netem =
        run("ip netns add tq && tc -n tq qdisc add dev lo root netem delay 1ms").status == 0;
    run("ip netns del tq");
    CHECK(support.at("netem") == tc_has_netem);
}

TEST_CASE("netem, with and without a rate, where the kernel has sch_netem") {
    auto k = pair_kernel();
    if (!k->qdisc_support({"netem"}).at("netem"))
        skip_because("this kernel has no netem qdisc (module sch_netem not built or not loaded)");
    Shaping s;
    s.netem = Netem{40'000, 5'000, 10'000, 1'000, 1'000, 0};
    k->add_shaping("ts", "ts-a", s);
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == s);
    CHECK(root_qdisc("ts", "ts-a").at("kind") == "netem");
    Shaping both = s;
    both.rate = 10'000'000;
    k->change_shaping("ts", "ts-a", s, both);
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == both);
    CHECK(root_qdisc("ts", "ts-a").at("handle") == "2:");
    Shaping other = both;
    other.netem->loss = 20'000;
    other.netem->delay_us = 50'000;
    k->change_shaping("ts", "ts-a", both, other);
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == other);
    k->change_shaping("ts", "ts-a", other, rate(10'000'000));
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == rate(10'000'000));
    k->remove_shaping("ts", "ts-a");
    CHECK(observe_namespace(*k, "ts").interfaces.at("ts-a").shaping == std::nullopt);
}

TEST_CASE("host routes: nstopo's are observed as the lab's kind, and only those are deleted") {
    auto k = make_kernel();
    k->create_namespace("tr", "lab1");
    k->create_veth(Veth{{"", "tr-host"}, {"tr", "tr-ns"}, {}}, "lab1");
    k->set_link_state("", "tr-host", LinkState::up);
    k->add_address("", "tr-host", cidr("10.8.0.2/24"), Dad::skip);
    const Route ours = route("10.9.1.0/24", "10.8.0.1", nullptr);
    k->add_route("", ours);
    ObserveScope scope;
    scope.host_routing = true;
    auto seen = k->observe(scope);
    REQUIRE(seen.host_routes.size() == 1);
    CHECK(seen.host_routes.front() == route("10.9.1.0/24", "10.8.0.1", "tr-host"));
    CHECK(run_ok("ip route show 10.9.1.0/24").find("proto 201") != std::string::npos);

    // Deleted by hand and made again by hand, the same destination: not nstopo's.
    run_ok("ip route del 10.9.1.0/24 && ip route add 10.9.1.0/24 via 10.8.0.1");
    seen = k->observe(scope);
    CHECK(seen.host_routes.empty());
    REQUIRE(seen.host_routing.routes.size() == 1);
    CHECK(errno_of(error_from([&] { k->delete_route("", ours); })) == ESRCH);
    CHECK(run_ok("ip route show 10.9.1.0/24").find("10.9.1.0/24 via 10.8.0.1") !=
          std::string::npos);

    run_ok("ip route del 10.9.1.0/24");
    k->add_route("", ours);
    k->delete_route("", ours);
    CHECK(run_ok("ip route show 10.9.1.0/24").empty());
}
