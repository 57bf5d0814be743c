// A minimal, test-only executor (the real one is src/apply): runs a plan's operations in order.
#pragma once

#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"

namespace nstopo::test {

// Runs every operation that is not implied, then waits (observing at most 100 times) for the host
// links the plan marks implied to vanish. Kernel errors propagate.
void run_on(Kernel& kernel, const Plan& plan);

// Observes what `desired` needs, plans and runs the plan; returns it.
Plan converge(Kernel& kernel, const Topology& desired, const PlanOptions& options = {});

}  // namespace nstopo::test
