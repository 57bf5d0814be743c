// Every lab file loads cleanly; every deliberately bad schema sample is refused by the loader too.
#include <algorithm>
#include <filesystem>

#include "load_helpers.hpp"

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
