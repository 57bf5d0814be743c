// `host: uplink:` through the engine and the fake kernel: each host sysctl recorded with its
// previous value before it is changed, set back by destroy (and not when someone changed it
// since, with a warning); the host table loaded and removed; rootless mode refuses it.
#include <catch2/catch.hpp>

#include "engine_fixture.hpp"
#include "nstopo/error.hpp"

using namespace nstopo;

namespace {

using Fixture = nstopo::test::EngineFixture;
using nstopo::test::load_lab;

const char* const kUplink = R"(name: up
namespaces:
  r:
    forwarding: true
    interfaces:
      veth1: { addresses: [10.1.1.1/24] }
    routes:
      - { to: default, via: 10.1.1.2 }
veths:
  - [veth0, r/veth1]
host:
  interfaces:
    veth0: { addresses: [10.1.1.2/24] }
  uplink: { out: eth0, subnets: [10.1.1.0/24] }
)";

const std::string kOut = "net.ipv4.conf.eth0.forwarding";
const std::string kEnd = "net.ipv4.conf.veth0.forwarding";

}  // namespace

TEST_CASE_METHOD(Fixture, "an uplink's host sysctls are recorded with their previous values") {
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    kernel.set_sysctl_by_hand(kHostNamespace, "net.ipv4.conf.default.forwarding", "0");
    const Topology lab = load_lab(kUplink);
    // The record is saved before the plan runs: a set that fails leaves it holding the key.
    kernel.fail_next("set_sysctl", EIO);
    CHECK_THROWS_AS(engine.apply(lab, "lab.yaml"), Error);
    auto record = store.load("up");
    REQUIRE(record);
    REQUIRE(record->host_sysctls.contains(kOut));
    CHECK(record->host_sysctls.at(kOut) == HostSysctl{"0", "1"});
    CHECK(record->host_tables.contains("ip nstopo-up"));

    engine.apply(lab, "lab.yaml");
    CHECK(kernel.sysctl(kHostNamespace, kOut) == "1");
    CHECK(kernel.sysctl(kHostNamespace, kEnd) == "1");
    CHECK(kernel.sysctl(kHostNamespace, kIpv4Forwarding) == "0");
    CHECK(kernel.tables(kHostNamespace).contains("ip nstopo-up"));
    record = store.load("up");
    CHECK(record->host_sysctls.at(kOut) == HostSysctl{"0", "1"});
    CHECK(record->phase == LabPhase::applied);
    CHECK(engine.plan(lab).empty());

    const DestroyResult r = engine.destroy("up");
    CHECK(r.warnings.empty());
    CHECK(kernel.sysctl(kHostNamespace, kOut) == "0");
    CHECK(kernel.tables(kHostNamespace).empty());
    CHECK_FALSE(kernel.has_link(kHostNamespace, "veth0"));
}

TEST_CASE_METHOD(Fixture, "a host sysctl someone changed after the lab is left, with a warning") {
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    engine.apply(load_lab(kUplink), "lab.yaml");
    kernel.set_sysctl_by_hand(kHostNamespace, kOut, "2");
    const DestroyResult r = engine.destroy("up");
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings.front(),
               Catch::Contains("host sysctl net.ipv4.conf.eth0.forwarding is 2"));
    CHECK(kernel.sysctl(kHostNamespace, kOut) == "2");
}

TEST_CASE_METHOD(Fixture, "an already forwarding out is neither changed nor recorded") {
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    kernel.set_sysctl_by_hand(kHostNamespace, kOut, "1");
    engine.apply(load_lab(kUplink), "lab.yaml");
    CHECK_FALSE(store.load("up")->host_sysctls.contains(kOut));
    engine.destroy("up");
    CHECK(kernel.sysctl(kHostNamespace, kOut) == "1");
}

TEST_CASE("rootless mode refuses an uplink before anything changes") {
    nstopo::test::TempDir dir;
    StateStore store{dir.path};
    nstopo::test::FakeKernel kernel;
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    EngineOptions options;
    options.rootless = true;
    Engine engine{kernel, store, options};
    const Topology lab = load_lab(kUplink);
    try {
        engine.apply(lab, "lab.yaml");
        FAIL("apply took an uplink in rootless mode");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::permission);
        CHECK_THAT(e.message(), Catch::Contains("not permitted in rootless mode"));
    }
    CHECK_THROWS_AS(engine.plan(lab), Error);
    CHECK(kernel.journal().empty());
    CHECK_FALSE(store.load("up"));
}

TEST_CASE_METHOD(Fixture, "two uplinks out of one interface: the last lab to go sets it back") {
    kernel.add_link(kHostNamespace, "eth0", LinkKind::other);
    std::string second = kUplink;
    for (const auto& [from, to] :
         std::vector<std::pair<std::string, std::string>>{{"name: up", "name: up2"},
                                                          {"veth0", "veth2"},
                                                          {"veth1", "veth3"},
                                                          {"  r:", "  r2:"},
                                                          {"r/", "r2/"},
                                                          {"10.1.1.", "10.1.2."}}) {
        for (auto at = second.find(from); at != std::string::npos;
             at = second.find(from, at + to.size()))
            second.replace(at, from.size(), to);
    }
    engine.apply(load_lab(kUplink), "lab.yaml");
    engine.apply(load_lab(second), "lab2.yaml");
    CHECK(store.load("up2")->host_sysctls.at(kOut) == HostSysctl{"0", "1"});

    SECTION("the first one goes first") {
        CHECK(engine.destroy("up").warnings.empty());
        CHECK(kernel.sysctl(kHostNamespace, kOut) == "1");  // up2 still needs it
        CHECK(engine.plan(load_lab(second)).empty());
        engine.destroy("up2");
        CHECK(kernel.sysctl(kHostNamespace, kOut) == "0");
    }
    SECTION("the second one goes first") {
        engine.destroy("up2");
        CHECK(kernel.sysctl(kHostNamespace, kOut) == "1");
        engine.destroy("up");
        CHECK(kernel.sysctl(kHostNamespace, kOut) == "0");
    }
}
