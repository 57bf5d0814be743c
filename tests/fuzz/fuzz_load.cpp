// libFuzzer target: any bytes through load + validate (load_topology_text). Besides the
// sanitizers' checks, the loader's own contract is checked: it never throws, a topology comes back
// exactly when there is no error, every diagnostic is located and formats, and the number of
// diagnostics is bounded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nstopo/config.hpp"

namespace {

[[noreturn]] void broken(const char* contract) {
    __builtin_printf("contract broken: %s\n", contract);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const nstopo::LoadResult r = nstopo::load_topology_text(text, "fuzz.yaml");
    bool has_error = false;
    for (const auto& d : r.diagnostics) {
        has_error = has_error || d.severity == nstopo::Severity::error;
        if (d.where.file != "fuzz.yaml") broken("a diagnostic names another file");
        if (nstopo::format_diagnostic(d).empty()) broken("a diagnostic formats to nothing");
    }
    if (r.ok() == has_error) broken("a topology comes back exactly when there is no error");
    if (r.diagnostics.size() > nstopo::kMaxDiagnostics + 1) broken("too many diagnostics");
    return 0;
}
