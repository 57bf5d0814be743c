// main() for test binaries that touch the kernel: enter the sandbox, then run Catch2.
// Where the sandbox cannot be made (not root, no user namespaces), the binary skips with the
// reason, except under CI (CI=true), which must be able to make it and so fails instead.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sandbox.hpp"

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    const bool listing = session.configData().listTests || session.configData().listTestNamesOnly;
    if (!listing) {
        if (const auto why = nstopo::test::enter_sandbox(); !why.empty()) {
            const char* ci = std::getenv("CI");
            const bool in_ci = ci != nullptr && std::strcmp(ci, "true") == 0;
            std::fprintf(stderr, "%s: cannot make the test sandbox: %s\n", in_ci ? "FAIL" : "SKIP",
                         why.c_str());
            return in_ci ? 1 : nstopo::test::kSkipExitCode;
        }
    }
    return session.run();
}
