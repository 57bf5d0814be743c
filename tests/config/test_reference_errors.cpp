// Files whose parts do not fit together: veth ends, listed interfaces, addresses and sysctls.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("a veth end in an undeclared namespace, with the likely name") {
    CHECK(errors(R"(
namespaces:
  router01: {}
  ns02: {}
  ns03: {}
veths:
  - [routr01/gw0, ns04/eth0]
)") == Lines{
           "t.yaml:6:6: error: namespace 'routr01' of veth end 'routr01/gw0' is not declared under "
           "`namespaces`; did you mean 'router01'?",
           "t.yaml:6:19: error: namespace 'ns04' of veth end 'ns04/eth0' is not declared under "
           "`namespaces`"});
}

TEST_CASE("an interface used by two veths, and a veth joining an end to itself") {
    CHECK(errors(R"(
namespaces: { a: {}, b: {} }
veths:
  - [a/x, b/x]
  - [b/y, a/x]
  - [a/z, a/z]
  - [h0, b/h0]
  - [{ interface: h0 }, b/h1]
)") == Lines{"t.yaml:4:11: error: interface 'a/x' is already an end of the veth at line 3",
             "t.yaml:5:11: error: both ends of the veth are 'a/z'",
             "t.yaml:7:6: error: host interface 'h0' is already an end of the veth at line 6"});
}

TEST_CASE("an interface listed where no veth creates it") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24] }
      a9: {}
      lo: { addresses: [10.9.9.9/32] }
veths:
  - [a/a0, h0]
host:
  interfaces:
    h0:
    h9: { state: down }
    lo: {}
)") == Lines{
           "t.yaml:5:7: error: no veth creates interface 'a/a9'; add one to `veths` or remove this "
           "entry",
           "t.yaml:12:5: error: no veth creates host interface 'h9'; add one to `veths` or remove "
           "this entry",
           "t.yaml:13:5: error: the host's 'lo' is not managed by nstopo"});
}

TEST_CASE("an address on two interfaces, whatever the prefix length, or twice on one") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
      lo: { addresses: [10.0.0.1/32] }
  b:
    interfaces:
      b0: { addresses: [10.0.0.2/24, 10.0.0.2/16, "2001:DB8::1/128"] }
veths: [[a/a0, b/b0]]
)") == Lines{
           "t.yaml:5:25: error: address 10.0.0.1 is already assigned to interface 'a/a0' (line 4)",
           "t.yaml:8:38: error: address 10.0.0.2 is already assigned to interface 'b/b0' (line 8)",
           "t.yaml:8:51: error: address 2001:db8::1 is already assigned to interface 'a/a0' (line "
           "4)"});
}

TEST_CASE("addresses that do not parse or cannot be configured") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0:
        addresses:
          - 192.168.0.1
          - 300.1.1.1/24
          - 10.0.0.1/33
          - 10.0.0.1/x
          - fe80::1/64
          - 224.0.0.5/24
          - 0.0.0.0/0
          - ::/64
veths: [[a/a0, h0]]
)") == Lines{
           "t.yaml:6:13: error: invalid address '192.168.0.1': missing prefix length (write "
           "ADDRESS/LENGTH, e.g. 192.168.0.1/24)",
           "t.yaml:7:13: error: invalid address '300.1.1.1/24': '300.1.1.1' is not an IPv4 or IPv6 "
           "address",
           "t.yaml:8:13: error: invalid address '10.0.0.1/33': prefix length 33 exceeds 32",
           "t.yaml:9:13: error: invalid address '10.0.0.1/x': prefix length 'x' is not a number",
           "t.yaml:10:13: error: address fe80::1/64 is IPv6 link-local; the kernel manages IPv6 "
           "link-local addresses",
           "t.yaml:11:13: error: address 224.0.0.5/24 is multicast; an interface address must be "
           "unicast",
           "t.yaml:12:13: error: address 0.0.0.0/0 is unspecified; an interface address must be "
           "unicast",
           "t.yaml:13:13: error: address ::/64 is unspecified; an interface address must be "
           "unicast"});
}

TEST_CASE("sysctl keys become /proc/sys paths: only net.*, no odd characters, no '..'") {
    CHECK(errors(R"(
namespaces:
  a:
    sysctls:
      kernel.panic: 1
      net.ipv4/../../kernel/x: 1
      net.ipv4..x: 1
      net.ipv4.: 1
      "net.ipv4.conf.a b.x": 1
      net: 1
)") == Lines{
           "t.yaml:4:7: error: sysctl 'kernel.panic' is not under `net.`; nstopo sets only "
           "per-namespace `net.*` sysctls",
           "t.yaml:5:7: error: sysctl 'net.ipv4/../../kernel/x' may contain only letters, digits, "
           "'_', "
           "'.' and '-'",
           "t.yaml:6:7: error: sysctl 'net.ipv4..x' contains '..'",
           "t.yaml:7:7: error: sysctl 'net.ipv4.' ends with '.'",
           "t.yaml:8:7: error: sysctl 'net.ipv4.conf.a b.x' may contain only letters, digits, '_', "
           "'.' and '-'",
           "t.yaml:9:7: error: sysctl 'net' is not under `net.`; nstopo sets only per-namespace "
           "`net.*` sysctls"});
}

TEST_CASE("sysctl values are single, non-empty, printable") {
    CHECK(errors(R"(
namespaces:
  a:
    sysctls:
      net.core.somaxconn: [1, 2]
      net.core.netdev_max_backlog:
      net.ipv4.tcp_rmem: "   "
      net.ipv4.tcp_wmem: "1\x072"
)") == Lines{
           "t.yaml:4:27: error: sysctl 'net.core.somaxconn' must be a single value, got a list",
           "t.yaml:5:7: error: sysctl 'net.core.netdev_max_backlog' must be a single value, got "
           "nothing",
           "t.yaml:6:26: error: sysctl 'net.ipv4.tcp_rmem' has an empty value",
           "t.yaml:7:26: error: sysctl 'net.ipv4.tcp_wmem' has a control character in its value"});
}

TEST_CASE("a forwarding sysctl that contradicts `forwarding:`") {
    CHECK(errors(R"(
namespaces:
  r:
    forwarding: true
    sysctls:
      net.ipv4.ip_forward: 0
      net.ipv6.conf.all.forwarding: 1
  s:
    forwarding: false
    sysctls: { net.ipv6.conf.all.forwarding: true }
)") == Lines{"t.yaml:5:7: error: sysctl 'net.ipv4.ip_forward' is '0' but `forwarding: true` sets "
             "it to "
             "'1'",
             "t.yaml:9:16: error: sysctl 'net.ipv6.conf.all.forwarding' is '1' but `forwarding: "
             "false` "
             "sets it to '0'"});
}

TEST_CASE("every error of a file is reported in one run, in file order") {
    const Lines got = errors(R"(
veths:
  - [a/a0, c/b0]
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24], mtu: 10 }
  b:
    interfaces:
      b0: { addresses: [10.0.0.1/24], stat: up }
name: "two words"
)");
    CHECK(got ==
          Lines{"t.yaml:2:12: error: namespace 'c' of veth end 'c/b0' is not declared under "
                "`namespaces`",
                "t.yaml:6:44: error: `mtu` must be an integer from 68 to 65535, got '10'",
                "t.yaml:9:7: error: no veth creates interface 'b/b0'; add one to `veths` or "
                "remove this entry",
                "t.yaml:9:25: error: address 10.0.0.1 is already assigned to interface 'a/a0' "
                "(line 6)",
                "t.yaml:9:39: error: unknown key 'stat' in interface 'b0'; did you mean 'state'?",
                "t.yaml:10:7: error: lab name 'two words' contains whitespace or a NUL byte"});
}
