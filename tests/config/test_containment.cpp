// What a file may claim of the host and of the world: host-end subnets no wider than a lab may
// take, checks only at the lab's own addresses and narrow subnets.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("a host-end address wider than a lab may take is refused, located") {
    CHECK(errors(R"(
name: wide
namespaces:
  n:
    interfaces:
      n0: { addresses: [192.0.2.1/25] }
veths: [[veth0, n/n0]]
host:
  interfaces:
    veth0: { addresses: [192.0.2.100/25, 200.0.0.1/1, "2001:db8::1/32"] }
)") == Lines{"t.yaml:9:42: error: host-end address 200.0.0.1/1 on 'veth0' is wider than /16: its "
             "subnet would take from the host traffic it routes elsewhere",
             "t.yaml:9:55: error: host-end address 2001:db8::1/32 on 'veth0' is wider than /48: "
             "its subnet would take from the host traffic it routes elsewhere"});
}

TEST_CASE("a host end's /16 and /48 are narrow enough") {
    CHECK(loaded(R"(
namespaces:
  n:
    interfaces:
      n0: { addresses: [10.9.0.1/16, "fd00:9::1/48"] }
veths: [[veth0, n/n0]]
host:
  interfaces:
    veth0: { addresses: [10.9.0.2/16, "fd00:9::2/48"] }
)")
              .host_interfaces.size() == 1);
}

TEST_CASE("a check aims at the lab only: a wide subnet does not make the world the lab's") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/1] }
  b:
    interfaces:
      b0: { addresses: [10.0.0.2/1] }
veths: [[a/a0, b/b0]]
checks:
  - { from: a, to: 8.8.8.8 }
  - { from: a, to: 10.0.0.2 }
)") == Lines{"t.yaml:10:20: error: `to` 8.8.8.8 is only in 0.0.0.0/1, which is wider than a lab "
             "may take (/16); checks only send traffic inside the lab"});
}
