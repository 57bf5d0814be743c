// Every lab file loads cleanly; every deliberately bad schema sample is refused by the loader too.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "load_helpers.hpp"
#include "temp_dir.hpp"

using namespace nstopo;
namespace fs = std::filesystem;

namespace {

// The *.yaml files of `dir`, sorted; none if it does not exist.
std::vector<fs::path> yaml_files(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".yaml") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string all_diagnostics(const LoadResult& r) {
    std::string out;
    for (const auto& d : r.diagnostics) out += format_diagnostic(d);
    return out;
}

}  // namespace

TEST_CASE("every lab in topologies/ and every sample lab loads without diagnostics") {
    auto files = yaml_files(NSTOPO_TOPOLOGIES_DIR);
    const auto samples = yaml_files(fs::path(NSTOPO_CONFIG_TEST_DATA) / "good");
    REQUIRE(samples.size() >= 4);
    files.insert(files.end(), samples.begin(), samples.end());
    for (const auto& f : files) {
        const auto r = load_topology_file(f);
        INFO(f.string() << "\n" << all_diagnostics(r));
        CHECK(r.ok());
        CHECK(r.diagnostics.empty());
    }
}

TEST_CASE("every sample the schema must refuse, the loader refuses too") {
    const auto files = yaml_files(fs::path(NSTOPO_CONFIG_TEST_DATA) / "schema-bad");
    REQUIRE(files.size() >= 5);
    for (const auto& f : files) {
        const auto r = load_topology_file(f);
        INFO(f.string());
        CHECK_FALSE(r.ok());
        CHECK_FALSE(r.diagnostics.empty());
    }
}

TEST_CASE("the likely lab name of every lab and sample is the name it loads with") {
    auto files = yaml_files(NSTOPO_TOPOLOGIES_DIR);
    const auto samples = yaml_files(fs::path(NSTOPO_CONFIG_TEST_DATA) / "good");
    files.insert(files.end(), samples.begin(), samples.end());
    for (const auto& f : files) {
        const auto r = load_topology_file(f);
        REQUIRE(r.ok());
        INFO(f.string());
        CHECK(likely_lab_name(f) == r.topology->name);
    }
}

TEST_CASE("the likely lab name: a top-level name line, else the file's stem") {
    nstopo::test::TempDir dir;
    const auto guess = [&](const std::string& file, const std::string& text) {
        std::ofstream(dir.path / file) << text;
        return likely_lab_name(dir.path / file);
    };
    CHECK(guess("a.yaml", "namespaces: {}\nname: lab1\n") == "lab1");
    CHECK(guess("b.yaml", "name: lab2   # the lab\nnamespaces: {}\n") == "lab2");
    CHECK(guess("c.yaml", "name: 'lab 3'\n") == "lab 3");
    CHECK(guess("d.yaml", "name: \"lab4\"\r\n") == "lab4");
    CHECK(guess("e.yaml", "namespaces:\n  x:\n    name: no\n") == "e");  // not top-level
    CHECK(guess("f.yaml", "names: no\nname:\nnamespaces: {}\n") == "f");
    CHECK(guess("g.yaml", "name:lab\n") == "g");  // no mapping key without a space
    CHECK(likely_lab_name(dir.path / "absent.yaml") == "absent");
}

TEST_CASE("the likely lab name of a device that never ends is its stem, after a bounded read") {
    CHECK(likely_lab_name("/dev/zero") == "zero");
}
