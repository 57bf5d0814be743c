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
    const auto course = yaml_files(fs::path(NSTOPO_TOPOLOGIES_DIR) / "course");
    REQUIRE(course.size() == 3);
    files.insert(files.end(), course.begin(), course.end());
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
        const TopologyText t = read_topology_file(f);
        REQUIRE(t.text);
        CHECK(likely_lab_name(*t.text, f) == r.topology->name);
    }
}

TEST_CASE("the likely lab name: a top-level name line, else the file's stem") {
    const auto guess = [](const std::string& text) { return likely_lab_name(text, "/x/f.yaml"); };
    CHECK(guess("namespaces: {}\nname: lab1\n") == "lab1");
    CHECK(guess("name: lab2   # the lab\nnamespaces: {}\n") == "lab2");
    CHECK(guess("name: 'lab 3'\n") == "lab 3");
    CHECK(guess("name: \"lab4\"\r\n") == "lab4");
    CHECK(guess("name: lab5") == "lab5");                      // no newline at the end
    CHECK(guess("namespaces:\n  x:\n    name: no\n") == "f");  // not top-level
    CHECK(guess("names: no\nname:\nnamespaces: {}\n") == "f");
    CHECK(guess("name:lab\n") == "f");  // no mapping key without a space
    CHECK(guess("") == "f");
}

TEST_CASE("a topology file is read once, bounded, or refused with the loader's diagnostics") {
    nstopo::test::TempDir dir;
    std::ofstream(dir.path / "lab.yaml") << "name: lab1\n";
    const TopologyText t = read_topology_file(dir.path / "lab.yaml");
    REQUIRE(t.text);
    CHECK(*t.text == "name: lab1\n");

    // A device that never ends: read up to just past the size limit, then left to the loader.
    const TopologyText zero = read_topology_file("/dev/zero");
    REQUIRE(zero.text);
    CHECK(zero.text->size() > kMaxTopologyFileBytes);
    CHECK(zero.text->size() <= kMaxTopologyFileBytes + 65536);

    const TopologyText missing = read_topology_file(dir.path / "absent.yaml");
    CHECK_FALSE(missing.text);
    CHECK_FALSE(missing.unreadable.ok());
    REQUIRE(missing.unreadable.diagnostics.size() == 1);
    CHECK(missing.unreadable.diagnostics[0].message ==
          "cannot read the file: No such file or directory");
    CHECK(load_topology_file(dir.path / "absent.yaml").diagnostics[0].message ==
          missing.unreadable.diagnostics[0].message);
}
