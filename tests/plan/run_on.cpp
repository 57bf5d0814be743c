#include "run_on.hpp"

#include "nstopo/execute.hpp"

namespace nstopo::test {

void run_on(Kernel& kernel, const Plan& plan) {
    execute(plan, kernel);
}

Plan converge(Kernel& kernel, const Topology& desired, const LabClaims& claims) {
    Plan p = plan(desired, kernel.observe(scope_for(desired, claims)), claims);
    run_on(kernel, p);
    return p;
}

}  // namespace nstopo::test
