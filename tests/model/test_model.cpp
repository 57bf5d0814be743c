#include <catch2/catch.hpp>

#include "nstopo/error.hpp"
#include "nstopo/model.hpp"
#include "nstopo/ownership.hpp"

using namespace nstopo;

namespace {
Cidr cidr(const char* s) {
    return *Cidr::parse(s, true);
}
}  // namespace

TEST_CASE("veth pairs compare regardless of end order") {
    const Veth v{{"ns01", "a"}, {"ns02", "b"}, {}};
    const Veth w{{"ns02", "b"}, {"ns01", "a"}, {}};
    CHECK(v.same_pair(w));
    CHECK(v.canonical().a.ns == "ns01");
    CHECK(w.canonical().a.ns == "ns01");
    CHECK_FALSE(v.same_pair(Veth{{"ns01", "a"}, {"ns02", "c"}, {}}));
    CHECK(VethEnd{"", "veth0"}.str() == "veth0");
    CHECK(VethEnd{"ns1", "veth1"}.str() == "ns1/veth1");
}

TEST_CASE("normalize sorts and deduplicates, and equality ignores source locations") {
    Topology a;
    a.name = "lab";
    Namespace n;
    n.name = "ns";
    Interface i;
    i.name = "eth";
    i.addresses = {cidr("10.0.0.2/24"), cidr("10.0.0.1/24"), cidr("10.0.0.2/24")};
    n.interfaces["eth"] = i;
    n.routes = {Route{cidr("10.2.0.0/16"), {}, "eth", 0, {}},
                Route{cidr("10.1.0.0/16"), {}, "eth", 0, {"f", 3, 4}}};
    a.namespaces["ns"] = n;
    a.veths = {Veth{{"ns", "eth"}, {"", "h"}, {"f", 1, 1}}};
    normalize(a);
    const auto& got = a.namespaces["ns"];
    REQUIRE(got.interfaces.at("eth").addresses.size() == 2);
    CHECK(got.interfaces.at("eth").addresses[0].str() == "10.0.0.1/24");
    CHECK(got.routes[0].to.str() == "10.1.0.0/16");

    Topology b = a;
    b.veths = {Veth{{"", "h"}, {"ns", "eth"}, {}}};
    b.namespaces["ns"].routes[0].where = {};
    CHECK(a == b);
    b.namespaces["ns"].interfaces["eth"].state = LinkState::down;
    CHECK_FALSE(a == b);
    CHECK(a.find_interface("ns", "eth") != nullptr);
    CHECK(a.find_interface("ns", "nope") == nullptr);
    CHECK(a.find_interface("nope", "eth") == nullptr);
    CHECK(a.find_veth({"", "h"}) != nullptr);
}

TEST_CASE("routes print like ip route and compare by kernel key") {
    const Route r{cidr("10.0.0.0/24"), IpAddress::parse("172.16.0.2"), "gw01-veth1", 0, {}};
    CHECK(r.str() == "10.0.0.0/24 via 172.16.0.2 dev gw01-veth1 metric 0");
    const Route d{default_route(Family::v4), IpAddress::parse("192.168.0.254"), {}, 0, {}};
    CHECK(d.str() == "default via 192.168.0.254 metric 0");
    CHECK(r.same_key(Route{cidr("10.0.0.0/24"), {}, "x", 0, {}}));
    CHECK_FALSE(r.same_key(Route{cidr("10.0.0.0/24"), {}, "x", 5, {}}));
    CHECK(default_metric(Family::v6) == 1024);
}

TEST_CASE("names that would become unsafe paths or invalid links are rejected") {
    CHECK(namespace_name_problem("ns01").empty());
    CHECK(namespace_name_problem("") == "is empty");
    CHECK(namespace_name_problem("..") == "'..' is not a usable name");
    CHECK(namespace_name_problem("a/b") == "contains '/'");
    CHECK(namespace_name_problem("a b") == "contains whitespace or a NUL byte");
    CHECK(namespace_name_problem(std::string("a\0b", 3)) == "contains whitespace or a NUL byte");
    CHECK(namespace_name_problem(std::string(64, 'n')).empty());
    CHECK(namespace_name_problem(std::string(65, 'n')) == "is 65 bytes long (at most 64)");
    CHECK(interface_name_problem("ns01-veth0").empty());
    CHECK(interface_name_problem("eth0:1") == "contains ':'");
    CHECK(interface_name_problem(std::string(16, 'i')) == "is 16 bytes long (at most 15)");
    CHECK(interface_name_problem(".") == "'.' is not a usable name");
}

TEST_CASE("forwarding is read from the IPv4 sysctl") {
    Namespace n;
    CHECK_FALSE(n.forwarding());
    n.sysctls[kIpv4Forwarding] = "1";
    CHECK(n.forwarding());
}

TEST_CASE("errors compose location and kernel context into one actionable line") {
    const Error e(ErrorKind::kernel, "cannot add address", SourceLocation{"lab.yaml", 7, 9},
                  KernelContext{"ns01", "add address", "ns01-veth0 10.0.0.1/24", 17, "exists"});
    CHECK(std::string(e.what()) ==
          "lab.yaml:7:9: cannot add address (namespace ns01: add address ns01-veth0 "
          "10.0.0.1/24: File exists [errno 17]: exists)");
    CHECK(exit_code_for(ErrorKind::config) == exit_code::invalid_config);
    CHECK(exit_code_for(ErrorKind::kernel) == exit_code::failure);
    const Error h(ErrorKind::kernel, "x", std::nullopt, KernelContext{"", "op", "", 0, ""});
    CHECK(std::string(h.what()) == "x (host namespace: op)");
}

TEST_CASE("ownership marks round-trip and reject foreign aliases") {
    CHECK(link_mark("two-routers") == "nstopo:two-routers");
    CHECK(lab_from_mark("nstopo:two-routers") == "two-routers");
    CHECK(lab_from_mark("nstopo:") == "");
    CHECK(lab_from_mark("uplink to core") == "");
}

TEST_CASE("duplicate address detection: off unless the namespace's accept_dad turns it on") {
    Namespace n;
    n.name = "ns01";
    CHECK(dad_for(n, "eth0") == Dad::skip);
    n.sysctls[kIpv6DefaultAcceptDad] = "0";
    CHECK(dad_for(n, "eth0") == Dad::skip);
    n.sysctls[kIpv6DefaultAcceptDad] = "1";
    CHECK(dad_for(n, "eth0") == Dad::detect);
    // A link's own key wins over the default it copied.
    n.sysctls["net.ipv6.conf.eth0.accept_dad"] = "0";
    CHECK(dad_for(n, "eth0") == Dad::skip);
    CHECK(dad_for(n, "eth1") == Dad::detect);
    // conf.all turns it on for every link.
    n.sysctls[kIpv6DefaultAcceptDad] = "0";
    n.sysctls["net.ipv6.conf.all.accept_dad"] = "2";
    CHECK(dad_for(n, "eth0") == Dad::detect);
}

TEST_CASE("an unset mtu means the kind's default") {
    CHECK(default_mtu(LinkKind::veth) == 1500u);
    CHECK(default_mtu(LinkKind::loopback) == 65536u);
    CHECK_FALSE(default_mtu(LinkKind::other));
}

TEST_CASE("a process's exit file lies beside its log") {
    CHECK(process_exit_file("/run/nstopo/logs/lab/srv/web.log") ==
          "/run/nstopo/logs/lab/srv/web.exit");
    CHECK(process_exit_file("/tmp/out") == "/tmp/out.exit");
    CHECK(process_exit_file(".log") == ".log.exit");
}
