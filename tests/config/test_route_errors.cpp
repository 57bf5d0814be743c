// Routes: destinations, gateways, devices and duplicates, checked against their namespace.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

// A namespace "r" with an up interface r0 (10.0.0.1/24, 2001:db8::1/64), a down interface r1
// (172.16.0.1/24), and the routes given (starting on line 7).
Lines route_errors(const std::string& routes) {
    return errors(R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
      r1: { addresses: [172.16.0.1/24], state: down }
    routes:
)" + routes + "veths: [[r/r0, h0], [r/r1, h1]]\n");
}

}  // namespace

TEST_CASE("route destinations") {
    CHECK(route_errors(R"(      - { to: 10.0.0.1/24, via: 10.0.0.254 }
      - { to: default, dev: r0 }
      - { to: 10.0.0/8, via: 10.0.0.254 }
      - { via: 10.0.0.254 }
      - { to: 10.1.0.0/16 }
      - { to: [10.1.0.0/16], dev: r0 }
)") == Lines{"t.yaml:7:15: error: 10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24?",
             "t.yaml:8:15: error: `to: default` needs `via` to know the family; write 0.0.0.0/0 or "
             "::/0",
             "t.yaml:9:15: error: invalid route destination '10.0.0/8': '10.0.0' is not an IPv4 or "
             "IPv6 address",
             "t.yaml:10:9: error: a route needs `to`",
             "t.yaml:11:9: error: a route needs `via` or `dev`",
             "t.yaml:12:15: error: `to` must be a prefix, an address or default, got a list"});
}

TEST_CASE("route gateways") {
    CHECK(route_errors(R"(      - { to: 10.1.0.0/16, via: 10.0.0.256 }
      - { to: 10.2.0.0/16, via: 2001:db8::2 }
      - { to: 10.3.0.0/16, via: 224.0.0.1 }
      - { to: 10.4.0.0/16, via: 10.0.0.1 }
      - { to: 10.5.0.0/16, via: 192.168.1.1 }
      - { to: 10.6.0.0/16, via: 172.16.0.2 }
      - { to: "2001:db8:5::/48", via: "fe80::2" }
      - { to: 10.7.0.0/16, via: 10.0.0.9, dev: r0, metric: 4294967296 }
)") == Lines{"t.yaml:7:33: error: `via` '10.0.0.256' is not an IPv4 or IPv6 address",
             "t.yaml:8:33: error: `via` 2001:db8::2 is IPv6 but `to` 10.2.0.0/16 is IPv4",
             "t.yaml:9:33: error: `via` 224.0.0.1 is not a unicast address",
             "t.yaml:10:33: error: `via` 10.0.0.1 is an address of namespace 'r' itself",
             "t.yaml:11:33: error: `via` 192.168.1.1 is not in a subnet of an up interface of "
             "namespace "
             "'r' (subnets: 10.0.0.0/24); the kernel would refuse the route with \"Nexthop has "
             "invalid "
             "gateway\"",
             "t.yaml:12:33: error: `via` 172.16.0.2 is not in a subnet of an up interface of "
             "namespace "
             "'r' (subnets: 10.0.0.0/24); the kernel would refuse the route with \"Nexthop has "
             "invalid "
             "gateway\"",
             "t.yaml:13:39: error: `via` fe80::2 is an IPv6 link-local address; it needs `dev`",
             "t.yaml:14:60: error: `metric` must be an integer from 0 to 4294967295, got "
             "'4294967296'"});
}

TEST_CASE("route devices, and two routes with one destination and metric") {
    CHECK(route_errors(R"(      - { to: 10.1.0.0/16, dev: r00 }
      - { to: 10.2.0.0/16, dev: r1 }
      - { to: 10.3.0.0/16, via: 10.0.0.9, dev: lo }
      - { to: 10.4.0.0/16, via: 10.0.0.9, dev: r0 }
      - { to: 10.4.0.0/16, via: 10.0.0.8, metric: 0 }
      - { to: 10.4.0.0/16, via: 10.0.0.8, metric: 5 }
      - { to: default, via: 10.0.0.254 }
      - { to: 0.0.0.0/0, via: 10.0.0.253 }
      - { to: default, via: "2001:db8::fe" }
      - { to: 10.9.0.0/16, dev: [r0] }
      - { to: "::/0", via: "2001:db8::fd", metric: 1024 }
)") == Lines{
           "t.yaml:7:33: error: `dev` 'r00' is not an interface of namespace 'r'; did you mean "
           "'r0'?",
           "t.yaml:8:33: error: `dev` 'r1' is down; the kernel refuses a route through a down "
           "interface",
           "t.yaml:9:33: error: `via` 10.0.0.9 is not in a subnet of 'lo' (subnets: none); the "
           "kernel "
           "would refuse the route with \"Nexthop has invalid gateway\"",
           "t.yaml:11:9: error: a route to 10.4.0.0/16 with metric 0 is already declared at line "
           "10",
           "t.yaml:14:9: error: a route to 0.0.0.0/0 with metric 0 is already declared at line 13",
           "t.yaml:16:33: error: `dev` must be an interface name, got a list",
           "t.yaml:17:9: error: a route to ::/0 with metric 1024 is already declared at line 15"});
}

TEST_CASE("a gateway is reachable through a route without one") {
    CHECK(route_errors(R"(      - { to: 192.168.50.0/24, dev: r0 }
      - { to: 10.8.0.0/16, via: 192.168.50.1 }
      - { to: 10.9.0.0/16, dev: lo }
      - { to: 10.10.0.0/16, via: 10.9.0.1, dev: r0 }
)") == Lines{
           "t.yaml:10:34: error: `via` 10.9.0.1 is not in a subnet of 'r0' (subnets: 10.0.0.0/24, "
           "192.168.50.0/24); the kernel would refuse the route with \"Nexthop has invalid "
           "gateway\""});
}

TEST_CASE("gateways among subnets of several prefix lengths and both families") {
    const std::string head = R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
      r2: { addresses: [10.0.1.1/30, "2001:db8:1::/127"] }
      r3: { addresses: [10.0.2.1/31], state: down }
    routes:
)";
    const std::string tail = "veths: [[r/r0, h0], [r/r2, h2], [r/r3, h3]]\n";
    CHECK(errors(head + R"(      - { to: 10.1.0.0/16, via: 10.0.0.77 }
      - { to: 10.2.0.0/16, via: 10.0.1.2 }
      - { to: 10.3.0.0/16, via: 10.0.1.2, dev: r2 }
      - { to: "2001:db8:2::/48", via: "2001:db8::ff" }
      - { to: "2001:db8:3::/48", via: "2001:db8:1::1", dev: r2 }
)" + tail)
              .empty());
    CHECK(errors(head + R"(      - { to: 10.1.0.0/16, via: 10.0.1.5 }
      - { to: 10.2.0.0/16, via: 10.0.0.9, dev: r2 }
      - { to: 10.3.0.0/16, via: 10.0.2.1 }
      - { to: "2001:db8:2::/48", via: "2001:db8:1::2", dev: r2 }
)" + tail) == Lines{"t.yaml:8:33: error: `via` 10.0.1.5 is not in a subnet of an up interface "
                    "of namespace 'r' (subnets: 10.0.0.0/24, 10.0.1.0/30); the kernel would "
                    "refuse the route with \"Nexthop has invalid gateway\"",
                    "t.yaml:9:33: error: `via` 10.0.0.9 is not in a subnet of 'r2' (subnets: "
                    "10.0.1.0/30); the kernel would refuse the route with \"Nexthop has invalid "
                    "gateway\"",
                    "t.yaml:10:33: error: `via` 10.0.2.1 is an address of namespace 'r' itself",
                    "t.yaml:11:39: error: `via` 2001:db8:1::2 is not in a subnet of 'r2' "
                    "(subnets: 2001:db8:1::/127); the kernel would refuse the route with "
                    "\"Nexthop has invalid gateway\""});
}
