// Ordering of plan operations: by phase, then by (namespace, object) within a phase.
#pragma once

#include <array>
#include <vector>

#include "nstopo/plan.hpp"

namespace nstopo::detail {

// Operations collected by phase, emitted sorted.
class PhaseBuckets {
  public:
    void add(Operation o);
    // Appends every phase, each sorted by (namespace, object): namespaces to routes for bring-up,
    // routes to namespaces for removals.
    void append_forward(std::vector<Operation>& out);
    void append_reverse(std::vector<Operation>& out);

  private:
    static constexpr std::size_t kPhases = static_cast<std::size_t>(Phase::processes) + 1;
    void append_phase(std::size_t phase, std::vector<Operation>& out);
    std::array<std::vector<Operation>, kPhases> ops_;
};

}  // namespace nstopo::detail
