// Planner rules: ownership and conflicts, deletions, ordering, locations, scale.
#include <algorithm>
#include <catch2/catch.hpp>

#include "fake_kernel.hpp"
#include "lab_builder.hpp"
#include "labs.hpp"
#include "nstopo/error.hpp"
#include "nstopo/plan.hpp"
#include "run_on.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

Plan plan_on(FakeKernel& k, const Topology& desired, const LabClaims& options = {}) {
    return plan(desired, k.observe(scope_for(desired, options)), options);
}

std::vector<std::string> lines_of(const Plan& p) {
    std::vector<std::string> lines;
    for (const auto& o : p.operations) lines.push_back(describe(o));
    return lines;
}

// The index of the line, or -1.
long index_of(const std::vector<std::string>& lines, const std::string& line) {
    const auto it = std::find(lines.begin(), lines.end(), line);
    return it == lines.end() ? -1 : it - lines.begin();
}

bool mentions(const Plan& p, const std::string& word) {
    const std::string text = to_text(p);
    return text.find(word) != std::string::npos;
}

// The conflict error plan() throws for this kernel and file.
Error conflict_of(FakeKernel& k, const Topology& desired, const LabClaims& options = {}) {
    try {
        plan_on(k, desired, options);
    } catch (const Error& e) {
        return e;
    }
    FAIL("plan() did not throw");
    throw std::logic_error("unreachable");
}

void converge_and_check(FakeKernel& k, const Topology& desired, const LabClaims& options) {
    converge(k, desired, options);
    CHECK(plan_on(k, desired, options).empty());
}

}  // namespace

TEST_CASE("conflict: a namespace that exists and was not made by the lab") {
    FakeKernel k;
    k.add_unmarked_namespace("ns01");
    const Error e = conflict_of(k, pair_lab());
    CHECK(e.kind() == ErrorKind::conflict);
    CHECK(e.message() ==
          "namespace 'ns01' already exists and was not created by lab 'pair' (use --adopt ns01 "
          "to take it over)");
    REQUIRE(e.where());
    CHECK(e.where()->str() == "pair.yaml:1:1");
}

TEST_CASE("conflict: another lab's namespace, even when adopted") {
    FakeKernel k;
    k.create_namespace("ns02", "other");
    LabClaims o;
    o.adopt_namespaces = {"ns02"};
    o.owned_namespaces = {"ns02"};
    const Error e = conflict_of(k, pair_lab(), o);
    CHECK(e.kind() == ErrorKind::conflict);
    CHECK(e.message() == "namespace 'ns02' belongs to lab 'other'");
    CHECK(e.where()->str() == "pair.yaml:2:1");
}

TEST_CASE("conflict: a host interface the lab did not create") {
    FakeKernel k;
    k.add_link("", "veth0", LinkKind::veth);
    const Error e = conflict_of(k, host_link_lab());
    CHECK(e.kind() == ErrorKind::conflict);
    CHECK(e.message() ==
          "host interface 'veth0' already exists and was not created by lab 'host-link'; nstopo "
          "never changes a host interface it did not create");
    CHECK(e.where()->str() == "host-link.yaml:2:1");
}

TEST_CASE("conflict: a host interface marked by another lab, even if recorded") {
    FakeKernel k;
    k.add_link("", "veth0", LinkKind::veth, "other");
    LabClaims o;
    o.owned_host_interfaces = {"veth0"};
    CHECK(conflict_of(k, host_link_lab(), o).kind() == ErrorKind::conflict);
}

TEST_CASE("conflict: every conflict is reported at once, each with its location") {
    FakeKernel k;
    k.add_unmarked_namespace("ns01");
    k.create_namespace("ns02", "other");
    const Error e = conflict_of(k, pair_lab());
    CHECK(e.message() ==
          "namespace 'ns01' already exists and was not created by lab 'pair' (use --adopt ns01 "
          "to take it over)\n"
          "pair.yaml:2:1: namespace 'ns02' belongs to lab 'other'");
    CHECK(std::string(e.what()) ==
          "pair.yaml:1:1: namespace 'ns01' already exists and was not created by lab 'pair' (use "
          "--adopt ns01 to take it over)\n"
          "pair.yaml:2:1: namespace 'ns02' belongs to lab 'other'");
}

TEST_CASE("conflict: a link another lab marked inside a namespace of the lab") {
    FakeKernel k;
    converge(k, pair_lab());
    k.add_link("ns01", "theirs0", LinkKind::veth, "other");
    CHECK(conflict_of(k, pair_lab(), recorded_state(pair_lab())).message() ==
          "link 'theirs0' in namespace 'ns01' belongs to lab 'other'");
}

TEST_CASE("teardown removes the lab's things and never anything else") {
    FakeKernel k;
    converge(k, host_link_lab());
    k.add_unmarked_namespace("stray");
    k.create_namespace("theirs", "other");
    k.add_link("", "veth7", LinkKind::veth, "other");
    k.add_link("", "eth9", LinkKind::other);
    LabClaims o = recorded_state(host_link_lab());
    o.owned_namespaces.insert("theirs");      // recorded by mistake: the mark wins
    o.owned_host_interfaces.insert("veth7");  // idem
    const Plan p = plan_on(k, empty_lab("host-link"), o);
    CHECK(mentions(p, "- delete namespace netns1"));
    CHECK_FALSE(mentions(p, "stray"));
    CHECK_FALSE(mentions(p, "theirs"));
    CHECK_FALSE(mentions(p, "veth7"));
    CHECK_FALSE(mentions(p, "eth9"));
    run_on(k, p);
    CHECK(k.list_namespaces() == std::vector<std::string>{"stray", "theirs"});
    CHECK(k.has_link("", "veth7"));
    CHECK_FALSE(k.has_link("", "veth0"));
}

TEST_CASE("a recorded namespace without a mark is the lab's and goes when undeclared") {
    FakeKernel k;
    k.add_unmarked_namespace("old");
    LabClaims o;
    o.owned_namespaces = {"old"};
    o.identities.namespaces["old"] = k.identity("old");
    const auto lines = lines_of(plan_on(k, pair_lab(), o));
    CHECK(index_of(lines, "- delete namespace old") == 0);
}

TEST_CASE("a recorded host link without a mark is the lab's, but not with another lab's mark") {
    FakeKernel k;
    k.add_link("", "veth5", LinkKind::other);
    k.add_link("", "veth6", LinkKind::other, "other");
    LabClaims o;
    o.owned_host_interfaces = {"veth5", "veth6"};
    o.identities.host_interfaces = {{"veth5", k.ifindex("", "veth5")},
                                    {"veth6", k.ifindex("", "veth6")}};
    const Plan p = plan_on(k, pair_lab(), o);
    CHECK(mentions(p, "- delete link veth5 in host\n"));
    CHECK_FALSE(mentions(p, "veth6"));
}

TEST_CASE("an adopted namespace keeps its name and the file becomes authoritative in it") {
    FakeKernel k;
    k.add_unmarked_namespace("ns01");
    k.add_link("ns01", "dummy0", LinkKind::other);
    LabClaims o;
    o.adopt_namespaces = {"ns01", "unrelated"};
    const Plan p = plan_on(k, pair_lab(), o);
    CHECK_FALSE(mentions(p, "create namespace ns01"));
    CHECK(mentions(p, "- delete link dummy0 in ns01\n"));
    // An adopted name the file does not declare is not the lab's: nothing to delete.
    k.add_unmarked_namespace("unrelated");
    CHECK_FALSE(mentions(plan_on(k, pair_lab(), o), "unrelated"));
}

TEST_CASE("of a veth pair to delete, one end is deleted and the peer is implied") {
    FakeKernel k;
    converge(k, pair_lab());
    k.create_veth(Veth{{"ns02", "y"}, {"ns01", "x"}, {}}, "pair");
    const auto lines = lines_of(plan_on(k, pair_lab(), recorded_state(pair_lab())));
    CHECK(lines == std::vector<std::string>{"- delete link x in ns01",
                                            "- delete link y in ns02 (with link ns01/x)"});
}

TEST_CASE("a declared end that exists unpaired or wrongly paired is deleted and re-created") {
    FakeKernel k;
    k.create_namespace("ns01", "pair");
    k.create_namespace("ns02", "pair");
    k.add_link("ns01", "ns01-veth0", LinkKind::other);                       // not a veth
    k.create_veth(Veth{{"ns02", "ns02-veth0"}, {"ns02", "z"}, {}}, "pair");  // wrong peer
    const auto lines = lines_of(plan_on(k, pair_lab(), recorded_state(pair_lab())));
    CHECK(index_of(lines, "- delete link ns01-veth0 in ns01") == 0);
    CHECK(index_of(lines, "- delete link ns02-veth0 in ns02") == 1);
    CHECK(index_of(lines, "- delete link z in ns02 (with link ns02/ns02-veth0)") == 2);
    CHECK(index_of(lines, "+ create veth ns01/ns01-veth0 <-> ns02/ns02-veth0") == 3);
    converge_and_check(k, pair_lab(), recorded_state(pair_lab()));
}

TEST_CASE("the plan does not depend on the order of the input") {
    Topology a = two_routers_lab();
    Topology b = a;
    std::reverse(b.veths.begin(), b.veths.end());
    for (auto& [_, ns] : b.namespaces) std::reverse(ns.routes.begin(), ns.routes.end());
    FakeKernel k;
    const std::string first = to_text(plan_on(k, a));
    CHECK(to_text(plan_on(k, b)) == first);
    CHECK(to_text(plan_on(k, a)) == first);
}

TEST_CASE("an IPv6 address whose prefix length changes is deleted before it is added again") {
    FakeKernel k;
    Topology lab = pair_lab();
    link_in(lab, "ns01/ns01-veth0").addresses.push_back(Cidr::parse("2001:db8::1/64").value());
    normalize(lab);
    converge(k, lab);
    link_in(lab, "ns01/ns01-veth0").addresses.back() = Cidr::parse("2001:db8::1/80").value();
    const auto lines = lines_of(plan_on(k, lab, recorded_state(lab)));
    CHECK(lines ==
          std::vector<std::string>{"- delete address 2001:db8::1/64 from ns01-veth0 in ns01",
                                   "+ add address 2001:db8::1/80 to ns01-veth0 in ns01"});
    converge_and_check(k, lab, recorded_state(lab));
}

TEST_CASE(
    "on the host, whose promote_secondaries nstopo does not know, the old address goes first") {
    FakeKernel k;
    Topology lab = host_link_lab();
    converge(k, lab);
    link_in(lab, "veth0").addresses = {Cidr::parse("10.1.1.3/24").value()};
    const auto lines = lines_of(plan_on(k, lab, recorded_state(lab)));
    CHECK(lines == std::vector<std::string>{"- delete address 10.1.1.2/24 from veth0 in host",
                                            "+ add address 10.1.1.3/24 to veth0 in host"});
    converge_and_check(k, lab, recorded_state(lab));
}

TEST_CASE("where promotion is off, a replaced address goes first and the routes it takes return") {
    FakeKernel k;
    Topology lab = two_routers_lab();
    lab.namespaces.at("ns01").sysctls["net.ipv4.conf.all.promote_secondaries"] = "0";
    converge(k, lab);
    link_in(lab, "ns01/ns01-veth0").addresses = {Cidr::parse("192.168.0.11/24").value()};
    const auto lines = lines_of(plan_on(k, lab, recorded_state(lab)));
    CHECK(lines == std::vector<std::string>{
                       "- delete route default via 192.168.0.254 dev ns01-veth0 metric 0 in ns01",
                       "- delete address 192.168.0.1/24 from ns01-veth0 in ns01",
                       "+ add address 192.168.0.11/24 to ns01-veth0 in ns01",
                       "+ add route default via 192.168.0.254 metric 0 in ns01"});
    converge_and_check(k, lab, recorded_state(lab));
}

TEST_CASE("a route whose device changes in the file is deleted and added again") {
    FakeKernel k;
    Topology lab = two_routers_lab();
    converge(k, lab);
    auto& routes = lab.namespaces.at("router01").routes;
    routes[0].dev = "gw01-veth1";
    CHECK(plan_on(k, lab, recorded_state(lab)).empty());  // the device it already uses
    routes[0].dev = "gw01-veth0";
    const Plan p = plan_on(k, lab, recorded_state(lab));
    CHECK(lines_of(p) ==
          std::vector<std::string>{
              "- delete route 10.0.0.0/24 via 172.16.0.2 dev gw01-veth1 metric 0 in router01",
              "+ add route 10.0.0.0/24 via 172.16.0.2 dev gw01-veth0 metric 0 in router01"});
    // Both carry the location of the route that asked for them.
    CHECK(p.operations[0].where.str() == routes[0].where.str());
    CHECK(p.operations[1].where.str() == routes[0].where.str());
}

TEST_CASE("operations carry the location of what asked for them, removals none") {
    FakeKernel k;
    converge(k, pair_lab());
    k.add_link("ns01", "dummy0", LinkKind::other);
    Topology lab = pair_lab();
    lab.namespaces.emplace("ns03", LabBuilder("pair").ns("ns03").build().namespaces.at("ns03"));
    lab.namespaces.at("ns03").where = {"pair.yaml", 30, 3};
    lab.namespaces.at("ns03").interfaces.at("lo").where = {"pair.yaml", 30, 3};
    const Plan p = plan_on(k, lab, recorded_state(pair_lab()));
    for (const auto& o : p.operations) {
        INFO(describe(o));
        if (std::holds_alternative<op::DeleteLink>(o.action))
            CHECK_FALSE(o.where.known());
        else
            CHECK(o.where.str() == "pair.yaml:30:3");
    }
    const Plan fresh = plan(pair_lab(), Topology{}, {});
    const auto veth = std::find_if(fresh.operations.begin(), fresh.operations.end(), [](auto& o) {
        return std::holds_alternative<op::CreateVeth>(o.action);
    });
    REQUIRE(veth != fresh.operations.end());
    CHECK(veth->where.str() == pair_lab().veths[0].where.str());
}

TEST_CASE("a 1000-namespace chain plans, converges and tears down") {
    const Topology lab = chain_lab(1000);
    REQUIRE(lab.namespaces.size() == 1000);
    FakeKernel k;
    const Plan up = converge(k, lab);
    CHECK(up.operations.size() > 8000);
    CHECK(plan_on(k, lab, recorded_state(lab)).empty());
    const Plan down = converge(k, empty_lab("chain"), recorded_state(lab));
    std::size_t executed = 0;
    for (const auto& o : down.operations) executed += o.implied() ? 0 : 1;
    CHECK(executed == 1000);  // one namespace deletion each, the rest implied
    CHECK(k.list_namespaces().empty());
}
