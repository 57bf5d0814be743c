// Names that load but may be taken for other names: warned about at the name, the file loads.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("a name holding a bidirectional control is warned about where it is written") {
    CHECK(warnings(R"(
namespaces:
  "ns\u202e10": {}
veths:
  - ["ns\u202e10/a\u2067b", h0]
)") == Lines{"t.yaml:2:3: warning: namespace name 'ns\\u202e10' holds the bidirectional control "
             "U+202E, which can make it print as another name",
             "t.yaml:4:6: warning: interface name 'a\\u2067b' holds the bidirectional control "
             "U+2067, which can make it print as another name"});
}

TEST_CASE(
    "names mixing Latin letters with Cyrillic or Greek ones, and namespaces that look alike") {
    // "nѕ01": U+0455 CYRILLIC SMALL LETTER DZE; "ѕсоре": Cyrillic letters only; "ΑΒ-1": Greek.
    CHECK(warnings("namespaces:\n  ns01: {}\n  n\xd1\x95"
                   "01: {}\n  scope: {}\n"
                   "  \xd1\x95\xd1\x81\xd0\xbe\xd1\x80\xd0\xb5: {}\n  AB-1: {}\n"
                   "  \xce\x91\xce\x92-1: {}\n") ==
          Lines{"t.yaml:3:3: warning: namespace name 'n\xd1\x95"
                "01' mixes Latin letters with "
                "Cyrillic ones, some of which look like Latin letters",
                "t.yaml:3:3: warning: namespace name 'n\xd1\x95"
                "01' looks like namespace 'ns01' "
                "(line 2)",
                "t.yaml:5:3: warning: namespace name '\xd1\x95\xd1\x81\xd0\xbe\xd1\x80\xd0\xb5' "
                "looks like namespace 'scope' (line 4)",
                "t.yaml:7:3: warning: namespace name '\xce\x91\xce\x92-1' looks like namespace "
                "'AB-1' (line 6)"});
    // The first one written is the one looked like, whatever the order of the names.
    CHECK(
        warnings("namespaces:\n  \xd0\xb0: {}\n  a: {}\n") ==
        Lines{"t.yaml:3:3: warning: namespace name 'a' looks like namespace '\xd0\xb0' (line 2)"});
}

TEST_CASE("warnings and errors of one file are reported together, in file order") {
    CHECK(errors("namespaces:\n  n\xd1\x95"
                 "01: {}\n  \"a\\x01\": {}\n") ==
          Lines{"t.yaml:2:3: warning: namespace name 'n\xd1\x95"
                "01' mixes Latin letters with "
                "Cyrillic ones, some of which look like Latin letters",
                "t.yaml:3:3: error: namespace name 'a\\x01' contains a control character"});
}
