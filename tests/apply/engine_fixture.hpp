// What engine tests share: an engine over a fake kernel and a state directory of its own, and
// loading a lab from text.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "fake_kernel.hpp"
#include "nstopo/config.hpp"
#include "nstopo/engine.hpp"
#include "temp_dir.hpp"

namespace nstopo::test {

struct EngineFixture {
    TempDir dir;
    StateStore store{dir.path};
    FakeKernel kernel;
    Engine engine{kernel, store};
};

// The topology of `text`, which must load.
inline Topology load_lab(const std::string& text) {
    auto r = load_topology_text(text, "lab.yaml");
    if (!r.ok()) FAIL("topology does not load: " << format_diagnostic(r.diagnostics.front()));
    return *r.topology;
}

}  // namespace nstopo::test
