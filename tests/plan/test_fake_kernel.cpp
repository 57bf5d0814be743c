// The fake kernel's rules: the planner's and the applier's tests rely on each of them.
#include <catch2/catch.hpp>
#include <cerrno>

#include "fake_kernel.hpp"
#include "nstopo/error.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

Cidr cidr(const char* s) {
    return Cidr::parse(s).value();
}

Route route(const char* to, const char* via, std::optional<std::string> dev = std::nullopt) {
    Route r;
    r.to = cidr(to);
    if (via[0] != '\0') r.via = IpAddress::parse(via);
    r.dev = std::move(dev);
    return r;
}

// The errno a call is refused with, 0 if it succeeds.
template <class F>
int errno_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        REQUIRE(e.kind() == ErrorKind::kernel);
        REQUIRE(e.kernel());
        return e.kernel()->errno_value;
    }
    return 0;
}

// Two namespaces joined by a up veth pair a <-> b with 10.0.0.1/24 and 10.0.0.2/24.
FakeKernel wired() {
    FakeKernel k;
    k.create_namespace("n1", "lab");
    k.create_namespace("n2", "lab");
    k.create_veth(Veth{{"n1", "a"}, {"n2", "b"}, {}}, "lab");
    k.set_link_state("n1", "a", LinkState::up);
    k.set_link_state("n2", "b", LinkState::up);
    k.add_address("n1", "a", cidr("10.0.0.1/24"), Dad::skip);
    k.add_address("n2", "b", cidr("10.0.0.2/24"), Dad::skip);
    k.clear_journal();
    return k;
}

ObserveScope scope_of(std::vector<std::string> namespaces, std::vector<std::string> host = {}) {
    ObserveScope s;
    s.namespaces = std::move(namespaces);
    s.host_interfaces = std::move(host);
    return s;
}

}  // namespace

TEST_CASE("fake kernel: what exists cannot be created again (EEXIST)") {
    FakeKernel k = wired();
    CHECK(errno_of([&] { k.create_namespace("n1", "lab"); }) == EEXIST);
    CHECK(errno_of([&] { k.create_veth(Veth{{"n1", "a"}, {"n2", "c"}, {}}, "lab"); }) == EEXIST);
    CHECK_FALSE(k.has_link("n2", "c"));  // nothing half made
    CHECK(errno_of([&] { k.add_address("n1", "a", cidr("10.0.0.1/24"), Dad::skip); }) == EEXIST);
    // IPv4 addresses are keyed by address and prefix, IPv6 ones by address alone.
    CHECK(errno_of([&] { k.add_address("n1", "a", cidr("10.0.0.1/16"), Dad::skip); }) == 0);
    CHECK(errno_of([&] { k.add_address("n1", "a", cidr("2001:db8::1/64"), Dad::skip); }) == 0);
    CHECK(errno_of([&] { k.add_address("n1", "a", cidr("2001:db8::1/80"), Dad::skip); }) == EEXIST);
    k.add_route("n1", route("10.9.0.0/24", "10.0.0.2"));
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "10.0.0.3")); }) == EEXIST);
    Route other_metric = route("10.9.0.0/24", "10.0.0.3");
    other_metric.metric = 10;
    CHECK(errno_of([&] { k.add_route("n1", other_metric); }) == 0);
}

TEST_CASE("fake kernel: missing links and namespaces") {
    FakeKernel k = wired();
    CHECK(errno_of([&] { k.set_link_state("n1", "nope", LinkState::up); }) == ENODEV);
    CHECK(errno_of([&] { k.add_address("n1", "nope", cidr("10.0.0.1/24"), Dad::skip); }) == ENODEV);
    CHECK(errno_of([&] { k.delete_link("n1", "nope"); }) == ENODEV);
    CHECK(errno_of([&] { k.delete_namespace("nope"); }) == ENOENT);
    CHECK(errno_of([&] { k.create_veth(Veth{{"n1", "x"}, {"nope", "y"}, {}}, "lab"); }) == ENOENT);
    CHECK(errno_of([&] { k.delete_address("n1", "a", cidr("10.0.0.9/24")); }) == EADDRNOTAVAIL);
    CHECK(errno_of([&] { k.delete_route("n1", route("10.9.0.0/24", "")); }) == ESRCH);
    CHECK(errno_of([&] { k.delete_link("n1", "lo"); }) == EOPNOTSUPP);
}

TEST_CASE("fake kernel: a gateway must be on a connected subnet of an up link") {
    FakeKernel k = wired();
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "10.1.0.1")); }) == ENETUNREACH);
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "10.0.0.2", "lo")); }) ==
          ENETUNREACH);
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "10.0.0.2", "nope")); }) == ENODEV);
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.1/24", "10.0.0.2")); }) == EINVAL);
    k.set_link_state("n1", "a", LinkState::down);
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "10.0.0.2")); }) == ENETUNREACH);
    CHECK(errno_of([&] { k.add_route("n1", route("10.9.0.0/24", "", "a")); }) == ENETDOWN);
    k.set_link_state("n1", "a", LinkState::up);
    k.add_route("n1", route("10.9.0.0/24", "10.0.0.2"));
    const Topology t = k.observe(scope_of({"n1"}));
    REQUIRE(t.namespaces.at("n1").routes.size() == 1);
    CHECK(t.namespaces.at("n1").routes[0].dev == "a");  // the observer always knows the device
}

TEST_CASE("fake kernel: deleting a veth end deletes its peer and their routes") {
    FakeKernel k = wired();
    k.add_route("n2", route("10.9.0.0/24", "10.0.0.1"));
    k.delete_link("n1", "a");
    CHECK_FALSE(k.has_link("n1", "a"));
    CHECK_FALSE(k.has_link("n2", "b"));
    CHECK(k.observe(scope_of({"n2"})).namespaces.at("n2").routes.empty());
}

TEST_CASE("fake kernel: deleting a namespace takes the peers of its veths elsewhere") {
    FakeKernel k = wired();
    k.create_veth(Veth{{"", "h0"}, {"n1", "c"}, {}}, "lab");
    k.delete_namespace("n1");
    CHECK_FALSE(k.has_namespace("n1"));
    CHECK_FALSE(k.has_link("n2", "b"));
    CHECK_FALSE(k.has_link("", "h0"));
}

TEST_CASE("fake kernel: with a free delay, the host end of a deleted namespace lingers") {
    FakeKernel k;
    k.create_namespace("n1", "lab");
    k.create_veth(Veth{{"", "h0"}, {"n1", "c"}, {}}, "lab");
    k.set_free_delay(2);
    k.delete_namespace("n1");
    const auto scope = scope_of({}, {"h0"});
    CHECK(k.observe(scope).host_interfaces.count("h0") == 1);
    CHECK(errno_of([&] { k.create_veth(Veth{{"", "h0"}, {"", "h1"}, {}}, "lab"); }) == EEXIST);
    CHECK(k.observe(scope).host_interfaces.count("h0") == 1);
    CHECK(k.observe(scope).host_interfaces.empty());
    CHECK(errno_of([&] { k.create_veth(Veth{{"", "h0"}, {"", "h1"}, {}}, "lab"); }) == 0);
}

TEST_CASE("fake kernel: deleting a primary IPv4 address drops its secondaries unless promoted") {
    FakeKernel k = wired();
    k.add_address("n1", "a", cidr("10.0.0.5/24"), Dad::skip);  // secondary of 10.0.0.1/24
    k.add_address("n1", "a", cidr("10.0.1.1/24"), Dad::skip);  // another subnet: a primary
    k.delete_address("n1", "a", cidr("10.0.0.1/24"));
    CHECK(k.addresses("n1", "a") == std::vector<Cidr>{cidr("10.0.1.1/24")});

    k.set_sysctl("n2", "net.ipv4.conf.all.promote_secondaries", "1");
    k.add_address("n2", "b", cidr("10.0.0.6/24"), Dad::skip);
    k.delete_address("n2", "b", cidr("10.0.0.2/24"));
    CHECK(k.addresses("n2", "b") == std::vector<Cidr>{cidr("10.0.0.6/24")});
}

TEST_CASE("fake kernel: a link losing its last IPv4 address loses its IPv4 routes") {
    FakeKernel k = wired();
    k.add_address("n1", "a", cidr("2001:db8::1/64"), Dad::skip);
    k.add_route("n1", route("10.9.0.0/24", "10.0.0.2"));
    k.add_route("n1", route("2001:db8:9::/48", "2001:db8::2"));
    k.delete_address("n1", "a", cidr("10.0.0.1/24"));
    const auto routes = k.observe(scope_of({"n1"})).namespaces.at("n1").routes;
    REQUIRE(routes.size() == 1);
    CHECK(routes[0].family() == Family::v6);
}

TEST_CASE("fake kernel: a link set down loses its routes") {
    FakeKernel k = wired();
    k.add_route("n1", route("10.9.0.0/24", "10.0.0.2"));
    k.set_link_state("n1", "a", LinkState::down);
    CHECK(k.observe(scope_of({"n1"})).namespaces.at("n1").routes.empty());
}

TEST_CASE("fake kernel: observe reads the scope, marks, sysctls and pairs inside it") {
    FakeKernel k = wired();
    k.create_veth(Veth{{"", "h0"}, {"n1", "c"}, {}}, "lab");
    k.add_unmarked_namespace("foreign");
    k.set_sysctl("n1", kIpv4Forwarding, "1");
    ObserveScope s = scope_of({"n1", "foreign", "missing"}, {"h0", "nope"});
    s.sysctls["n1"] = {kIpv4Forwarding, "net.ipv4.conf.all.promote_secondaries"};
    const Topology t = k.observe(s);
    CHECK(t.namespaces.size() == 2);
    CHECK(t.namespaces.at("n1").owner == "lab");
    CHECK(t.namespaces.at("foreign").owner.empty());
    CHECK(t.namespaces.at("n1").sysctls ==
          std::map<std::string, std::string>{{kIpv4Forwarding, "1"},
                                             {"net.ipv4.conf.all.promote_secondaries", "0"}});
    const Interface& a = t.namespaces.at("n1").interfaces.at("a");
    CHECK(a.owner == "lab");
    CHECK(a.mtu == 1500u);
    CHECK(a.mac.has_value());
    CHECK(t.namespaces.at("n1").interfaces.at("lo").kind == LinkKind::loopback);
    CHECK(t.host_interfaces.size() == 1);
    // n1/a <-> n2/b has an end outside the scope; h0 <-> n1/c does not.
    REQUIRE(t.veths.size() == 1);
    CHECK(t.veths[0].same_pair(Veth{{"", "h0"}, {"n1", "c"}, {}}));
    CHECK(k.list_namespaces() == std::vector<std::string>{"foreign", "n1", "n2"});
}

TEST_CASE("fake kernel: new veth ends are down, marked, with distinct macs") {
    FakeKernel k;
    k.create_namespace("n1", "lab");
    k.create_veth(Veth{{"n1", "a"}, {"n1", "b"}, {}}, "lab");
    const Topology t = k.observe(scope_of({"n1"}));
    const auto& links = t.namespaces.at("n1").interfaces;
    CHECK(links.at("a").state == LinkState::down);
    CHECK(links.at("lo").state == LinkState::down);
    CHECK(links.at("b").owner == "lab");
    CHECK(links.at("a").mac != links.at("b").mac);
}

TEST_CASE("fake kernel: failure injection and the journal") {
    FakeKernel k;
    k.create_namespace("n1", "lab");
    k.fail_next("set_sysctl", EPERM);
    try {
        k.set_sysctl("n1", kIpv4Forwarding, "1");
        FAIL("set_sysctl did not fail");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kernel);
        CHECK(e.kernel()->ns == "n1");
        CHECK(e.kernel()->operation == "set sysctl");
        CHECK(e.kernel()->errno_value == EPERM);
    }
    CHECK(k.sysctl("n1", kIpv4Forwarding) == "0");
    k.set_sysctl("n1", kIpv4Forwarding, "1");  // only the next call fails
    k.add_unmarked_namespace("quiet");         // setup is not journaled
    CHECK(k.journal() == std::vector<std::string>{
                             "create_namespace n1",
                             "set_sysctl n1 net.ipv4.ip_forward=1 -> EPERM",
                             "set_sysctl n1 net.ipv4.ip_forward=1",
                         });
    k.clear_journal();
    CHECK(k.journal().empty());
}
