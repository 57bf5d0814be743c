// Student mistakes the kernel takes without complaint: warned about where they are written, and
// the file still loads. (That no lab in topologies/ has one: test_files.cpp, which loads every lab
// and wants no diagnostic at all.)
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("the two ends of a veth in no common subnet") {
    CHECK(warnings(R"(
namespaces:
  a: { interfaces: { eth0: { addresses: [10.0.1.1/24, 2001:db8:1::1/64] } } }
  b: { interfaces: { eth0: { addresses: [10.0.2.1/24, 2001:db8:1::2/64] } } }
veths:
  - [a/eth0, b/eth0]
)") == Lines{"t.yaml:5:5: warning: the ends of this veth share no IPv4 subnet: 'a/eth0' has "
             "10.0.1.1/24, 'b/eth0' has 10.0.2.1/24; they cannot reach each other directly"});
    // One common subnet among several addresses is enough; an end without addresses of a
    // family, or a /30 inside the other's /24, is no mistake.
    CHECK(warnings(R"(
namespaces:
  a: { interfaces: { eth0: { addresses: [10.0.1.1/24, 10.9.0.1/24] } } }
  b: { interfaces: { eth0: { addresses: [10.0.1.2/30, 2001:db8::2/64] } } }
  c: { interfaces: { eth0: { addresses: [10.0.3.1/24] } } }
  d: {}
veths:
  - [a/eth0, b/eth0]
  - [c/eth0, d/eth0]
)")
              .empty());
}

TEST_CASE("one subnet on several links of a namespace without a bridge") {
    CHECK(warnings(R"(
namespaces:
  r:
    interfaces:
      eth0: { addresses: [10.0.1.1/24] }
      eth1: { addresses: [10.0.1.2/24] }
      eth2: { addresses: [10.0.0.0/16] }
  h0: {}
  h1: {}
  h2: {}
veths:
  - [r/eth0, h0/eth0]
  - [r/eth1, h1/eth0]
  - [r/eth2, h2/eth0]
)") == Lines{"t.yaml:5:27: warning: 10.0.1.2/24 on 'r/eth1' is in the subnet of 10.0.1.1/24 on "
             "'r/eth0' (line 4): two links of one namespace share a subnet without a bridge "
             "joining them (`bridges:` or `lans:`), so the kernel sends the whole subnet out of "
             "one of them",
             "t.yaml:6:27: warning: 10.0.0.0/16 on 'r/eth2' is in the subnet of 10.0.1.1/24 on "
             "'r/eth0' (line 4): two links of one namespace share a subnet without a bridge "
             "joining them (`bridges:` or `lans:`), so the kernel sends the whole subnet out of "
             "one of them"});
    // Joined by a bridge (the address on the bridge, the links its ports) it is a LAN.
    CHECK(warnings(R"(
namespaces:
  r:
    bridges:
      br0: { ports: [eth0, eth1], addresses: [10.0.1.1/24] }
  h0: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
  h1: { interfaces: { eth0: { addresses: [10.0.1.3/24] } } }
veths:
  - [r/eth0, h0/eth0]
  - [r/eth1, h1/eth0]
)")
              .empty());
}

TEST_CASE("routes through a namespace whose forwarding is off") {
    CHECK(warnings(R"(
namespaces:
  h1:
    interfaces: { eth0: { addresses: [10.0.1.1/24, 2001:db8:1::1/64] } }
    routes:
      - { to: default, via: 10.0.1.254 }
      - { to: 2001:db8:2::/64, via: "2001:db8:1::fe" }
      - { to: 10.0.1.254/32, via: 10.0.1.254 }
  r:
    sysctls: { net.ipv4.ip_forward: 1 }
    interfaces:
      eth0: { addresses: [10.0.1.254/24, 2001:db8:1::fe/64] }
veths:
  - [h1/eth0, r/eth0]
)") == Lines{"t.yaml:6:37: warning: the route to 2001:db8:2::/64 goes through 'r' (line 8), "
             "whose IPv6 forwarding is off: it will drop the traffic; set `forwarding: true` "
             "there"});
    CHECK(warnings(R"(
namespaces:
  h1:
    interfaces: { eth0: { addresses: [10.0.1.1/24] } }
    routes:
      - { to: 10.9.0.0/16, via: 10.0.1.254 }
  r:
    interfaces: { eth0: { addresses: [10.0.1.254/24] } }
veths:
  - [h1/eth0, r/eth0]
)") == Lines{"t.yaml:5:33: warning: the route to 10.9.0.0/16 goes through 'r' (line 6), whose "
             "IPv4 forwarding is off: it will drop the traffic; set `forwarding: true` there"});
}

TEST_CASE("a LAN's veths, whose switch ends have no address, are no mistake") {
    CHECK(warnings(R"(
namespaces:
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24] } } }
  h2: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
lans:
  lan1: [h1/eth0, h2/eth0]
)")
              .empty());
}
