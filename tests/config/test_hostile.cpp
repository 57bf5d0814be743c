// Hostile input: each case must end quickly with one located error; finishing is the proof.
#include <cstdint>

#include "load_helpers.hpp"

using namespace nstopo;
using namespace nstopo::testing;

TEST_CASE("a file over the size limit is refused before parsing") {
    const std::string text = "name: x\n" + std::string(kMaxTopologyFileBytes, '#');
    CHECK(errors(text) == Lines{"t.yaml:1:1: error: file too large: more than 4194304 bytes"});
}

TEST_CASE("a NUL byte or invalid UTF-8 is refused with its position") {
    CHECK(errors(std::string("name: x\nnam\0e: y\n", 17)) ==
          Lines{"t.yaml:2:4: error: the file contains a NUL byte"});
    CHECK(errors("name: x\n# caf\xc3\xa9 \xff\n") ==
          Lines{"t.yaml:2:9: error: the file is not valid UTF-8 (byte 0xff)"});
    CHECK(errors("name: \xc0\xaf\n") ==
          Lines{"t.yaml:1:7: error: the file is not valid UTF-8 (byte 0xc0)"});
    // The source line under the message is printable: bad bytes show as '?'.
    const auto r = load_topology_text("a: \x01\xfe\n", "t.yaml");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].source_line == "a: ??");
}

namespace {

// 64 KiB of deterministic junk: any byte, or (printable) only ASCII 32..126 and newlines, which
// passes the byte checks and reaches the YAML parser.
std::string junk(bool printable) {
    std::string out;
    std::uint32_t x = 12345;
    for (int i = 0; i < 65536; ++i) {
        x = x * 1103515245u + 12345u;
        const auto r = (x >> 16) & 0xff;
        out += !printable    ? static_cast<char>(r)
               : r % 16 == 0 ? '\n'
                             : static_cast<char>(32 + r % 95);
    }
    return out;
}

}  // namespace

TEST_CASE("binary junk gets a located error") {
    for (const bool printable : {false, true}) {
        const auto r = load_topology_text(junk(printable), "junk.bin");
        INFO("printable: " << printable);
        REQUIRE(r.diagnostics.size() == 1);
        CHECK_FALSE(r.ok());
        CHECK(r.diagnostics[0].where.known());
    }
}

TEST_CASE("an alias bomb stops at the node limit") {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        const auto prev = "*a" + std::to_string(i - 1);
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
        for (int j = 1; j < 10; ++j) text += ", " + prev;
        text += "]\n";
    }
    const Lines got = errors(text);
    REQUIRE(got.size() == 1);
    CHECK(got[0].starts_with("t.yaml:6:"));
    CHECK(
        got[0].ends_with(": error: document too large: more than 200000 nodes after expanding "
                         "aliases"));
}

TEST_CASE("an alias inside the node it names is refused") {
    CHECK(errors("a: &x [1, *x]\n") ==
          Lines{"t.yaml:1:11: error: an alias cannot refer to a node that contains it"});
    CHECK(errors("a: *nowhere\n") ==
          Lines{"t.yaml:1:4: error: invalid YAML: the referenced anchor is not defined"});
}

TEST_CASE("a 3 MB scalar is read and refused with a short message") {
    const std::string big(3 * 1024 * 1024, 'x');
    CHECK(errors("name: " + big + "\n") ==
          Lines{"t.yaml:1:7: error: lab name '" + std::string(40, 'x') +
                "...' is 3145728 bytes long (at most 32)"});
    CHECK(errors("namespaces:\n  a: " + big + "\n") ==
          Lines{"t.yaml:2:6: error: namespace 'a' must be a map, got '" + std::string(40, 'x') +
                "...'"});
    // YAML allows at most 1024 characters in an implicit key: yaml-cpp stops at the ':'.
    CHECK(errors("namespaces:\n  " + big + ": {}\n") ==
          Lines{"t.yaml:2:3145731: error: invalid YAML: illegal map value"});
}

TEST_CASE("deep nesting is refused") {
    CHECK(errors("a: " + std::string(100, '[') + std::string(100, ']') + "\n") ==
          Lines{"t.yaml:1:67: error: the document nests too deeply"});
    // Unclosed, yaml-cpp reads each "[" after the first as a map whose key is a list: two levels.
    CHECK(errors(std::string(5000, '[')) ==
          Lines{"t.yaml:1:33: error: the document nests too deeply"});
}

TEST_CASE("a file that cannot be read") {
    const auto missing = load_topology_file("/nonexistent/lab.yaml");
    REQUIRE(missing.diagnostics.size() == 1);
    CHECK(format_diagnostic(missing.diagnostics[0]) ==
          "/nonexistent/lab.yaml: error: cannot read the file: No such file or directory\n");
    const auto dir = load_topology_file("/");
    REQUIRE(dir.diagnostics.size() == 1);
    CHECK(dir.diagnostics[0].message == "cannot read the file: it is a directory");
    CHECK_FALSE(dir.ok());
}
