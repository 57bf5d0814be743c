// `checks:`: what a check reads into, and every way one can be wrong, located.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

const char* const kLab = R"(
namespaces:
  a:
    interfaces:
      a0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
  b:
    interfaces:
      b0: { addresses: [10.0.0.2/24, "2001:db8::2/64"] }
veths: [[a/a0, b/b0]]
checks:
)";

std::string lab_with(const std::string& checks) {
    return kLab + checks;
}

}  // namespace

TEST_CASE("checks read in file order with their defaults") {
    const Topology t = loaded(lab_with(R"(  - { from: a, to: 10.0.0.2 }
  - { from: b, to: "2001:db8::1", source: "2001:db8::2", via: "2001:db8::1", expect: reachable }
  - { from: a, to: 10.0.0.9, expect: unreachable }
  - { from: a, to: 127.0.0.1 }
  - { from: a, to: "::1" }
)"));
    REQUIRE(t.checks.size() == 5);
    CHECK(t.checks[0].str() == "a -> 10.0.0.2");
    CHECK(t.checks[0].expect_reachable);
    CHECK(t.checks[0].where.str() == "t.yaml:10:5");
    CHECK(t.checks[1].str() == "b -> 2001:db8::1 from 2001:db8::2 via 2001:db8::1");
    CHECK(t.checks[2].str() == "a -> 10.0.0.9");
    CHECK_FALSE(t.checks[2].expect_reachable);
}

TEST_CASE("checks take no part in a topology's equality") {
    Topology with = loaded(lab_with("  - { from: a, to: 10.0.0.2 }\n"));
    const Topology without = loaded(lab_with("  []\n"));
    CHECK(with == without);
}

TEST_CASE("every way a check can be wrong, each located") {
    CHECK(errors(lab_with(R"(  - { from: a, to: 10.0.0.2 }
  - { from: bb, to: 10.0.0.2 }
  - { from: host, to: 10.0.0.2 }
  - { from: a, to: 10.0.0.300 }
  - { from: a, to: 10.0.0.2, expect: maybe }
  - { from: a, to: 10.0.0.2, source: "2001:db8::1" }
  - { from: a, to: "2001:db8::2", via: 10.0.0.2 }
  - { from: a, to: 10.0.0.2, source: 10.0.0.9 }
  - { from: a, to: 8.8.8.8 }
  - { to: 10.0.0.2, tries: 3 }
  - { from: a, to: 224.0.0.1 }
  - [a, 10.0.0.2]
)")) == Lines{"t.yaml:11:13: error: namespace 'bb' of check is not declared under `namespaces`; "
              "did you mean 'b'?",
              "t.yaml:12:13: error: namespace 'host' of check is not declared under "
              "`namespaces`; checks start in lab namespaces only, never in the host",
              "t.yaml:13:20: error: `to` '10.0.0.300' is not an IPv4 or IPv6 address",
              "t.yaml:14:38: error: `expect` must be reachable or unreachable, got 'maybe'",
              "t.yaml:15:38: error: `source` 2001:db8::1 is IPv6 but `to` 10.0.0.2 is IPv4",
              "t.yaml:16:40: error: `via` 10.0.0.2 is IPv4 but `to` 2001:db8::2 is IPv6",
              "t.yaml:17:38: error: `source` 10.0.0.9 is not an address of namespace 'a'",
              "t.yaml:18:20: error: `to` 8.8.8.8 is outside every subnet of the lab; checks only "
              "send traffic inside the lab",
              "t.yaml:19:5: error: a check needs `from`, the lab namespace it starts in",
              "t.yaml:19:21: error: unknown key 'tries' in check",
              "t.yaml:20:20: error: `to` 224.0.0.1 is not a unicast address",
              "t.yaml:21:5: error: a check must be a map of name, from, to, source, via, expect, "
              "tcp, wait and hint, got a list"});
}

TEST_CASE("checks must be a list") {
    CHECK(errors(lab_with("  5\n")) ==
          Lines{"t.yaml:10:3: error: `checks` must be a list of checks, got '5'"});
}

TEST_CASE("tcp and wait checks read their port and seconds") {
    const Topology t = loaded(lab_with(R"(  - { from: a, to: 10.0.0.2, tcp: 8080 }
  - { from: a, to: 10.0.0.2, tcp: 1, via: 10.0.0.2, wait: 30, expect: unreachable }
  - { from: b, to: "2001:db8::1", tcp: 65535, wait: 2.5 }
  - { from: a, to: 10.0.0.2, wait: 0.001 }
  - { from: a, to: 10.0.0.2, wait: 600 }
)"));
    REQUIRE(t.checks.size() == 5);
    CHECK(t.checks[0].tcp == 8080);
    CHECK_FALSE(t.checks[0].wait);
    CHECK(t.checks[0].str() == "a -> 10.0.0.2 tcp 8080");
    CHECK(t.checks[1].tcp == 1);
    CHECK(t.checks[1].wait == std::chrono::seconds(30));
    CHECK(t.checks[1].str() == "a -> 10.0.0.2 tcp 1 via 10.0.0.2");
    CHECK_FALSE(t.checks[1].expect_reachable);
    CHECK(t.checks[2].tcp == 65535);
    CHECK(t.checks[2].wait == std::chrono::milliseconds(2500));
    CHECK_FALSE(t.checks[3].tcp);
    CHECK(t.checks[3].wait == std::chrono::milliseconds(1));
    CHECK(t.checks[4].wait == kMaxCheckWait);
}

TEST_CASE("a tcp port or a wait out of range, each located") {
    CHECK(errors(lab_with(R"(  - { from: a, to: 10.0.0.2, tcp: 0 }
  - { from: a, to: 10.0.0.2, tcp: 65536 }
  - { from: a, to: 10.0.0.2, tcp: http }
  - { from: a, to: 10.0.0.2, tcp: "80" }
  - { from: a, to: 10.0.0.2, tcp: -1 }
  - { from: a, to: 10.0.0.2, wait: 0 }
  - { from: a, to: 10.0.0.2, wait: -5 }
  - { from: a, to: 10.0.0.2, wait: 601 }
  - { from: a, to: 10.0.0.2, wait: 1.2345 }
  - { from: a, to: 10.0.0.2, wait: 1e3 }
  - { from: a, to: 10.0.0.2, wait: 30s }
  - { from: a, to: 10.0.0.2, wait: [30] }
  - { from: a, to: 10.0.0.2, wait: 0.0004 }
  - { from: a, to: 10.0.0.2, port: 80 }
)")) == Lines{"t.yaml:10:35: error: `tcp` must be an integer from 1 to 65535, got '0'",
              "t.yaml:11:35: error: `tcp` must be an integer from 1 to 65535, got '65536'",
              "t.yaml:12:35: error: `tcp` must be an integer from 1 to 65535, got 'http'",
              "t.yaml:13:35: error: `tcp` must be an integer from 1 to 65535, got the quoted "
              "string '80'",
              "t.yaml:14:35: error: `tcp` must be an integer from 1 to 65535, got '-1'",
              "t.yaml:15:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '0'",
              "t.yaml:16:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '-5'",
              "t.yaml:17:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '601'",
              "t.yaml:18:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '1.2345'",
              "t.yaml:19:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '1e3'",
              "t.yaml:20:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '30s'",
              "t.yaml:21:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got a list",
              "t.yaml:22:36: error: `wait` must be a number of seconds above 0 and at most 600 "
              "(at most three decimals), got '0.0004'",
              "t.yaml:23:30: error: unknown key 'port' in check"});
}

TEST_CASE("a check's name and hint") {
    const Topology t = loaded(lab_with(R"(  - name: a reaches b
    from: a
    to: 10.0.0.2
    hint: "Is b's address in a's subnet? Look at `nstopo exec b -- ip addr`."
  - { from: a, to: 10.0.0.2 }
)"));
    REQUIRE(t.checks.size() == 2);
    CHECK(t.checks[0].name == "a reaches b");
    CHECK(t.checks[0].label() == "a reaches b");
    CHECK(t.checks[0].str() == "a -> 10.0.0.2");
    CHECK(t.checks[0].hint == "Is b's address in a's subnet? Look at `nstopo exec b -- ip addr`.");
    CHECK(t.checks[1].name.empty());
    CHECK(t.checks[1].label() == "a -> 10.0.0.2");
    CHECK(t.checks[1].hint.empty());
}

TEST_CASE("a name or hint that is empty, not one line, too long or shared, each located") {
    CHECK(errors(lab_with(R"(  - { name: one, from: a, to: 10.0.0.2 }
  - { name: one, from: a, to: 10.0.0.2 }
  - { name: "", from: a, to: 10.0.0.2 }
  - { name: "two\nlines", from: a, to: 10.0.0.2 }
  - { hint: [look], from: a, to: 10.0.0.2 }
  - { hint: "  ", from: a, to: 10.0.0.2 }
  - { name: )" + std::string(201, 'x') +
                          R"(, from: a, to: 10.0.0.2 }
)")) == Lines{"t.yaml:11:13: error: two checks are named 'one' (the first at t.yaml:10:5)",
              "t.yaml:12:13: error: `name` is empty",
              "t.yaml:13:13: error: `name` holds a control character (a line break, a tab, an "
              "escape)",
              "t.yaml:14:13: error: `hint` must be a line of text, got a list",
              "t.yaml:15:13: error: `hint` is empty",
              "t.yaml:16:13: error: `name` is longer than 200 bytes"});
}
