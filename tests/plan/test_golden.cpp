// Golden plans: each case sets a fake kernel up (a lab applied, changes made by hand), plans the
// file as it is now, and compares the text with golden/<case>/plan.txt. Then it runs the plan and
// checks that planning again finds nothing to do.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "fake_kernel.hpp"
#include "lab_builder.hpp"
#include "labs.hpp"
#include "nstopo/nftables.hpp"
#include "run_on.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

// What a case plans: the file as it is now, and what the lab recorded.
struct Scenario {
    Topology desired;
    LabClaims options;
};

bool updating_goldens() {
    const char* update = std::getenv("NSTOPO_UPDATE_GOLDEN");
    return update && std::string(update) == "1";
}

void check_against_golden(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(NSTOPO_GOLDEN_DIR) / name / "plan.txt";
    if (updating_goldens()) {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        WARN("wrote " << path.string());
        return;
    }
    std::ifstream in(path);
    INFO("golden file " << path.string() << " (NSTOPO_UPDATE_GOLDEN=1 writes it)");
    REQUIRE(in.good());
    std::stringstream expected;
    expected << in.rdbuf();
    CHECK(text == expected.str());
}

void check_golden(const std::string& name, const std::function<Scenario(FakeKernel&)>& setup) {
    FakeKernel kernel;
    const Scenario s = setup(kernel);
    const ObserveScope scope = scope_for(s.desired, s.options);
    const Plan p = plan(s.desired, kernel.observe(scope), s.options);
    check_against_golden(name, to_text(p));

    kernel.clear_journal();
    run_on(kernel, p);
    std::size_t executed = 0;
    for (const auto& o : p.operations) executed += o.implied() ? 0 : 1;
    CHECK(kernel.journal().size() == executed);

    // Planned again with what apply would have recorded.
    LabClaims recorded = recorded_state(s.desired);
    recorded.adopt_namespaces = s.options.adopt_namespaces;
    recorded.owned_namespaces.insert(s.options.owned_namespaces.begin(),
                                     s.options.owned_namespaces.end());
    recorded.owned_host_interfaces.insert(s.options.owned_host_interfaces.begin(),
                                          s.options.owned_host_interfaces.end());
    const Plan again = plan(s.desired, kernel.observe(scope), recorded);
    CHECK(to_text(again) == "no changes\n");
}

// The kernel after applying `lab`, and the state that apply recorded.
Scenario applied(FakeKernel& kernel, const Topology& lab) {
    converge(kernel, lab);
    return {lab, recorded_state(lab)};
}

// `lab` applied, then its file edited.
void check_edit(const std::string& name, const Topology& lab,
                const std::function<void(Topology&)>& edit) {
    check_golden(name, [&](FakeKernel& k) {
        Scenario s = applied(k, lab);
        edit(s.desired);
        normalize(s.desired);
        return s;
    });
}

// `lab` applied, then the kernel changed by hand.
void check_drift(const std::string& name, const Topology& lab,
                 const std::function<void(FakeKernel&)>& drift) {
    check_golden(name, [&](FakeKernel& k) {
        Scenario s = applied(k, lab);
        drift(k);
        return s;
    });
}

Route route_to(const std::string& to, const std::string& via, int line) {
    Route r;
    r.to = Cidr::parse(to).value();
    r.via = IpAddress::parse(via);
    r.metric = default_metric(r.to.family());
    r.where = {"lab.yaml", line, 5};
    return r;
}

// The pair lab with a masquerade and a ruleset in ns01, canonical as the (fake) kernel answers.
Topology pair_with_table() {
    Topology lab = pair_lab();
    NatRule masquerade;
    masquerade.ifname = "ns01-veth0";
    const std::string filter =
        "chain input {\n  type filter hook input priority filter; policy drop;\n"
        "  tcp dport 80 accept\n}\n";
    NftTable t = nstopo_table({masquerade}, "lab.nft", filter, {"lab.yaml", 12, 5});
    FakeKernel canonicalizer;
    const CanonicalTable answer = canonicalizer.canonical_table(t);
    t.canonical = answer.canonical;
    t.rules = answer.rules;
    lab.namespaces.at("ns01").tables.emplace(t.id(), t);
    return lab;
}

}  // namespace

TEST_CASE("golden: a table from nothing") {
    check_golden("nftables-bringup", [](FakeKernel&) { return Scenario{pair_with_table(), {}}; });
}

TEST_CASE("golden: drift, a rule deleted by hand in nstopo's table") {
    check_drift("drift-table-rule-deleted", pair_with_table(), [](FakeKernel& k) {
        k.put_table("ns01", "inet", "nstopo",
                    "chain input {\n  type filter hook input priority filter; policy drop;\n}\n");
    });
}

TEST_CASE("golden: drift, a foreign table in a lab namespace") {
    check_drift("drift-foreign-table", pair_with_table(),
                [](FakeKernel& k) { k.put_table("ns02", "ip", "foreign", "chain out {\n}\n"); });
}

TEST_CASE("golden: nstopo's table dropped from the file") {
    check_edit("table-removed", pair_with_table(),
               [](Topology& t) { t.namespaces.at("ns01").tables.clear(); });
}

TEST_CASE("golden: a teardown implies the tables of the namespaces it deletes") {
    check_edit("nftables-teardown", pair_with_table(), [](Topology& t) { t = empty_lab("pair"); });
}

TEST_CASE("golden: the pair lab from nothing") {
    check_golden("pair-bringup", [](FakeKernel&) { return Scenario{pair_lab(), {}}; });
}

TEST_CASE("golden: the pair lab applied again changes nothing") {
    check_edit("pair-unchanged", pair_lab(), [](Topology&) {});
}

TEST_CASE("golden: two routers from nothing") {
    check_golden("two-routers-bringup", [](FakeKernel&) {
        return Scenario{two_routers_lab(), {}};
    });
}

TEST_CASE("golden: tearing two routers down prints the mirror image") {
    check_edit("two-routers-teardown", two_routers_lab(),
               [](Topology& t) { t = empty_lab("two-routers"); });
}

TEST_CASE("golden: a route added to the file") {
    check_edit("add-route", two_routers_lab(), [](Topology& t) {
        t.namespaces.at("ns01").routes.push_back(route_to("172.16.0.0/24", "192.168.0.254", 40));
    });
}

TEST_CASE("golden: a namespace removed from the file") {
    check_edit("remove-namespace", two_routers_lab(),
               [](Topology& t) { drop_namespace(t, "ns02"); });
}

TEST_CASE("golden: an address changed within its subnet is added before the old one goes") {
    check_edit("change-address", two_routers_lab(), [](Topology& t) {
        link_in(t, "ns01/ns01-veth0").addresses = {Cidr::parse("192.168.0.11/24").value()};
    });
}

TEST_CASE("golden: a renamed veth end re-creates the pair, its addresses and routes") {
    check_edit("rename-veth-end", two_routers_lab(),
               [](Topology& t) { rename_end(t, "router01/gw01-veth0", "gw01-eth0"); });
}

TEST_CASE("golden: an mtu set in the file") {
    check_edit("change-mtu", pair_lab(),
               [](Topology& t) { link_in(t, "ns01/ns01-veth0").mtu = 1400; });
}

TEST_CASE("golden: a link set down in the file") {
    check_edit("link-down", pair_lab(),
               [](Topology& t) { link_in(t, "ns02/ns02-veth0").state = LinkState::down; });
}

TEST_CASE("golden: forwarding turned on in a namespace") {
    check_edit("forwarding-on", two_routers_lab(), [](Topology& t) {
        for (const auto* key : {&kIpv4Forwarding, &kIpv6Forwarding})
            t.namespaces.at("ns01").sysctls[*key] = "1";
    });
}

TEST_CASE("golden: drift, a route deleted by hand") {
    check_drift("drift-route-deleted", two_routers_lab(), [](FakeKernel& k) {
        k.delete_route("router01", route_to("10.0.0.0/24", "172.16.0.2", 0));
    });
}

TEST_CASE("golden: drift, an address added by hand in a lab namespace") {
    check_drift("drift-stray-address", two_routers_lab(), [](FakeKernel& k) {
        k.add_address("ns01", "ns01-veth0", Cidr::parse("192.168.0.99/24").value(), Dad::skip);
    });
}

TEST_CASE("golden: drift, a link set down by hand (the kernel flushed its routes)") {
    check_drift("drift-link-down", two_routers_lab(),
                [](FakeKernel& k) { k.set_link_state("ns01", "ns01-veth0", LinkState::down); });
}

TEST_CASE("golden: drift, a route added by hand in a lab namespace") {
    check_drift("drift-stray-route", two_routers_lab(), [](FakeKernel& k) {
        k.add_route("router01", route_to("10.9.0.0/24", "172.16.0.2", 0));
    });
}

TEST_CASE("golden: drift, an mtu the file leaves unset changed by hand") {
    check_drift("drift-mtu-unset", pair_lab(),
                [](FakeKernel& k) { k.set_mtu("ns02", "ns02-veth0", 1300); });
}

TEST_CASE("golden: an address where the file turns duplicate address detection on") {
    check_edit("accept-dad", pair_lab(), [](Topology& t) {
        t.namespaces.at("ns01").sysctls[kIpv6DefaultAcceptDad] = "1";
        link_in(t, "ns01/ns01-veth0").addresses.push_back(Cidr::parse("2001:db8::1/64").value());
    });
}

TEST_CASE("golden: drift, a link added by hand in a lab namespace") {
    check_drift("drift-stray-link", pair_lab(),
                [](FakeKernel& k) { k.add_link("ns01", "dummy0", LinkKind::other); });
}

TEST_CASE("golden: the host-link lab from nothing") {
    check_golden("host-link-bringup", [](FakeKernel&) { return Scenario{host_link_lab(), {}}; });
}

TEST_CASE("golden: tearing the host-link lab down implies its host link") {
    check_golden("host-link-teardown", [](FakeKernel& k) {
        Scenario s = applied(k, host_link_lab());
        k.set_free_delay(2);  // the host end vanishes asynchronously, as in the kernel
        s.desired = empty_lab("host-link");
        return s;
    });
}

TEST_CASE("golden: a host end moved to a new namespace is deleted before the old namespace") {
    check_golden("host-end-moved", [](FakeKernel& k) {
        Scenario s = applied(k, host_link_lab());
        k.set_free_delay(2);
        s.desired = LabBuilder("host-link")
                        .ns("netns2")
                        .veth("veth0", "netns2/veth1")
                        .address("netns2/veth1", "10.1.1.1/24")
                        .address("veth0", "10.1.1.2/24")
                        .build();
        return s;
    });
}

TEST_CASE("golden: an unmarked namespace adopted with --adopt") {
    check_golden("adopt", [](FakeKernel& k) {
        k.add_unmarked_namespace("ns01");
        k.add_link("ns01", "dummy0", LinkKind::other);
        Scenario s{pair_lab(), {}};
        s.options.adopt_namespaces = {"ns01"};
        return s;
    });
}

TEST_CASE("golden: a LAN from nothing: bridges before ports attach, addresses after") {
    check_golden("lan-bringup", [](FakeKernel&) { return Scenario{lan_lab(), {}}; });
}

TEST_CASE("golden: tearing a LAN down") {
    check_edit("lan-teardown", lan_lab(), [](Topology& t) { t = empty_lab("lan"); });
}

TEST_CASE("golden: a port moved to a new bridge, in place") {
    check_edit("lan-move-port", lan_lab(), [](Topology& t) {
        Interface br1;
        br1.name = "br1";
        br1.kind = LinkKind::bridge;
        br1.bridge = BridgeOptions{};
        br1.where = {"lan.yaml", 40, 7};
        t.namespaces.at("sw1").interfaces["br1"] = br1;
        link_in(t, "sw1/sw1-p3").master = "br1";
    });
}

TEST_CASE("golden: hub mode and stp turned on in the file, in place") {
    check_edit("lan-hub-on", lan_lab(),
               [](Topology& t) { link_in(t, "sw1/br0").bridge->ageing_time = 0; });
    check_edit("lan-stp-on", lan_lab(),
               [](Topology& t) { link_in(t, "sw1/br0").bridge->stp = true; });
}

TEST_CASE("golden: a port removed from the bridge in the file is detached") {
    check_edit("lan-port-removed", lan_lab(),
               [](Topology& t) { link_in(t, "sw1/sw1-p2").master.clear(); });
}

TEST_CASE("golden: drift: a port detached by hand") {
    check_drift("drift-port-detached", lan_lab(),
                [](FakeKernel& k) { k.set_master("sw1", "sw1-p2", ""); });
}

TEST_CASE("golden: drift: the bridge deleted by hand") {
    check_drift("drift-bridge-deleted", lan_lab(),
                [](FakeKernel& k) { k.delete_link("sw1", "br0"); });
}

TEST_CASE("golden: drift: a hand-made bridge in a lab namespace, a port on it") {
    check_drift("drift-stray-bridge", lan_lab(), [](FakeKernel& k) {
        k.create_bridge("sw1", "br9", {}, "");
        k.set_master("sw1", "sw1-p3", "br9");
    });
}

TEST_CASE("golden: drift: hub mode or ageing time changed by hand") {
    check_drift("drift-hub-by-hand", lan_lab(), [](FakeKernel& k) {
        k.set_bridge_options("sw1", "br0", BridgeOptions{false, 0});
    });
    check_drift("drift-ageing-by-hand", lan_lab(), [](FakeKernel& k) {
        k.set_bridge_options("sw1", "br0", BridgeOptions{false, 1500});
    });
}

TEST_CASE("golden: a host bridge from nothing, and torn down") {
    check_golden("host-bridge-bringup", [](FakeKernel&) {
        return Scenario{host_bridge_lab(), {}};
    });
    check_edit("host-bridge-teardown", host_bridge_lab(),
               [](Topology& t) { t = empty_lab("host-bridge"); });
}

// --- shaping: rate and netem ---------------------------------------------------------------------

namespace {
Netem netem_of(std::uint32_t delay_us, std::uint32_t loss_ppm) {
    Netem n;
    n.delay_us = delay_us;
    n.loss = loss_ppm;
    return n;
}
}  // namespace

TEST_CASE("golden: a shaped link from nothing: shaped after routes, before processes") {
    check_golden("shaping-bringup", [](FakeKernel&) { return Scenario{shaped_pair_lab(), {}}; });
}

TEST_CASE("golden: a rate changed in the file is changed in place") {
    check_edit("shaping-change-rate", shaped_pair_lab(),
               [](Topology& t) { link_in(t, "ns01/ns01-veth0").shaping = rate_of(20'000'000); });
}

TEST_CASE("golden: netem added to a rate, then changed") {
    check_edit("shaping-add-netem", shaped_pair_lab(), [](Topology& t) {
        link_in(t, "ns01/ns01-veth0").shaping->netem = netem_of(40'000, 10'000);
    });
    check_edit(
        "shaping-change-netem", shaped_pair_lab(10'000'000, netem_of(40'000, 10'000)),
        [](Topology& t) { link_in(t, "ns01/ns01-veth0").shaping->netem = netem_of(50'000, 0); });
}

TEST_CASE("golden: shaping dropped from the file is removed") {
    check_edit("shaping-removed", shaped_pair_lab(),
               [](Topology& t) { link_in(t, "ns01/ns01-veth0").shaping.reset(); });
}

TEST_CASE("golden: tearing a shaped lab down implies its shaping") {
    check_edit("shaping-teardown", shaped_pair_lab(), [](Topology& t) { t = empty_lab("pair"); });
}

TEST_CASE("golden: drift, shaping deleted by hand") {
    check_drift("drift-qdisc-deleted", shaped_pair_lab(),
                [](FakeKernel& k) { k.set_qdisc_by_hand("ns01", "ns01-veth0", std::nullopt); });
}

TEST_CASE(
    "golden: drift, a qdisc added by hand where the file declares none, and one replacing "
    "the lab's") {
    Shaping by_hand;
    by_hand.foreign = "tbf 8001:";
    check_drift("drift-stray-qdisc", shaped_pair_lab(), [&](FakeKernel& k) {
        k.set_qdisc_by_hand("ns02", "ns02-veth0", by_hand);
        k.set_qdisc_by_hand("ns01", "ns01-veth0", by_hand);
    });
}

// --- host routes
// ----------------------------------------------------------------------------------

TEST_CASE("golden: host routes from nothing: after the host end's address, with the routes") {
    check_golden("host-routes-bringup", [](FakeKernel&) {
        return Scenario{host_routes_lab(), {}};
    });
}

TEST_CASE("golden: drift, a host route deleted by hand is added again") {
    check_drift("drift-host-route-deleted", host_routes_lab(), [](FakeKernel& k) {
        k.delete_route(kHostNamespace, host_routes_lab().host_routes.front());
    });
}

TEST_CASE("golden: a host route dropped from the file, and the lab torn down") {
    check_edit("host-route-removed", host_routes_lab(), [](Topology& t) { t.host_routes.clear(); });
    check_edit("host-routes-teardown", host_routes_lab(),
               [](Topology& t) { t = empty_lab("host-routes"); });
}

// --- host: uplink ---------------------------------------------------------------------------

// The host-routes lab with an uplink out of the host's eth0 for both its subnets, its table's
// canonical form as the (fake) kernel answers.
Topology uplink_lab() {
    Topology lab = host_routes_lab();
    Uplink u;
    u.out = "eth0";
    u.subnets = {Cidr::parse("10.0.1.0/24").value(), Cidr::parse("10.1.1.0/24").value()};
    u.where = {"lab.yaml", 20, 3};
    lab.uplink = u;
    NftTable t = uplink_table(lab.name, u);
    FakeKernel canonicalizer;
    const CanonicalTable answer = canonicalizer.canonical_table(t);
    t.canonical = answer.canonical;
    t.rules = answer.rules;
    lab.host_tables.emplace(t.id(), t);
    lab.host_sysctls[ipv4_forwarding_key("eth0")] = "1";
    lab.host_sysctls[ipv4_forwarding_key("veth0")] = "1";
    return lab;
}

// The host's own eth0, made by someone else.
void with_eth0(FakeKernel& k) {
    k.add_link(kHostNamespace, "eth0", LinkKind::other);
}

TEST_CASE("golden: an uplink from nothing: out's and the host end's forwarding, the host table") {
    check_golden("uplink-bringup", [](FakeKernel& k) {
        with_eth0(k);
        return Scenario{uplink_lab(), {}};
    });
}

TEST_CASE("golden: drift, the uplink's rule deleted by hand") {
    check_golden("drift-uplink-rule-deleted", [](FakeKernel& k) {
        with_eth0(k);
        Scenario s = applied(k, uplink_lab());
        k.put_table(kHostNamespace, "ip", "nstopo-host-routes",
                    "chain postrouting {\n  type nat hook postrouting priority srcnat; policy "
                    "accept;\n}\n");
        return s;
    });
}

TEST_CASE("golden: drift, the uplink's table deleted and out's forwarding reset by hand") {
    check_golden("drift-uplink-reset", [](FakeKernel& k) {
        with_eth0(k);
        Scenario s = applied(k, uplink_lab());
        k.delete_table(kHostNamespace, s.desired.host_tables.begin()->second);
        k.set_sysctl_by_hand(kHostNamespace, ipv4_forwarding_key("eth0"), "0");
        return s;
    });
}

TEST_CASE("golden: the uplink dropped from the file: its table deleted, forwarding set back") {
    check_golden("uplink-removed", [](FakeKernel& k) {
        with_eth0(k);
        Scenario s = applied(k, uplink_lab());
        s.desired.uplink.reset();
        s.desired.host_tables.clear();
        s.desired.host_sysctls.clear();
        return s;
    });
}

TEST_CASE("golden: tearing an uplink lab down sets out's forwarding back, not the host end's") {
    check_golden("uplink-teardown", [](FakeKernel& k) {
        with_eth0(k);
        Scenario s = applied(k, uplink_lab());
        s.desired = empty_lab("host-routes");
        return s;
    });
}

TEST_CASE("an uplink's forwarding someone changed after the lab is left as it is") {
    FakeKernel k;
    with_eth0(k);
    const Topology lab = uplink_lab();
    converge(k, lab);
    LabClaims claims = recorded_state(lab);
    k.set_sysctl_by_hand(kHostNamespace, ipv4_forwarding_key("eth0"), "2");
    const Topology nothing = empty_lab("host-routes");
    const Plan p = plan(nothing, k.observe(scope_for(nothing, claims)), claims);
    CHECK(to_text(p).find("eth0.forwarding") == std::string::npos);
}

TEST_CASE("an uplink is refused when out is missing, or the lab's table was made by hand") {
    const Topology lab = uplink_lab();
    SECTION("no eth0 on the host") {
        FakeKernel k;
        CHECK_THROWS_WITH(plan(lab, k.observe(scope_for(lab, {})), {}),
                          Catch::Contains("uplink `out` 'eth0' is not an interface of the host"));
    }
    SECTION("a table ip nstopo-host-routes someone made") {
        FakeKernel k;
        with_eth0(k);
        k.put_table(kHostNamespace, "ip", "nstopo-host-routes", "");
        CHECK_THROWS_WITH(plan(lab, k.observe(scope_for(lab, {})), {}),
                          Catch::Contains("the host already has nftables table ip "
                                          "nstopo-host-routes, which lab 'host-routes' did not "
                                          "make"));
        CHECK(k.tables(kHostNamespace).size() == 1);
    }
    SECTION("out is another lab's link") {
        FakeKernel k;
        k.add_link(kHostNamespace, "eth0", LinkKind::veth, "other");
        CHECK_THROWS_WITH(plan(lab, k.observe(scope_for(lab, {})), {}),
                          Catch::Contains("is a link of lab 'other'"));
    }
}

// --- processes: the observed side's runs are what the engine reads from the record and /proc,
// built here by hand on top of the kernel's observation of the converged lab.

namespace {

Process lab_process(const std::string& name, std::vector<std::string> argv, int line) {
    Process p;
    p.name = name;
    p.command = std::move(argv);
    p.directory = "/labs";
    p.where = {"lab.yaml", line, 7};
    return p;
}

// What the engine observes of `started` (the definition it was started with) in state `state`.
Process observed_run(const Process& started, int pid, ProcessState state) {
    Process o;
    o.name = started.name;
    o.run = ProcessRun{{pid, 4242}, started.definition_hash(), "/log", 0, state, {}};
    return o;
}

Topology without_processes(Topology t) {
    for (auto& [_, ns] : t.namespaces) ns.processes.clear();
    return t;
}

// `applied` (its processes aside) converged on a fake kernel; its observation with `runs` added
// (namespace -> processes), planned against `desired`.
void check_process_golden(const std::string& name, const Topology& applied, const Topology& desired,
                          const std::map<std::string, std::vector<Process>>& runs) {
    FakeKernel kernel;
    converge(kernel, without_processes(applied));
    const LabClaims claims = recorded_state(applied);
    Topology observed = kernel.observe(scope_for(desired, claims));
    for (const auto& [ns, processes] : runs)
        for (const auto& p : processes) observed.namespaces.at(ns).processes[p.name] = p;
    check_against_golden(name, to_text(plan(desired, observed, claims)));
}

Topology pair_with_processes() {
    Topology t = pair_lab();
    t.namespaces.at("ns02").processes["web"] =
        lab_process("web", {"python3", "-m", "http.server", "8080"}, 20);
    t.namespaces.at("ns01").processes["probe"] =
        lab_process("probe", {"sh", "-c", "while sleep 1; do date; done"}, 12);
    return t;
}

}  // namespace

TEST_CASE("golden: processes start last, after routes") {
    check_process_golden("processes-start", empty_lab("pair"), pair_with_processes(), {});
}

TEST_CASE("golden: processes running as started change nothing") {
    const Topology lab = pair_with_processes();
    check_process_golden("processes-unchanged", lab, lab,
                         {{"ns02",
                           {observed_run(lab.namespaces.at("ns02").processes.at("web"), 1001,
                                         ProcessState::running)}},
                          {"ns01",
                           {observed_run(lab.namespaces.at("ns01").processes.at("probe"), 1002,
                                         ProcessState::running)}}});
}

TEST_CASE("golden: processes changed, exited, astray, undeclared") {
    const Topology before = pair_with_processes();
    Topology now = before;
    auto& web = now.namespaces.at("ns02").processes.at("web");
    web.command.back() = "8081";  // changed: restarted
    now.namespaces.at("ns02").processes["cache"] = lab_process("cache", {"memcached"}, 24);
    Process old = lab_process("old", {"sleep", "infinity"}, 30);  // undeclared now
    Process gone = lab_process("gone", {"true"}, 31);             // undeclared, exited
    check_process_golden(
        "processes-changes", before, now,
        {{"ns02",
          {observed_run(before.namespaces.at("ns02").processes.at("web"), 1001,
                        ProcessState::running),
           observed_run(lab_process("cache", {"memcached"}, 24), 1003, ProcessState::astray),
           observed_run(old, 1004, ProcessState::running),
           observed_run(gone, 1005, ProcessState::exited)}},
         {"ns01",
          {observed_run(before.namespaces.at("ns01").processes.at("probe"), 1002,
                        ProcessState::exited)}}});
}

TEST_CASE("golden: teardown stops processes first, before any namespace goes") {
    const Topology lab = pair_with_processes();
    check_process_golden("processes-teardown", lab, empty_lab("pair"),
                         {{"ns02",
                           {observed_run(lab.namespaces.at("ns02").processes.at("web"), 1001,
                                         ProcessState::running)}},
                          {"ns01",
                           {observed_run(lab.namespaces.at("ns01").processes.at("probe"), 1002,
                                         ProcessState::exited)}}});
}
