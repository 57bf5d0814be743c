// observe(): a whole lab read back as the model's values, veth peers resolved with and without
// hints, and nothing the kernel manages by itself.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "lab.hpp"
#include "parallel.hpp"  // src/kernel: how many threads observe() uses

using namespace nstopo;
using namespace nstopo::test;

namespace {
// Links of ob-ns01 that the observer must leave out, so the filters below are really exercised.
void require_kernel_managed_state(const std::string& ns) {
    const auto v6 = ip_json(ns, "-6 addr show");
    CHECK(v6.dump().find("\"scope\":\"link\"") != std::string::npos);  // fe80:: addresses
    const auto routes = ip_json(ns, "route show");
    CHECK(routes.dump().find("\"protocol\":\"kernel\"") != std::string::npos);
    CHECK(ip_json(ns, "addr show dev lo").dump().find("127.0.0.1") != std::string::npos);
}
}  // namespace

TEST_CASE("observe reads a whole lab as the values it was built from, guided by hints") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("ob-");
    build_with_nstopo(*k, spec);
    require_kernel_managed_state("ob-ns01");
    CHECK(k->observe(lab_scope(spec, true)) == expected_topology(spec));
}

TEST_CASE("observe resolves veth peers without hints") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("oh-");
    build_with_nstopo(*k, spec);
    const Topology t = k->observe(lab_scope(spec, false));
    CHECK(t == expected_topology(spec));
    CHECK(t.veths.size() == spec.wires.size());
}

TEST_CASE("observe resolves veth peers that misleading hints place elsewhere") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("om-");
    build_with_nstopo(*k, spec);
    ObserveScope scope = lab_scope(spec, true);
    for (Veth& v : scope.expected_veths) std::swap(v.a.ns, v.b.ns);  // every hint wrong
    scope.expected_veths.push_back(Veth{{"om-ns01", "om-n1v0"}, {"om-ns02", "nothing"}, {}});
    CHECK(k->observe(scope) == expected_topology(spec));
}

TEST_CASE("observe of part of a lab keeps the veths with both ends in the scope") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("op-");
    build_with_nstopo(*k, spec);
    const Topology t = k->observe(scope_of({"op-ns01", "op-r01", "op-gone"}));

    Topology expected = expected_topology(spec);
    expected.namespaces.erase("op-r02");
    expected.namespaces.erase("op-ns02");
    expected.host_interfaces.clear();
    for (auto& [_, n] : expected.namespaces) n.sysctls.clear();
    expected.veths = {Veth{{"op-ns01", "op-n1v0"}, {"op-r01", "op-g1v0"}, {}},
                      Veth{{"op-r01", "op-loopa"}, {"op-r01", "op-loopb"}, {}}};
    CHECK(t == expected);
}

TEST_CASE("observe reads only the named host links") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("oo-");
    build_with_nstopo(*k, spec);
    run_ok("ip link add oo-other0 type veth peer name oo-other1");
    const Topology t = k->observe(scope_of({}, {"oo-host0", "oo-other0", "oo-missing"}));
    CHECK(t.namespaces.empty());
    CHECK(t.host_interfaces.size() == 2);
    CHECK(t.host_interfaces.at("oo-host0") ==
          expected_topology(spec).host_interfaces.at("oo-host0"));
    CHECK(t.host_interfaces.at("oo-other0").owner.empty());
    CHECK(t.veths.empty());  // oo-other1 is not in the scope
}

TEST_CASE("observe reads a lab of many namespaces on several threads, each as it is") {
    auto k = make_kernel();
    const LabSpec spec = chain_lab("oc", 96);
    REQUIRE(kernel::threads_for(spec.namespaces.size()) > 1);  // the parallel path, for real
    build_with_nstopo(*k, spec);
    const Topology expected = expected_topology(spec);
    // Without a cached socket (as a fresh `nstopo plan`), then with the sockets the first made.
    CHECK(make_kernel()->observe(lab_scope(spec, true)) == expected);
    auto again = make_kernel();
    CHECK(again->observe(lab_scope(spec, true)) == expected);
    CHECK(again->observe(lab_scope(spec, true)) == expected);
}

namespace {
// The trace lines `run` logs (one per netlink transaction, see NlSocket::run).
template <class F>
std::string trace_of(F&& run) {
    std::ostringstream lines;
    const auto previous = spdlog::default_logger();
    auto capture = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines));
    capture->set_level(spdlog::level::trace);
    spdlog::set_default_logger(capture);
    try {
        run();
    } catch (...) {
        spdlog::set_default_logger(previous);
        throw;
    }
    spdlog::set_default_logger(previous);
    return lines.str();
}

std::size_t occurrences(const std::string& text, const std::string& of) {
    std::size_t count = 0;
    for (auto at = text.find(of); at != std::string::npos; at = text.find(of, at + 1)) ++count;
    return count;
}
}  // namespace

TEST_CASE("observe pairs the veths of a big lab without hints in a few questions per veth") {
    auto k = make_kernel();
    const LabSpec spec = chain_lab("ou", 64);
    build_with_nstopo(*k, spec);
    const Topology expected = expected_topology(spec);
    Topology seen;
    const std::string trace =
        trace_of([&] { seen = make_kernel()->observe(lab_scope(spec, false)); });
    CHECK(seen == expected);
    // Without hints each end costs one question for its peer's MAC address and one namespace id
    // to confirm it (before: every other namespace was asked in turn, ~2000 questions here).
    CHECK(occurrences(trace, "look up the peer of") <= 2 * spec.wires.size());
    CHECK(occurrences(trace, "look up the namespace id of") <= 2 * spec.wires.size());
    CHECK(occurrences(trace, "netlink list links") == spec.namespaces.size());  // the trace works

    // With hints: one namespace-id question per veth, asked from one of its ends only.
    const std::string hinted =
        trace_of([&] { seen = make_kernel()->observe(lab_scope(spec, true)); });
    CHECK(seen == expected);
    CHECK(occurrences(hinted, "look up the namespace id of") == spec.wires.size());
    CHECK(occurrences(hinted, "look up the peer of") == 0);
}
