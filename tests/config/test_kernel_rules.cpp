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

TEST_CASE(
    "a gateway at the broadcast address of a subnet is refused, at its network address warned") {
    CHECK(errors(R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: [10.0.0.1/24, 10.8.0.1/30, 10.9.0.0/31, 10.10.0.1/32] }
      r1: { addresses: [172.16.0.1/16] }
    routes:
      - { to: 10.1.0.0/16, via: 10.0.0.255 }
      - { to: 10.2.0.0/16, via: 10.8.0.3, dev: r0 }
      - { to: 10.3.0.0/16, via: 10.9.0.1 }
      - { to: 10.4.0.0/16, via: 172.16.255.255 }
      - { to: 10.5.0.0/16, via: 10.8.0.0 }
veths: [[r/r0, h0], [r/r1, h1]]
)") == Lines{"t.yaml:7:33: error: `via` 10.0.0.255 is the broadcast address of 10.0.0.0/24; the "
             "kernel would refuse the route with \"Nexthop has invalid gateway\"",
             "t.yaml:8:33: error: `via` 10.8.0.3 is the broadcast address of 10.8.0.0/30; the "
             "kernel would refuse the route with \"Nexthop has invalid gateway\"",
             "t.yaml:10:33: error: `via` 172.16.255.255 is the broadcast address of "
             "172.16.0.0/16; the kernel would refuse the route with \"Nexthop has invalid "
             "gateway\"",
             "t.yaml:11:33: warning: `via` 10.8.0.0 is the network address of 10.8.0.0/30; only "
             "Linux 5.14 and later take it as a host's address, older kernels refuse the route"});
    // IPv6 has no broadcast: the last and first addresses of a prefix are gateways like others.
    CHECK(loaded(R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: ["2001:db8::1/64"] }
    routes:
      - { to: "2001:db8:1::/48", via: "2001:db8::ffff:ffff:ffff:ffff" }
      - { to: "2001:db8:2::/48", via: "2001:db8::" }
veths: [[r/r0, h0]]
)")
              .namespaces.at("r")
              .routes.size() == 2);
}

TEST_CASE("a file with warnings only loads") {
    CHECK(warnings(R"(
namespaces:
  r:
    interfaces:
      r0: { addresses: [10.0.0.1/24] }
    routes:
      - { to: default, via: 10.0.0.0 }
veths: [[r/r0, h0]]
)") == Lines{"t.yaml:6:29: warning: `via` 10.0.0.0 is the network address of 10.0.0.0/24; only "
             "Linux 5.14 and later take it as a host's address, older kernels refuse the route"});
}

TEST_CASE("a sysctl value yes, no, on or off is refused unless quoted") {
    CHECK(errors(R"(
namespaces:
  a:
    sysctls:
      net.ipv4.conf.all.rp_filter: yes
      net.ipv4.conf.all.arp_ignore: Off
      net.ipv4.conf.all.arp_filter: ON
      net.ipv4.conf.all.proxy_arp: no
)") == Lines{"t.yaml:4:36: error: sysctl 'net.ipv4.conf.all.rp_filter' is 'yes', which YAML 1.1 "
             "reads as a boolean but this format as a word; write 1 or true, or quote it to "
             "write the word",
             "t.yaml:5:37: error: sysctl 'net.ipv4.conf.all.arp_ignore' is 'Off', which YAML 1.1 "
             "reads as a boolean but this format as a word; write 0 or false, or quote it to "
             "write the word",
             "t.yaml:6:37: error: sysctl 'net.ipv4.conf.all.arp_filter' is 'ON', which YAML 1.1 "
             "reads as a boolean but this format as a word; write 1 or true, or quote it to "
             "write the word",
             "t.yaml:7:36: error: sysctl 'net.ipv4.conf.all.proxy_arp' is 'no', which YAML 1.1 "
             "reads as a boolean but this format as a word; write 0 or false, or quote it to "
             "write the word"});
    const Topology t = loaded(R"(
namespaces:
  a:
    sysctls: { net.ipv4.conf.all.rp_filter: "on", net.ipv4.conf.all.arp_ignore: true }
)");
    CHECK(t.namespaces.at("a").sysctls.at("net.ipv4.conf.all.rp_filter") == "on");
    CHECK(t.namespaces.at("a").sysctls.at("net.ipv4.conf.all.arp_ignore") == "1");
}

TEST_CASE("a sysctl key of an interface names one the namespace will have") {
    std::string veths;
    for (int i = 0; i < 10; ++i)
        veths += "[r/r" + std::to_string(i) + ", h" + std::to_string(i) + "], ";
    CHECK(errors(R"(
namespaces:
  r:
    sysctls:
      net.ipv4.conf.al.forwarding: 1
      net.ipv4.conf.r1.forwarding: 1
      net.ipv6.conf.r10.forwarding: 1
      net.ipv4.neigh.lo.retrans_time_ms: 100
veths: [)" + veths +
                 "]\n") ==
          Lines{"t.yaml:4:7: error: sysctl 'net.ipv4.conf.al.forwarding' names interface 'al', "
                "which namespace 'r' will not have (its interfaces: lo, r0, r1, r2, r3, r4, r5, r6 "
                "and 3 more); did you mean 'all'?",
                "t.yaml:6:7: error: sysctl 'net.ipv6.conf.r10.forwarding' names interface 'r10', "
                "which namespace 'r' will not have (its interfaces: lo, r0, r1, r2, r3, r4, r5, "
                "r6 and 3 more)"});
}

TEST_CASE("a sysctl key the kernel keeps in the initial namespace is refused") {
    CHECK(errors(R"(
namespaces:
  a:
    sysctls:
      net.core.default_qdisc: fq
      net.ipv6.neigh.default.gc_thresh1: 128
      net.core.somaxconn: 1024
      net.core.wmem_max: 1048576
)") == Lines{"t.yaml:4:7: error: sysctl 'net.core.default_qdisc' exists only in the host's own "
             "network namespace; the kernel gives a lab namespace no such key",
             "t.yaml:5:7: error: sysctl 'net.ipv6.neigh.default.gc_thresh1' exists only in the "
             "host's own network namespace; the kernel gives a lab namespace no such key"});
}
