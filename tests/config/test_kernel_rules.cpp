// What the kernel would refuse, or would take and make useless, refused by the loader before
// anything is touched.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("loopback addresses belong on lo, and no address has prefix length 0") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: ["::1/128", "::1/64", 127.0.0.1/8, 127.1.2.3/32, 10.0.0.1/0] }
veths: [[a/a0, h0]]
)") == Lines{"t.yaml:4:25: error: address ::1/128 is the IPv6 loopback address; the kernel takes "
             "it on 'lo' only (\"Cannot assign loopback address on this device\")",
             "t.yaml:4:36: error: address ::1/64 is the IPv6 loopback address; the kernel takes "
             "it on 'lo' only (\"Cannot assign loopback address on this device\")",
             "t.yaml:4:46: error: address 127.0.0.1/8 is in 127.0.0.0/8, which the kernel uses on "
             "'lo' only: packets to or from it on any other link are dropped as martians",
             "t.yaml:4:59: error: address 127.1.2.3/32 is in 127.0.0.0/8, which the kernel uses "
             "on 'lo' only: packets to or from it on any other link are dropped as martians",
             "t.yaml:4:73: error: address 10.0.0.1/0 has prefix length 0: it would claim every "
             "destination as on this link; write the length of its subnet"});
    const Topology t = loaded(R"(
namespaces:
  a:
    interfaces:
      lo: { addresses: ["::1/128", 127.0.0.2/8] }
)");
    CHECK(t.namespaces.at("a").interfaces.at("lo").addresses.size() == 2);
    CHECK(errors("namespaces:\n  a:\n    interfaces:\n      lo: { addresses: [\"::2/0\"] }\n") ==
          Lines{"t.yaml:4:25: error: address ::2/0 has prefix length 0: it would claim every "
                "destination as on this link; write the length of its subnet"});
}
