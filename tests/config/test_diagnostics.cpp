// How diagnostics print: location, message, the source line and a caret under the column.
#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

namespace {

std::string formatted(std::string_view text, const std::string& file = "labs/t.yaml") {
    std::string out;
    for (const auto& d : load_topology_text(yaml(text), file).diagnostics)
        out += format_diagnostic(d);
    return out;
}

}  // namespace

TEST_CASE("a diagnostic prints its location, message, source line and a caret") {
    CHECK(formatted(R"(
namespaces:
  ns01:
    interfaces:
      ns01-veth0: { adresses: [192.168.0.1/24] }
veths:
  - [ns01/ns01-veth0, veth0]
)") == "labs/t.yaml:4:21: error: unknown key 'adresses' in interface 'ns01-veth0'; did you mean "
       "'addresses'?\n"
       "      ns01-veth0: { adresses: [192.168.0.1/24] }\n"
       "                    ^\n");
}

TEST_CASE("several diagnostics print one after the other, in file order") {
    CHECK(formatted("name: a b\nnamespaces: []\n") ==
          "labs/t.yaml:1:7: error: lab name 'a b' contains whitespace or a NUL byte\n"
          "name: a b\n"
          "      ^\n"
          "labs/t.yaml:2:13: error: `namespaces` must be a map of namespace names, got a list\n"
          "namespaces: []\n"
          "            ^\n");
}

TEST_CASE("the caret follows tabs and counts a multi-byte character once") {
    CHECK(formatted("name: \"x\"   # \xc3\xa9t\xc3\xa9\t\nnamespaces:\n  \"\xc3\xa9 x\":\n") ==
          "labs/t.yaml:3:3: error: namespace name '\xc3\xa9 x' contains whitespace or a NUL byte\n"
          "  \"\xc3\xa9 x\":\n"
          "  ^\n");
    Diagnostic d;
    d.where = {"f.yaml", 1, 8};
    d.message = "m";
    d.source_line = "\t\xc3\xa9t\xc3\xa9: x";
    CHECK(format_diagnostic(d) == "f.yaml:1:8: error: m\n\t\xc3\xa9t\xc3\xa9: x\n\t    ^\n");
}

TEST_CASE("a diagnostic without a position or source line prints only its first line") {
    Diagnostic d;
    d.severity = Severity::warning;
    d.where = {"f.yaml", 0, 0};
    d.message = "something";
    CHECK(format_diagnostic(d) == "f.yaml: warning: something\n");
    d.where = {"f.yaml", 2, 1};
    CHECK(format_diagnostic(d) == "f.yaml:2:1: warning: something\n");
}

TEST_CASE("a very long line is shown as a window around the column") {
    const std::string pad(300, 'a');
    const auto r = load_topology_text("{name: x, x" + pad + ": 1}\n", "t.yaml");
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = r.diagnostics[0];
    CHECK(d.where.column == 11);
    CHECK(d.source_line == "{name: x, x" + std::string(149, 'a') + "...");
    CHECK(d.caret_column == 11);
    const auto far = load_topology_text("{x" + pad + ": 1, name: \"a b\"}\n", "t.yaml");
    REQUIRE(far.diagnostics.size() == 2);
    const Diagnostic& e = far.diagnostics[1];
    CHECK(e.message == "lab name 'a b' contains whitespace or a NUL byte");
    CHECK(e.where.column == 314);
    CHECK(e.source_line == "..." + std::string(69, 'a') + ": 1, name: \"a b\"}");
    CHECK(format_diagnostic(e) == "t.yaml:1:314: error: " + e.message + "\n" + e.source_line +
                                      "\n" + std::string(83, ' ') + "^\n");
}

TEST_CASE("after kMaxDiagnostics errors, one more says the rest were cut") {
    std::string text = "namespaces:\n";
    for (int i = 0; i < 150; ++i) text += "  \"n " + std::to_string(i) + "\": {}\n";
    const auto r = load_topology_text(text, "t.yaml");
    REQUIRE(r.diagnostics.size() == kMaxDiagnostics + 1);
    CHECK(format_diagnostic(r.diagnostics[99]) ==
          "t.yaml:101:3: error: namespace name 'n 99' contains whitespace or a NUL byte\n"
          "  \"n 99\": {}\n"
          "  ^\n");
    CHECK(format_diagnostic(r.diagnostics[100]) ==
          "t.yaml: error: too many errors; only the first 100 are shown\n");
}

TEST_CASE("the source line under a diagnostic shows each byte of a control character as '?'") {
    CHECK(formatted("namespaces:\n  ns\xc2\x9b"
                    "2J: {}\n") ==
          "labs/t.yaml:2:3: error: namespace name 'ns\\u009b2J' contains a control character\n"
          "  ns??2J: {}\n"
          "  ^\n");
}
