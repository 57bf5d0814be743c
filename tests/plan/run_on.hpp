// Running plans in planner tests: through the real executor (src/apply), against a kernel.
#pragma once

#include "nstopo/kernel.hpp"
#include "nstopo/plan.hpp"

namespace nstopo::test {

// execute(plan, kernel): every operation that is not implied, then the wait for the host links
// the plan frees asynchronously. Kernel errors propagate.
void run_on(Kernel& kernel, const Plan& plan);

// Observes what `desired` needs, plans and runs the plan; returns it.
Plan converge(Kernel& kernel, const Topology& desired, const LabClaims& claims = {});

}  // namespace nstopo::test
