// Bridges whose parts do not fit together: ports, names and options.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("a port that is no veth end of the bridge's namespace, or another bridge") {
    CHECK(errors(R"(
namespaces:
  h1: {}
  sw1:
    bridges:
      br0: { ports: [sw1-p1, sw1-p9, br1, eth0] }
      br1: {}
veths:
  - [h1/eth0, sw1/sw1-p1]
)") == Lines{"t.yaml:5:30: error: port 'sw1-p9' of bridge 'sw1/br0' is not a veth end of the "
             "lab in 'sw1'",
             "t.yaml:5:38: error: port 'br1' of bridge 'sw1/br0' is another bridge, not a veth "
             "end in 'sw1'",
             "t.yaml:5:43: error: port 'eth0' of bridge 'sw1/br0' is not a veth end of the lab "
             "in 'sw1'"});
}

TEST_CASE("a port on two bridges, and a bridge as its own port") {
    CHECK(errors(R"(
namespaces:
  h1: {}
  sw1:
    bridges:
      br0: { ports: [sw1-p1, br0] }
      br1: { ports: [sw1-p1] }
veths:
  - [h1/eth0, sw1/sw1-p1]
)") == Lines{"t.yaml:5:30: error: bridge 'sw1/br0' cannot be a port of itself",
             "t.yaml:6:22: error: port 'sw1-p1' is already a port of bridge 'sw1/br0' (line 5)"});
}

TEST_CASE("a hub with stp, and bridge names that clash or break the interface-name rules") {
    CHECK(errors(R"(
namespaces:
  h1: {}
  sw1:
    bridges:
      eth0: { hub: true, stp: true }
      lo: {}
      abcdefghijklmnopq: {}
veths:
  - [h1/eth0, sw1/eth0]
)") == Lines{"t.yaml:5:7: error: bridge 'sw1/eth0' has the name of another interface of its "
             "namespace",
             "t.yaml:5:20: error: bridge 'sw1/eth0' cannot be a hub with `stp: true`: STP needs a "
             "bridge that learns addresses",
             "t.yaml:6:7: error: bridge 'sw1/lo' has the name of another interface of its "
             "namespace",
             "t.yaml:7:7: error: bridge name 'abcdefghijklmnopq' is 17 bytes long (at most 15)"});
}

TEST_CASE("a host bridge takes only host ends of the lab's veths, and narrow addresses") {
    CHECK(errors(R"(
namespaces:
  h1: {}
host:
  bridges:
    br-lab: { ports: [veth0, eth0], addresses: [10.0.0.1/8] }
veths:
  - [h1/eth0, veth0]
)") == Lines{"t.yaml:5:30: error: port 'eth0' of host bridge 'br-lab' is not a veth end of the "
             "lab on the host",
             "t.yaml:5:49: error: host-end address 10.0.0.1/8 on 'br-lab' is wider than /16: its "
             "subnet would take from the host traffic it routes elsewhere"});
}

TEST_CASE("bridge keys are checked like interface keys") {
    CHECK(errors(R"(
namespaces:
  sw1:
    bridges:
      br0: { port: [a], hub: maybe, addresses: [fe80::1/64] }
)") == Lines{"t.yaml:4:14: error: unknown key 'port' in bridge 'br0'; did you mean 'ports'?",
             "t.yaml:4:30: error: `hub` must be true or false, got 'maybe'",
             "t.yaml:4:49: error: address fe80::1/64 is IPv6 link-local; the kernel manages IPv6 "
             "link-local addresses"});
}
