// `rate:`, `netem:` and `host: routes:`: what good files give, and every bad value refused where
// it is written.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

// One veth a/a0 -- b/b0, with `keys` (starting on line 5) on a0.
std::string on_a0(const std::string& keys) {
    return R"(
namespaces:
  a:
    interfaces:
      a0:
)" + keys + R"(
  b: {}
veths: [[a/a0, b/b0]]
)";
}

// The host end h0 (10.1.1.2/24) of a veth to r/r0 (10.1.1.1/24), and host routes from line 9.
std::string host_routes(const std::string& routes) {
    return R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: [10.1.1.1/24] }
host:
  interfaces:
    h0: { addresses: [10.1.1.2/24] }
  routes:
)" + routes +
           "veths: [[h0, r/r0]]\n";
}

}  // namespace

TEST_CASE("rate and netem give the link's shaping") {
    const Topology t = loaded(on_a0(R"(        rate: 1.5mbit
        netem: { delay: 40ms, jitter: 5ms, loss: 1%, duplicate: 0.1%, corrupt: 0.0001%, reorder: 2% })"));
    const auto& s = t.namespaces.at("a").interfaces.at("a0").shaping;
    REQUIRE(s);
    CHECK(s->rate == 1'500'000);
    REQUIRE(s->netem);
    CHECK(*s->netem == Netem{40'000, 5'000, 10'000, 1'000, 1, 20'000});
    CHECK(s->str() ==
          "rate 1500kbit, delay 40ms, jitter 5ms, loss 1%, duplicate 0.1%, corrupt "
          "0.0001%, reorder 2%");
    CHECK(t.namespaces.at("b").interfaces.at("b0").shaping == std::nullopt);
    // tc's byte units, and a rate alone.
    const Topology bytes = loaded(on_a0("        rate: 2mbps"));
    CHECK(bytes.namespaces.at("a").interfaces.at("a0").shaping ==
          Shaping{16'000'000, std::nullopt, ""});
}

TEST_CASE("a rate needs tc's units, whole bytes per second, and a sane size") {
    CHECK(errors(on_a0("        rate: 10")) ==
          Lines{"t.yaml:5:15: error: `rate` '10' has no unit; write it with tc's units: 10mbit, "
                "500kbit, 1gbit (bit, kbit, mbit, gbit; bps, kbps, mbps, gbps for bytes per "
                "second)"});
    CHECK(errors(on_a0("        rate: 10mb")) ==
          Lines{"t.yaml:5:15: error: `rate` '10mb' has an unknown unit; write it with tc's units: "
                "10mbit, 500kbit, 1gbit (bit, kbit, mbit, gbit; bps, kbps, mbps, gbps for bytes "
                "per second)"});
    CHECK(errors(on_a0("        rate: fast")) ==
          Lines{"t.yaml:5:15: error: `rate` 'fast' is not a rate; write it with tc's units: "
                "10mbit, 500kbit, 1gbit (bit, kbit, mbit, gbit; bps, kbps, mbps, gbps for bytes "
                "per second)"});
    CHECK(errors(on_a0("        rate: 1001bit")) ==
          Lines{"t.yaml:5:15: error: `rate` '1001bit' is not a whole number of bytes per second, "
                "as the kernel keeps rates"});
    CHECK(errors(on_a0("        rate: 0mbit")) ==
          Lines{"t.yaml:5:15: error: `rate` '0mbit' is out of range (8bit to 17gbit)"});
    CHECK(errors(on_a0("        rate: 20gbit")) ==
          Lines{"t.yaml:5:15: error: `rate` '20gbit' is out of range (8bit to 17gbit)"});
}

TEST_CASE("netem values: percentages to 100, delays with units, jitter and reorder with a delay") {
    CHECK(errors(on_a0("        netem: { loss: 101%, duplicate: 5, corrupt: 0.00001% }")) ==
          Lines{"t.yaml:5:24: error: `loss` '101%' is over 100%",
                "t.yaml:5:41: error: `duplicate` '5' is not a percentage (write a number from 0 to "
                "100 and %: 1%, 0.1%)",
                "t.yaml:5:53: error: `corrupt` '0.00001%' has more than four decimals"});
    CHECK(errors(on_a0("        netem: { delay: 40, jitter: -5ms }")) ==
          Lines{"t.yaml:5:25: error: `delay` '40' has no unit; write us, ms or s (40ms)",
                "t.yaml:5:37: error: `jitter` '-5ms' is not a duration (write a non-negative "
                "number and a unit: 40ms, 500us, 1s)"});
    CHECK(errors(on_a0("        netem: { jitter: 5ms, reorder: 1% }")) ==
          Lines{"t.yaml:5:26: error: `jitter` needs a `delay` above 0 (netem varies or skips the "
                "delay)",
                "t.yaml:5:40: error: `reorder` needs a `delay` above 0 (netem varies or skips the "
                "delay)"});
    CHECK(errors(on_a0("        netem: { delay: 61s }")) ==
          Lines{"t.yaml:5:25: error: `delay` '61s' is over 60s"});
    CHECK(errors(on_a0("        netem: {}")) ==
          Lines{"t.yaml:5:16: error: `netem` is empty; give at least one of delay, jitter, loss, "
                "duplicate, corrupt, reorder"});
    CHECK(errors(on_a0("        netem: { latency: 40ms }")) ==
          Lines{"t.yaml:5:18: error: unknown key 'latency' in `netem`"});
}

TEST_CASE("host routes go through the lab's host ends") {
    const Topology t = loaded(host_routes("    - { to: 10.0.1.0/24, via: 10.1.1.1 }\n"));
    REQUIRE(t.host_routes.size() == 1);
    CHECK(t.host_routes.front().str() == "10.0.1.0/24 via 10.1.1.1 metric 0");
    CHECK(t.host_routes.front().where.line == 9);
    CHECK(errors(host_routes(R"(    - { to: 10.0.1.0/24, via: 10.9.9.1 }
    - { to: 10.0.2.0/24, via: 10.1.1.1, dev: eth0 }
    - { to: 10.0.0.0/8, via: 10.1.1.1 }
    - { to: default, via: 10.1.1.1 }
    - { to: 10.0.1.0/24, via: 10.1.1.1 }
    - { to: 10.0.3.0/24, via: 10.1.1.2 }
)")) == Lines{"t.yaml:9:31: error: `via` 10.9.9.1 is not in a subnet of an up interface of the "
              "lab's host ends (subnets: 10.1.1.0/24); the kernel would refuse the route with "
              "\"Nexthop has invalid gateway\"",
              "t.yaml:10:46: error: `dev` 'eth0' is not an interface of the lab's host ends",
              "t.yaml:11:7: error: host route to 10.0.0.0/8 is wider than /16: it would take "
              "from the host traffic it routes elsewhere",
              "t.yaml:12:7: error: host route to 0.0.0.0/0 is wider than /16: it would take from "
              "the host traffic it routes elsewhere",
              "t.yaml:13:7: error: a route to 10.0.1.0/24 with metric 0 is already declared at "
              "line 9",
              "t.yaml:14:31: error: `via` 10.1.1.2 is an address of the lab's host ends itself"});
}
