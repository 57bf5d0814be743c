// The kernel Prober against real namespaces inside the test sandbox: echo (IPv4, IPv6, from a
// source, without an answer, without a route, refused by a router), TCP connect (to a listener
// the test opens itself, to a closed port, without a route, refused by a router, to a silent
// address) and route lookup (gateway, direct, none).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <thread>

#include "nstopo/error.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/probe.hpp"
#include "probe_socket.hpp"

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

    TcpResult connect(const char* to, std::uint16_t port, std::chrono::milliseconds timeout = 30s,
                      std::optional<IpAddress> source = std::nullopt) {
        return prober->tcp_connect({"a", ip(to), port, source, timeout});
    }

    // b forwards, and refuses 10.8.0.0/24 with ICMP host unreachable (a route of type
    // unreachable; without rate limit, so that every test's request gets its answer), but for
    // 10.8.0.128/25, which it drops without a word (blackhole).
    void make_b_a_refusing_router() {
        kernel->set_sysctl("b", kIpv4Forwarding, "1");
        kernel->set_sysctl("b", "net.ipv4.icmp_ratelimit", "0");
        run("ip -n b route add unreachable 10.8.0.0/24");
        run("ip -n b route add blackhole 10.8.0.128/25");
        // The same for IPv6: 2001:db8:8::/64, through b, which has no route there.
        kernel->set_sysctl("b", kIpv6Forwarding, "1");
        kernel->set_sysctl("b", "net.ipv6.icmp.ratelimit", "0");
        run("ip -n a -6 route add 2001:db8:8::/64 via 2001:db8:9::2");
        run("ip -n b -6 route add unreachable 2001:db8:8::/64");
    }

    static void run(const std::string& command) {
        INFO(command);
        REQUIRE(std::system(command.c_str()) == 0);
    }
};

// A TCP socket listening on `at` port `port` in namespace `ns`, made by the test itself.
kernel::Fd listen_in(const std::string& ns, const IpAddress& at, std::uint16_t port) {
    const kernel::NetnsDir dir(KernelOptions{}.netns_dir);
    const kernel::Op op{ns, "listen", at.str()};
    kernel::Fd s =
        kernel::socket_in_namespace(dir, op, kernel::address_family(at.family()), SOCK_STREAM, 0);
    const auto a = kernel::to_socket_address(at, port);
    REQUIRE(::bind(s.get(), a.get(), a.length) == 0);
    REQUIRE(::listen(s.get(), 8) == 0);
    return s;
}

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

TEST_CASE("tcp: a connection opens to a listener, IPv4 and IPv6, and from a source") {
    TwoNamespaces lab;
    const auto v4 = listen_in("b", ip("10.9.0.2"), 8080);
    const auto v6 = listen_in("b", ip("2001:db8:9::2"), 8080);
    for (const char* to : {"10.9.0.2", "2001:db8:9::2"}) {
        INFO(to);
        const TcpResult r = lab.connect(to, 8080);
        CHECK(r.connected());
        CHECK(r.detail.empty());
    }
    CHECK(lab.connect("10.9.0.2", 8080, 30s, ip("10.9.0.1")).connected());
}

TEST_CASE("tcp: a closed port is refused at once, not timed out") {
    TwoNamespaces lab;
    const auto listening = listen_in("b", ip("10.9.0.2"), 8080);
    for (const char* to : {"10.9.0.2", "2001:db8:9::2"}) {
        INFO(to);
        // The timeout is 30 s: only the reset can end it before, and the outcome says which.
        const TcpResult r = lab.connect(to, 8081);
        CHECK(r.outcome == TcpResult::Outcome::refused);
        CHECK(r.detail == "refused");
    }
}

TEST_CASE("tcp: no route finishes at once with 'no route'") {
    TwoNamespaces lab;
    const TcpResult r = lab.connect("10.7.0.1", 80);
    CHECK(r.outcome == TcpResult::Outcome::unreachable);
    CHECK(r.detail == "no route");
    // A route of type unreachable in the namespace itself.
    TwoNamespaces::run("ip -n a route add unreachable 10.6.0.0/24");
    const TcpResult local = lab.connect("10.6.0.1", 80);
    CHECK(local.outcome == TcpResult::Outcome::unreachable);
    CHECK(local.detail == "host unreachable");
    TwoNamespaces::run("ip -n a route add prohibit 10.5.0.0/24");
    CHECK(lab.connect("10.5.0.1", 80).detail == "prohibited");
    TwoNamespaces::run("ip -n a route add blackhole 10.4.0.0/24");
    CHECK(lab.connect("10.4.0.1", 80).detail == "blackhole route");
}

TEST_CASE("tcp: a router's ICMP host unreachable ends the connect with its reason") {
    TwoNamespaces lab;
    lab.make_b_a_refusing_router();
    // Within the 30 s timeout only the router's ICMP error can end it as unreachable, and the
    // error queue names the router.
    const TcpResult r = lab.connect("10.8.0.5", 80);
    CHECK(r.outcome == TcpResult::Outcome::unreachable);
    CHECK(r.detail == "host unreachable from 10.9.0.2");
    // ICMPv6 "no route to destination" is a network unreachable.
    const TcpResult v6 = lab.connect("2001:db8:8::5", 80);
    CHECK(v6.outcome == TcpResult::Outcome::unreachable);
    CHECK(v6.detail == "network unreachable from 2001:db8:9::2");
}

TEST_CASE("tcp: an address that drops everything times out") {
    TwoNamespaces lab;
    lab.make_b_a_refusing_router();
    const TcpResult r = lab.connect("10.8.0.200", 80, 300ms);
    CHECK(r.outcome == TcpResult::Outcome::timed_out);
    CHECK(r.detail == "timed out");
}

TEST_CASE("echo: an error certain at once ends it after the first request") {
    TwoNamespaces lab;
    lab.make_b_a_refusing_router();
    // Three requests spread over 30 s, 10 s apart: a second request would only be sent if the
    // first answer were waited out.
    const auto slow = [&](const char* to) {
        return lab.prober->echo({"a", ip(to), std::nullopt, 30s, 3});
    };
    const EchoResult refused = slow("10.8.0.5");
    CHECK_FALSE(refused.answered);
    CHECK(refused.detail == "destination unreachable from 10.9.0.2");
    CHECK(refused.sent == 1);
    const EchoResult refused_v6 = slow("2001:db8:8::5");
    CHECK_FALSE(refused_v6.answered);
    CHECK(refused_v6.detail == "destination unreachable from 2001:db8:9::2");
    CHECK(refused_v6.sent == 1);
    const EchoResult no_route = slow("10.7.0.1");
    CHECK_FALSE(no_route.answered);
    CHECK(no_route.detail == "Network is unreachable");
    CHECK(no_route.sent == 1);
    // Routes in a itself that refuse to send: unreachable, prohibit, blackhole.
    TwoNamespaces::run("ip -n a route add unreachable 10.6.0.0/24");
    TwoNamespaces::run("ip -n a route add prohibit 10.5.0.0/24");
    TwoNamespaces::run("ip -n a route add blackhole 10.4.0.0/24");
    for (const char* to : {"10.6.0.1", "10.5.0.1", "10.4.0.1"}) {
        INFO(to);
        const EchoResult local = slow(to);
        CHECK_FALSE(local.answered);
        CHECK(local.sent == 1);
    }
    const EchoResult answered = slow("10.9.0.2");
    CHECK(answered.answered);
    CHECK(answered.sent == 1);
}

TEST_CASE("echo: an address that drops everything gets all its requests and no reply") {
    TwoNamespaces lab;
    lab.make_b_a_refusing_router();
    const EchoResult r = lab.prober->echo({"a", ip("10.8.0.200"), std::nullopt, 300ms, 3});
    CHECK_FALSE(r.answered);
    CHECK(r.detail == "no reply");
    CHECK(r.sent == 3);
}
