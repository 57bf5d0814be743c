// A sysctl the kernel lacks or keeps read-only stops apply and plan before the first change, at
// the YAML that asked for it (it used to fail halfway, after the namespaces were made).
#include <catch2/catch.hpp>

#include "engine_fixture.hpp"
#include "nstopo/error.hpp"

using namespace nstopo;

namespace {

using Fixture = nstopo::test::EngineFixture;
using nstopo::test::load_lab;

const char* const kLab = R"(name: knobs
namespaces:
  a:
    sysctls: { net.ipv4.tcp_syncookies: 0 }
  b:
    sysctls:
      net.core.somaxconn: 512
      net.mpls.platform_labels: 100
)";

Error refusal(Fixture& f, bool apply) {
    const Topology lab = load_lab(kLab);
    try {
        if (apply)
            f.engine.apply(lab, "/labs/knobs.yaml");
        else
            f.engine.plan(lab);
    } catch (const Error& e) {
        return e;
    }
    FAIL("no refusal");
    throw;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "a sysctl the kernel lacks stops apply before anything changes") {
    kernel.set_sysctl_access("net.mpls.platform_labels", SysctlAccess::missing);
    const Error e = refusal(*this, true);
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(exit_code_for(e.kind()) == exit_code::failure);
    CHECK_THAT(e.message(), Catch::StartsWith("cannot set sysctl net.mpls.platform_labels=100: no "
                                              "such sysctl in this kernel") &&
                                Catch::EndsWith("; nothing was changed"));
    REQUIRE(e.where());
    CHECK(e.where()->line == 8);  // the key's own line
    REQUIRE(e.kernel());
    CHECK(e.kernel()->ns == "b");
    CHECK(kernel.journal().empty());
    CHECK_FALSE(store.load("knobs"));
}

TEST_CASE_METHOD(Fixture, "a read-only sysctl stops apply and plan, saying so") {
    kernel.set_sysctl_access("net.core.somaxconn", SysctlAccess::read_only);
    const Error applied = refusal(*this, true);
    CHECK_THAT(applied.message(),
               Catch::Contains("net.core.somaxconn=512: the key is read-only in a lab namespace"));
    CHECK(kernel.journal().empty());
    const Error planned = refusal(*this, false);
    CHECK(planned.message() == applied.message());
}

TEST_CASE_METHOD(Fixture, "writable sysctls are set as before") {
    const Topology lab = load_lab(kLab);
    engine.apply(lab, "/labs/knobs.yaml");
    CHECK(kernel.sysctl("b", "net.core.somaxconn") == "512");
    CHECK(kernel.sysctl("a", "net.ipv4.tcp_syncookies") == "0");
}
