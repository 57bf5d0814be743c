// The kernel Prober against real namespaces inside the test sandbox: echo (IPv4, IPv6, from a
// source, without an answer, without a route) and route lookup (gateway, direct, none).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <thread>

#include "nstopo/error.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/probe.hpp"

using namespace nstopo;
using namespace std::chrono_literals;

namespace {

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

Cidr cidr(const char* s) {
    return *Cidr::parse(s);
}

// Namespaces a and b on one cable: 10.9.0.1/24 and 2001:db8:9::1/64 on a0, .2 and ::2 on b0;
// a routes 10.8.0.0/24 via 10.9.0.2.
struct TwoNamespaces {
    std::unique_ptr<Kernel> kernel = make_netlink_kernel({});
    std::unique_ptr<Prober> prober = make_prober({});

    TwoNamespaces() {
        for (const char* ns : {"a", "b"}) {
            kernel->create_namespace(ns, "probe");
            kernel->set_sysctl(ns, kIpv6DefaultAcceptDad, "0");
            kernel->set_link_state(ns, "lo", LinkState::up);
        }
        kernel->create_veth(Veth{{"a", "a0"}, {"b", "b0"}, {}}, "probe");
        bring_up("a", "a0", "10.9.0.1/24", "2001:db8:9::1/64");
        bring_up("b", "b0", "10.9.0.2/24", "2001:db8:9::2/64");
        Route r;
        r.to = cidr("10.8.0.0/24");
        r.via = ip("10.9.0.2");
        kernel->add_route("a", r);
        wait_until_running("a", "a0");
        wait_until_running("b", "b0");
    }

    // A link set up carries nothing until the kernel's link watcher has activated it (up to 1 s
    // later); an ARP request sent before is dropped and only retried after 1 s, a whole check's
    // timeout. `ip` is the witness.
    static void wait_until_running(const std::string& ns, const std::string& link) {
        const std::string up = "ip -n " + ns + " link show " + link + " | grep -q 'state UP'";
        for (int i = 0; i < 40 && std::system(up.c_str()) != 0; ++i)
            std::this_thread::sleep_for(50ms);
    }

    void bring_up(const char* ns, const char* link, const char* v4, const char* v6) {
        kernel->set_link_state(ns, link, LinkState::up);
        kernel->add_address(ns, link, cidr(v4), Dad::skip);
        kernel->add_address(ns, link, cidr(v6), Dad::skip);
    }

    EchoResult echo(const char* to, std::optional<IpAddress> source = std::nullopt) {
        return prober->echo({"a", ip(to), source, 1000ms, 3});
    }
};

}  // namespace

TEST_CASE("echo answered across a veth, IPv4 and IPv6, and from a source") {
    TwoNamespaces lab;
    for (const char* to : {"10.9.0.2", "2001:db8:9::2", "127.0.0.1", "::1"}) {
        INFO(to);
        const EchoResult r = lab.echo(to);
        CHECK(r.answered);
        CHECK(r.rtt < 1000ms);
    }
    CHECK(lab.echo("10.9.0.2", ip("10.9.0.1")).answered);
}

TEST_CASE("echo unanswered: nobody there, or no route") {
    TwoNamespaces lab;
    const EchoResult nobody = lab.echo("10.9.0.77");
    CHECK_FALSE(nobody.answered);
    CHECK(nobody.detail == "no reply");
    const EchoResult no_route = lab.echo("10.7.0.1");
    CHECK_FALSE(no_route.answered);
    CHECK(no_route.detail == "Network is unreachable");
}

TEST_CASE("echo from an address the namespace does not have is an error") {
    TwoNamespaces lab;
    CHECK_THROWS_WITH(lab.echo("10.9.0.2", ip("10.9.0.2")),
                      Catch::Contains("cannot send from 10.9.0.2"));
}

TEST_CASE("route lookup: the gateway, a direct destination, no route") {
    TwoNamespaces lab;
    const RouteAnswer via = lab.prober->route_to("a", ip("10.8.0.5"), std::nullopt);
    CHECK(via.found);
    CHECK(via.gateway == ip("10.9.0.2"));
    CHECK(via.dev == "a0");
    const RouteAnswer direct = lab.prober->route_to("a", ip("10.9.0.2"), ip("10.9.0.1"));
    CHECK(direct.found);
    CHECK_FALSE(direct.gateway);
    CHECK(direct.dev == "a0");
    const RouteAnswer none = lab.prober->route_to("a", ip("10.7.0.1"), std::nullopt);
    CHECK_FALSE(none.found);
    CHECK(none.error == "Network is unreachable");
}

TEST_CASE("a namespace that does not exist is an error") {
    TwoNamespaces lab;
    CHECK_THROWS_AS(lab.prober->route_to("nope", ip("10.9.0.2"), std::nullopt), Error);
    CHECK_THROWS_AS(lab.prober->echo({"nope", ip("10.9.0.2"), std::nullopt, 100ms, 1}), Error);
}
