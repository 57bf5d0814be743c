// Naming and printing of operations, and the observe scope.
#include <catch2/catch.hpp>

#include "lab_builder.hpp"
#include "labs.hpp"
#include "nstopo/plan.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

Cidr cidr(const char* s) {
    return Cidr::parse(s).value();
}

Route gateway_route(const char* to, const char* via, std::optional<std::string> dev) {
    Route r;
    r.to = cidr(to);
    r.via = IpAddress::parse(via);
    r.dev = std::move(dev);
    return r;
}

std::string line(Action a) {
    return describe(Operation{std::move(a), {}, {}});
}

}  // namespace

TEST_CASE("describe prints one stable line per kind of operation") {
    const Veth v{{"ns01", "ns01-veth0"}, {"router01", "gw01-veth0"}, {}};
    CHECK(line(op::CreateNamespace{"ns01"}) == "+ create namespace ns01");
    CHECK(line(op::DeleteNamespace{"ns01"}) == "- delete namespace ns01");
    CHECK(line(op::CreateVeth{v}) == "+ create veth ns01/ns01-veth0 <-> router01/gw01-veth0");
    CHECK(line(op::CreateVeth{Veth{{"", "veth0"}, {"netns1", "veth1"}, {}}}) ==
          "+ create veth veth0 <-> netns1/veth1");
    CHECK(line(op::DeleteLink{"ns01", "ns01-veth0"}) == "- delete link ns01-veth0 in ns01");
    CHECK(line(op::DeleteLink{"", "veth0"}) == "- delete link veth0 in host");
    CHECK(line(op::SetSysctl{"router01", kIpv4Forwarding, "1"}) ==
          "~ set sysctl net.ipv4.ip_forward=1 in router01");
    CHECK(line(op::SetLinkState{"ns01", "ns01-veth0", LinkState::up}) ==
          "~ set link ns01-veth0 up in ns01");
    CHECK(line(op::SetLinkState{"", "veth0", LinkState::down}) == "~ set link veth0 down in host");
    CHECK(line(op::SetMtu{"ns01", "ns01-veth0", 1400}) == "~ set mtu 1400 on ns01-veth0 in ns01");
    CHECK(line(op::SetMac{"ns01", "ns01-veth0", *MacAddress::parse("02:00:00:00:00:01")}) ==
          "~ set mac 02:00:00:00:00:01 on ns01-veth0 in ns01");
    CHECK(line(op::AddAddress{"ns01", "ns01-veth0", cidr("192.168.0.1/24")}) ==
          "+ add address 192.168.0.1/24 to ns01-veth0 in ns01");
    CHECK(line(op::DeleteAddress{"ns01", "ns01-veth0", cidr("192.168.0.1/24")}) ==
          "- delete address 192.168.0.1/24 from ns01-veth0 in ns01");
    CHECK(line(op::AddRoute{"router01", gateway_route("10.0.0.0/24", "172.16.0.2", {})}) ==
          "+ add route 10.0.0.0/24 via 172.16.0.2 metric 0 in router01");
    CHECK(line(op::DeleteRoute{"router01",
                               gateway_route("10.0.0.0/24", "172.16.0.2", "gw01-veth1")}) ==
          "- delete route 10.0.0.0/24 via 172.16.0.2 dev gw01-veth1 metric 0 in router01");
}

TEST_CASE("an implied operation names its cause") {
    const Operation o{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("netns1")};
    CHECK(describe(o) == "- delete link veth0 in host (with namespace netns1)");
    const Operation by_link{op::DeleteAddress{"", "veth0", cidr("10.1.1.2/24")},
                            {},
                            Cause::link_deleted({"", "veth0"})};
    CHECK(describe(by_link) == "- delete address 10.1.1.2/24 from veth0 in host (with link veth0)");
}

TEST_CASE("kind, phase, namespace and object of an action") {
    const Action veth = op::CreateVeth{Veth{{"ns02", "b"}, {"ns01", "a"}, {}}};
    CHECK(kind_of(veth) == "create-veth");
    CHECK(phase_of(veth) == Phase::veths);
    CHECK(namespace_of(veth) == "ns02");
    CHECK(object_of(veth) == "ns02/b <-> ns01/a");

    const Action addr = op::AddAddress{"ns01", "ns01-veth0", cidr("192.168.0.1/24")};
    CHECK(kind_of(addr) == "add-address");
    CHECK(phase_of(addr) == Phase::addresses);
    CHECK(object_of(addr) == "ns01-veth0 192.168.0.1/24");

    CHECK(kind_of(op::DeleteLink{"", "veth0"}) == "delete-link");
    CHECK(phase_of(op::DeleteLink{"", "veth0"}) == Phase::veths);
    CHECK(namespace_of(op::DeleteLink{"", "veth0"}).empty());
    CHECK(kind_of(op::SetLinkState{"n", "l", LinkState::up}) == "set-link-state");
    CHECK(phase_of(op::SetMtu{"n", "l", 1400}) == Phase::links);
    CHECK(object_of(op::SetSysctl{"n", kIpv4Forwarding, "1"}) == kIpv4Forwarding);
    CHECK(phase_of(op::SetSysctl{"n", kIpv4Forwarding, "1"}) == Phase::sysctls);
    CHECK(kind_of(op::DeleteRoute{"n", {}}) == "delete-route");
    CHECK(phase_of(op::DeleteNamespace{"n"}) == Phase::namespaces);

    CHECK(to_string(Phase::namespaces) == "namespaces");
    CHECK(to_string(Phase::routes) == "routes");
}

TEST_CASE("process operations print their command and belong to the last phase") {
    Process p;
    p.name = "web";
    p.command = {"python3", "-m", "http.server", "8080"};
    const ProcessIdentity id{1234, 99};
    CHECK(line(op::StartProcess{"srv", p}) ==
          "+ start process web in srv: python3 -m http.server 8080");
    CHECK(line(op::RestartProcess{"srv", p, id}) ==
          "~ restart process web in srv: python3 -m http.server 8080");
    CHECK(line(op::StopProcess{"srv", "web", id}) == "- stop process web in srv");
    for (const Action& a :
         {Action{op::StartProcess{"srv", p}}, Action{op::StopProcess{"srv", "web", id}},
          Action{op::RestartProcess{"srv", p, id}}}) {
        CHECK(phase_of(a) == Phase::processes);
        CHECK(namespace_of(a) == "srv");
        CHECK(object_of(a) == "web");
    }
    CHECK(kind_of(op::StartProcess{"srv", p}) == "start-process");
    CHECK(kind_of(op::StopProcess{"srv", "web", id}) == "stop-process");
    CHECK(kind_of(op::RestartProcess{"srv", p, id}) == "restart-process");
    CHECK(to_string(Phase::processes) == "processes");
}

TEST_CASE("an empty plan prints as no changes") {
    CHECK(to_text(Plan{"lab", {}}) == "no changes\n");
    const Plan p{
        "lab",
        {Operation{op::CreateNamespace{"a"}, {}, {}}, Operation{op::CreateNamespace{"b"}, {}, {}}}};
    CHECK(to_text(p) == "+ create namespace a\n+ create namespace b\n");
}

TEST_CASE("the observe scope covers the file, the recorded state and adoptions") {
    LabClaims o;
    o.owned_namespaces = {"old", "netns1"};
    o.owned_host_interfaces = {"veth9"};
    o.adopt_namespaces = {"adopted"};
    const ObserveScope s = scope_for(host_link_lab(), o);
    CHECK(s.namespaces == std::vector<std::string>{"adopted", "netns1", "old"});
    CHECK(s.host_interfaces == std::vector<std::string>{"veth0", "veth9"});
    REQUIRE(s.sysctls.size() == 1);
    CHECK(s.sysctls.at("netns1") ==
          std::vector<std::string>{"net.ipv4.conf.all.promote_secondaries", kIpv4Forwarding,
                                   kIpv6Forwarding});
    REQUIRE(s.expected_veths.size() == 1);
    CHECK(s.expected_veths[0].same_pair(Veth{{"", "veth0"}, {"netns1", "veth1"}, {}}));
}
TEST_CASE("conf.default sysctls are set with their namespace, before its links exist") {
    const Operation dflt{op::SetSysctl{"ns01", "net.ipv6.conf.default.accept_dad", "0"}, {}, {}};
    const Operation all{op::SetSysctl{"ns01", "net.ipv6.conf.all.forwarding", "1"}, {}, {}};
    CHECK(phase_of(dflt.action) == Phase::namespaces);
    CHECK(phase_of(all.action) == Phase::sysctls);
}
