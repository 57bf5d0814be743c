// Files whose shape is wrong: YAML syntax, document kind, unknown and duplicate keys, wrong types,
// bad names and bad scalar values. Each asserts the exact diagnostics: position and message.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("YAML syntax errors carry yaml-cpp's position") {
    CHECK(errors(R"(
veths:
  - [a/x, b/y
)") == Lines{"t.yaml:3:1: error: invalid YAML: end of sequence flow not found"});
    CHECK(errors("name: a\n  bad: indent\n") ==
          Lines{"t.yaml:2:6: error: invalid YAML: illegal map value"});
}

TEST_CASE("a file without a document, or with two") {
    CHECK(errors("") == Lines{"t.yaml:1:1: error: the file is empty"});
    CHECK(errors("# only a comment\n\n") == Lines{"t.yaml:1:1: error: the file is empty"});
    CHECK(errors("---\n") == Lines{"t.yaml:1:1: error: the file is empty"});
    CHECK(errors("name: a\n---\nname: b\n") == Lines{"t.yaml:2:1: error: a topology file holds one "
                                                     "YAML document; a second one starts here"});
}

TEST_CASE("the document must be a map") {
    CHECK(
        errors("- ns01\n- ns02\n") ==
        Lines{"t.yaml:1:1: error: the top level must be a map of name, namespaces, veths and host, "
              "got a list"});
    CHECK(
        errors("hello\n") ==
        Lines{"t.yaml:1:1: error: the top level must be a map of name, namespaces, veths and host, "
              "got 'hello'"});
}

TEST_CASE("unknown keys, with the nearest known key when it looks like a typo") {
    // (An unknown interface key: see test_diagnostics.cpp, which prints the whole diagnostic.)
    CHECK(errors("namespace: {}\nprobes: []\n") ==
          Lines{"t.yaml:1:1: error: unknown key 'namespace' at the top level; did you mean "
                "'namespaces'?",
                "t.yaml:2:1: error: unknown key 'probes' at the top level"});
    CHECK(errors(R"(
namespaces:
  r:
    Forwarding: true
    sysctl: {}
)") == Lines{"t.yaml:3:5: error: unknown key 'Forwarding' in namespace 'r'; did you mean "
             "'forwarding'?",
             "t.yaml:4:5: error: unknown key 'sysctl' in namespace 'r'; did you mean 'sysctls'?"});
}

TEST_CASE("unknown keys in routes, veth ends and host") {
    CHECK(errors(R"(
namespaces:
  r:
    routes:
      - { to: 10.0.0.0/24, gateway: 10.0.0.1 }
)") == Lines{"t.yaml:4:9: error: a route needs `via` or `dev`",
             "t.yaml:4:28: error: unknown key 'gateway' in route; did you mean 'via'?"});
    CHECK(errors(R"(
namespaces: { a: {} }
veths:
  - [{ namespace: a, interface: a0, kind: veth }, h0]
)") == Lines{"t.yaml:3:37: error: unknown key 'kind' in veth end"});
    CHECK(errors(R"(
host:
  interface: {}
  sysctls: {}
)") == Lines{"t.yaml:2:3: error: unknown key 'interface' in `host`; did you mean 'interfaces'?",
             "t.yaml:3:3: error: `sysctls` is not allowed in `host`; the host namespace takes "
             "`interfaces`, `bridges`, `routes` and `uplink` only"});
}

TEST_CASE("wrong types say what was expected and what was found") {
    CHECK(errors("namespaces: [ns01]\nveths: {a: b}\nhost: up\nname: {}\n") ==
          Lines{"t.yaml:1:13: error: `namespaces` must be a map of namespace names, got a list",
                "t.yaml:2:8: error: `veths` must be a list of veths, got a map",
                "t.yaml:3:7: error: `host` must be a map, got 'up'",
                "t.yaml:4:7: error: `name` must be a string, got a map"});
    CHECK(errors(R"(
namespaces:
  a: hello
  b:
    interfaces: [b0]
  c:
    interfaces:
      c0: [x]
      c1: { addresses: 10.0.0.1/24 }
      c2: { addresses: [{ ip: 10.0.0.2/24 }] }
    routes: { to: default }
    sysctls: [net.ipv4.ip_forward]
  d:
    routes: [default]
veths: [[c/c0, h0], [c/c1, h1], [c/c2, h2]]
)") == Lines{"t.yaml:2:6: error: namespace 'a' must be a map, got 'hello'",
             "t.yaml:4:17: error: `interfaces` must be a map of interface names, got a list",
             "t.yaml:7:11: error: interface 'c0' must be a map, got a list",
             "t.yaml:8:24: error: `addresses` must be a list, got '10.0.0.1/24'",
             "t.yaml:9:25: error: an address must be a string, got a map",
             "t.yaml:10:13: error: `routes` must be a list, got a map",
             "t.yaml:11:14: error: `sysctls` must be a map of sysctl keys to values, got a list",
             "t.yaml:13:14: error: a route must be a map, got 'default'"});
}

TEST_CASE("duplicate keys are reported, not silently merged") {
    CHECK(errors(R"(
namespaces:
  ns01: {}
  ns02: {}
  ns01: { forwarding: true, forwarding: false }
)") == Lines{"t.yaml:4:3: error: duplicate key 'ns01' (first at line 2)",
             "t.yaml:4:29: error: duplicate key 'forwarding' (first at line 4)"});
}

TEST_CASE("map keys must be strings") {
    CHECK(errors("? [a, b]\n: c\n") ==
          Lines{"t.yaml:1:3: error: a map key must be a string, got a list"});
}

TEST_CASE("namespace names that cannot be a file under the netns directory") {
    const std::string long_name(65, 'n');
    CHECK(errors("namespaces:\n  \"a b\": {}\n  .: {}\n  \"..\": {}\n  a/b: {}\n  \"\": {}\n  "
                 "\"x\\0y\": {}\n  " +
                 long_name + ": {}\n") ==
          Lines{"t.yaml:2:3: error: namespace name 'a b' contains whitespace or a NUL byte",
                "t.yaml:3:3: error: namespace name '.' is not a usable name",
                "t.yaml:4:3: error: namespace name '..' is not a usable name",
                "t.yaml:5:3: error: namespace name 'a/b' contains '/'",
                "t.yaml:6:3: error: namespace name is empty",
                "t.yaml:7:3: error: namespace name 'x\\x00y' contains whitespace or a NUL byte",
                "t.yaml:8:3: error: namespace name '" + std::string(40, 'n') +
                    "...' is 65 bytes long (at most 64)"});
}

TEST_CASE("interface names of veth ends") {
    CHECK(errors(R"(
namespaces: { a: {} }
veths:
  - [a/this-is-too-long-0, h0]
  - [a/x:1, h1]
  - [a/., h2]
  - [a/, h3]
  - ["a/x y", h4]
  - [a/b/c, h5]
  - [/x, h6]
  - [a/lo, h7]
  - [{ namespace: a }, h8]
  - [{ namespace: "", interface: x }, h9]
)") == Lines{
           "t.yaml:3:6: error: interface name 'this-is-too-long-0' is 18 bytes long (at most 15)",
           "t.yaml:4:6: error: interface name 'x:1' contains ':'",
           "t.yaml:5:6: error: interface name '.' is not a usable name",
           "t.yaml:6:6: error: interface name is empty",
           "t.yaml:7:6: error: interface name 'x y' contains whitespace or a NUL byte",
           "t.yaml:8:6: error: veth end 'a/b/c' has more than one '/'; write NAMESPACE/INTERFACE, "
           "or INTERFACE for the host",
           "t.yaml:9:6: error: veth end '/x' has an empty namespace; write 'x' for an end in the "
           "host",
           "t.yaml:10:6: error: a veth end cannot be named 'lo'; that name belongs to the loopback "
           "device",
           "t.yaml:11:6: error: a veth end needs `interface`",
           "t.yaml:12:19: error: namespace name is empty; leave `namespace` out for an end in the "
           "host"});
}

TEST_CASE("a veth is a list of exactly two ends") {
    CHECK(errors(R"(
veths:
  - [h0, h1, h2]
  - { a: h3, b: h4 }
  - [h5, [h6]]
  -
  - [h7, h8]
)") == Lines{"t.yaml:2:5: error: a veth must have exactly 2 ends, got 3",
             "t.yaml:3:5: error: a veth must be a list of two ends, got a map",
             "t.yaml:4:10: error: a veth end must be NAMESPACE/INTERFACE, INTERFACE or a map, got "
             "a list",
             "t.yaml:6:3: error: a veth must have exactly 2 ends, got 0"});
}

TEST_CASE("interface values: mtu, mac, state") {
    CHECK(errors(R"(
namespaces:
  a:
    interfaces:
      a0: { mtu: 67, mac: "01:00:5e:00:00:01", state: on }
      a1: { mtu: 65536, mac: "00:00:00:00:00:00", state: UP }
      a2: { mtu: "1500", mac: 00-11-22-33-44 }
      a3: { mtu: 1500.0 }
veths: [[a/a0, h0], [a/a1, h1], [a/a2, h2], [a/a3, h3]]
)") == Lines{"t.yaml:4:18: error: `mtu` must be an integer from 68 to 65535, got '67'",
             "t.yaml:4:27: error: `mac` 01:00:5e:00:00:01 is multicast (the low bit of its first "
             "byte is "
             "set)",
             "t.yaml:4:55: error: `state` must be up or down, got 'on'",
             "t.yaml:5:18: error: `mtu` must be an integer from 68 to 65535, got '65536'",
             "t.yaml:5:30: error: `mac` 00:00:00:00:00:00 is all zeros",
             "t.yaml:5:58: error: `state` must be up or down, got 'UP'",
             "t.yaml:6:18: error: `mtu` must be an integer from 68 to 65535, got the quoted string "
             "'1500'",
             "t.yaml:6:31: error: `mac` '00-11-22-33-44' is not a MAC address (write "
             "aa:bb:cc:dd:ee:ff)",
             "t.yaml:7:18: error: `mtu` must be an integer from 68 to 65535, got '1500.0'"});
}

TEST_CASE("namespace values: forwarding, loopback, and lo's own keys") {
    CHECK(errors(R"(
namespaces:
  a:
    forwarding: yes
    loopback: off
  b:
    forwarding: "true"
    loopback: down
    interfaces:
      lo: { addresses: [127.0.0.2/8], state: up, mac: 02:00:00:00:00:01 }
  c:
    forwarding:
)") == Lines{"t.yaml:3:17: error: `forwarding` must be true or false, got 'yes'",
             "t.yaml:4:15: error: `loopback` must be up or down, got 'off'",
             "t.yaml:6:17: error: `forwarding` must be true or false, got the quoted string 'true'",
             "t.yaml:9:39: error: `state` is not allowed on 'lo'; set the namespace's `loopback: "
             "up|down` "
             "instead",
             "t.yaml:9:50: error: `mac` cannot be set on 'lo'",
             "t.yaml:11:5: error: `forwarding` must be true or false, got nothing"});
}

TEST_CASE("the lab name: from `name:` or from the file name") {
    CHECK(errors("name: my lab\n") ==
          Lines{"t.yaml:1:7: error: lab name 'my lab' contains whitespace or a NUL byte"});
    CHECK(
        errors("name: lab!\n") ==
        Lines{"t.yaml:1:7: error: lab name 'lab!' contains '!'; use only letters, digits, '_', '.' "
              "and '-'"});
    const std::string long_name(33, 'l');
    CHECK(errors("name: " + long_name + "\n") ==
          Lines{"t.yaml:1:7: error: lab name '" + long_name + "' is 33 bytes long (at most 32)"});
    CHECK(errors("name: ..\n") == Lines{"t.yaml:1:7: error: lab name '..' is not a usable name"});
    CHECK(errors("name: \"\"\n") == Lines{"t.yaml:1:7: error: lab name is empty"});
    CHECK(
        errors("namespaces: {}\n", "labs/my lab.yaml") ==
        Lines{
            "labs/my lab.yaml:1:1: error: lab name 'my lab' contains whitespace or a NUL byte (the "
            "name comes from the file name; set `name:`)"});
    CHECK(errors("name: fine\n", "labs/my lab.yaml").empty());
}
