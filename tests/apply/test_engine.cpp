#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fake_kernel.hpp"
#include "nstopo/config.hpp"
#include "nstopo/engine.hpp"
#include "nstopo/error.hpp"
#include "temp_dir.hpp"

using namespace nstopo;
using nstopo::test::FakeKernel;

namespace {

namespace fs = std::filesystem;

using nstopo::test::TempDir;

// The usual setup: an engine over a fake kernel and a fresh state directory.
struct EngineFixture {
    TempDir dir;
    StateStore store{dir.path};
    FakeKernel kernel;
    Engine engine{kernel, store};
};

Topology load(const std::string& text, const std::string& file = "lab.yaml") {
    auto r = load_topology_text(text, file);
    if (!r.ok()) {
        std::string all;
        for (const auto& d : r.diagnostics) all += format_diagnostic(d);
        FAIL("topology does not load:\n" << all);
    }
    return *r.topology;
}

const char* const kPair = R"(name: pair
namespaces:
  ns01:
    interfaces:
      ns01-veth0: { addresses: [192.168.0.1/24] }
    routes:
      - { to: 10.0.0.0/8, via: 192.168.0.2 }
  ns02:
    interfaces:
      ns02-veth0: { addresses: [192.168.0.2/24] }
veths:
  - [ns01/ns01-veth0, ns02/ns02-veth0]
)";

const char* const kHostLink = R"(name: host-link
namespaces:
  netns1:
    interfaces:
      veth1: { addresses: [10.1.1.1/24] }
veths:
  - [veth0, netns1/veth1]
host:
  interfaces:
    veth0: { addresses: [10.1.1.2/24] }
)";

}  // namespace

TEST_CASE_METHOD(EngineFixture,
                 "apply converges, records ownership, and a second apply changes nothing") {
    const Topology lab = load(kPair);

    const ApplyResult first = engine.apply(lab, "/labs/pair.yaml");
    CHECK(first.report.executed_by_kind.at("create-namespace") == 2);
    CHECK(first.report.executed_by_kind.at("create-veth") == 1);
    CHECK(first.report.executed_by_kind.at("add-route") == 1);
    CHECK(kernel.has_link("ns01", "ns01-veth0"));
    CHECK(kernel.sysctl("ns01", "net.ipv4.ip_forward") == "0");

    const auto record = store.load("pair");
    REQUIRE(record);
    CHECK(record->phase == LabPhase::applied);
    CHECK(record->source == "/labs/pair.yaml");
    CHECK(record->namespaces == std::set<std::string>{"ns01", "ns02"});
    CHECK(record->desired == lab);

    kernel.clear_journal();
    const ApplyResult second = engine.apply(lab, "/labs/pair.yaml");
    CHECK(second.plan.empty());
    CHECK(second.report.total_executed() == 0);
    CHECK(kernel.journal().empty());
}

TEST_CASE_METHOD(
    EngineFixture,
    "a failure halfway leaves a record that apply converges from and destroy cleans up") {
    const Topology lab = load(kPair);

    kernel.fail_next("add_route", ENETUNREACH);
    try {
        engine.apply(lab, "pair.yaml");
        FAIL("apply should have failed");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kernel);
        REQUIRE(e.where());
        // The route's line in the file: the failure names the YAML that asked for it.
        CHECK(e.where()->line == 7);
        REQUIRE(e.kernel());
        CHECK(e.kernel()->errno_value == ENETUNREACH);
        CHECK(e.kernel()->ns == "ns01");
    }
    const auto record = store.load("pair");
    REQUIRE(record);
    CHECK(record->phase == LabPhase::applying);
    CHECK(record->namespaces == std::set<std::string>{"ns01", "ns02"});

    // Destroy works from the record; then nothing remains and the record is gone.
    const DestroyResult d = engine.destroy("pair");
    CHECK(d.found);
    CHECK_FALSE(kernel.has_namespace("ns01"));
    CHECK_FALSE(kernel.has_namespace("ns02"));
    CHECK_FALSE(store.load("pair"));

    // And a re-run of apply converges from scratch.
    engine.apply(lab, "pair.yaml");
    CHECK(engine.plan(lab).empty());
}

TEST_CASE("destroy removes everything, verifies, and a second destroy finds nothing") {
    TempDir dir;
    StateStore store(dir.path);
    FakeKernel kernel;
    kernel.set_free_delay(3);  // the host end of the veth vanishes only after a while
    Engine engine(kernel, store);
    engine.apply(load(kHostLink), "host-link.yaml");
    REQUIRE(kernel.has_link("", "veth0"));

    kernel.clear_journal();
    const DestroyResult d = engine.destroy("host-link");
    CHECK(d.found);
    CHECK_FALSE(kernel.has_namespace("netns1"));
    CHECK_FALSE(kernel.has_link("", "veth0"));
    // The namespace deletion frees the host end: it is not deleted one by one.
    CHECK(kernel.journal() == std::vector<std::string>{"delete_namespace netns1"});
    CHECK(d.report.implied > 0);

    const DestroyResult again = engine.destroy("host-link");
    CHECK_FALSE(again.found);
}

TEST_CASE_METHOD(EngineFixture, "destroy falls back to the kernel marks when the record is gone") {
    engine.apply(load(kPair), "pair.yaml");
    kernel.add_unmarked_namespace("bystander");
    store.remove("pair");

    const DestroyResult d = engine.destroy("pair", {}, /*from_marks=*/true);
    CHECK(d.found);
    CHECK_FALSE(kernel.has_namespace("ns01"));
    CHECK_FALSE(kernel.has_namespace("ns02"));
    CHECK(kernel.has_namespace("bystander"));
}

TEST_CASE_METHOD(EngineFixture,
                 "two labs may not claim one name, and nothing changes when they try") {
    engine.apply(load(kPair), "pair.yaml");
    kernel.clear_journal();

    std::string other = kPair;
    other.replace(other.find("name: pair"), 10, "name: twin");
    try {
        engine.apply(load(other, "twin.yaml"), "twin.yaml");
        FAIL("the second lab should have been refused");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::conflict);
        CHECK(e.message() ==
              "lab 'twin' claims names another lab owns:\n"
              "  twin.yaml:3:3: namespace 'ns01' belongs to lab 'pair'\n"
              "  twin.yaml:8:3: namespace 'ns02' belongs to lab 'pair'");
    }
    CHECK(kernel.journal().empty());
    CHECK_FALSE(store.load("twin"));
}

TEST_CASE_METHOD(EngineFixture,
                 "a foreign namespace or host interface is refused before any change") {
    kernel.add_link("", "veth0", LinkKind::other);
    CHECK_THROWS_AS(engine.apply(load(kHostLink), "host-link.yaml"), Error);
    CHECK(kernel.journal().empty());
    CHECK_FALSE(store.load("host-link"));
    CHECK(kernel.has_link("", "veth0"));

    // A destroy of a lab that never came up leaves the foreign link alone.
    CHECK_FALSE(engine.destroy("host-link").found);
    CHECK(kernel.has_link("", "veth0"));
}

namespace {
// A kernel that accepts set_mtu but does nothing: apply must notice.
class ForgetfulKernel : public FakeKernel {
  public:
    void set_mtu(const std::string&, const std::string&, std::uint32_t) override {}
};
}  // namespace

TEST_CASE("apply verifies by re-observing and lists what did not converge") {
    TempDir dir;
    StateStore store(dir.path);
    ForgetfulKernel kernel;
    Engine engine(kernel, store);
    std::string text = kPair;
    text.replace(text.find("[192.168.0.2/24] }"), 18, "[192.168.0.2/24], mtu: 1400 }");
    try {
        engine.apply(load(text), "pair.yaml");
        FAIL("apply should have failed verification");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::verification);
        CHECK(e.message() ==
              "apply finished but the kernel does not match lab 'pair'; these operations are "
              "still pending:\n  ~ set mtu 1400 on ns02-veth0 in ns02");
    }
}

TEST_CASE("one apply or destroy at a time per lab") {
    TempDir dir;
    StateStore store(dir.path);
    FakeKernel kernel;
    Engine engine(kernel, store, EngineOptions{std::chrono::milliseconds(50), {}, {}});
    const FileLock held = store.lock_lab("pair", std::chrono::milliseconds(0));
    try {
        engine.apply(load(kPair), "pair.yaml");
        FAIL("apply should have been refused");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::busy);
        CHECK(e.message().rfind("lab 'pair' is busy: another nstopo is applying or destroying it",
                                0) == 0);
    }
    CHECK(kernel.journal().empty());
    CHECK_THROWS_AS(engine.destroy("pair"), Error);
}

TEST_CASE_METHOD(EngineFixture, "status shows each lab with its drift") {
    engine.apply(load(kPair), "pair.yaml");
    engine.apply(load(kHostLink), "host-link.yaml");

    auto all = engine.status(std::nullopt);
    REQUIRE(all.size() == 2);
    CHECK(all[0].record.lab == "host-link");
    CHECK(all[1].record.lab == "pair");
    CHECK(all[1].drift.empty());
    CHECK(all[1].observed.namespaces.size() == 2);
    CHECK(all[0].observed.host_interfaces.contains("veth0"));

    kernel.set_link_state("ns02", "ns02-veth0", LinkState::down);
    const auto pair = engine.status("pair");
    REQUIRE(pair.size() == 1);
    REQUIRE(pair[0].drift.operations.size() >= 1);
    CHECK(describe(pair[0].drift.operations[0]) == "~ set link ns02-veth0 up in ns02");
    CHECK_THROWS_AS(engine.status("nope"), Error);
}

TEST_CASE_METHOD(EngineFixture, "a damaged record stops its own lab only") {
    engine.apply(load(kPair), "pair.yaml");
    std::ofstream(dir.path / "labs" / "junk.json") << "{not json";

    // Another lab applies, warned that junk's names could not be checked.
    const ApplyResult r = engine.apply(load(kHostLink), "host-link.yaml");
    CHECK(kernel.has_namespace("netns1"));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("labs/junk.json\" is not JSON") != std::string::npos);
    CHECK(r.warnings[0].find("the names lab 'junk' owns are unknown") != std::string::npos);

    // status lists it, damaged, beside the others.
    const auto all = engine.status(std::nullopt);
    REQUIRE(all.size() == 3);
    CHECK(all[1].record.lab == "junk");
    CHECK(all[1].damaged.find("labs/junk.json\" is not JSON") != std::string::npos);
    CHECK(all[0].damaged.empty());
    CHECK(all[2].drift.empty());
    CHECK(engine.labs() == std::vector<std::string>{"host-link", "junk", "pair"});

    // Its own destroy stops, naming the file and what to do.
    try {
        engine.destroy("junk");
        FAIL("destroy of a damaged record went on");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::state);
        CHECK(e.message().find("move the file away, then `nstopo destroy --from-marks junk`") !=
              std::string::npos);
    }
    CHECK(engine.destroy("pair").found);
    CHECK(engine.destroy("host-link").found);
    CHECK_FALSE(kernel.has_namespace("ns01"));
}

TEST_CASE_METHOD(EngineFixture, "removing a namespace from the file deletes it and forgets it") {
    engine.apply(load(kPair), "pair.yaml");
    const Topology smaller = load(R"(name: pair
namespaces:
  ns01: {}
)");
    engine.apply(smaller, "pair.yaml");
    CHECK(kernel.has_namespace("ns01"));
    CHECK_FALSE(kernel.has_namespace("ns02"));
    CHECK_FALSE(kernel.has_link("ns01", "ns01-veth0"));
    CHECK(store.load("pair")->namespaces == std::set<std::string>{"ns01"});
}

namespace {
// A fake kernel that counts its readings.
class CountingKernel : public FakeKernel {
  public:
    Topology observe(const ObserveScope& scope) override {
        ++observes;
        return FakeKernel::observe(scope);
    }
    int observes = 0;
};

struct PrepareFixture {
    TempDir dir;
    StateStore store{dir.path};
    CountingKernel kernel;
    Engine engine{kernel, store, EngineOptions{std::chrono::milliseconds(0), {}, {}}};
};
}  // namespace

TEST_CASE_METHOD(PrepareFixture, "prepare needs a record and a free lock, and creates nothing") {
    CHECK_FALSE(engine.prepare("pair"));
    CHECK_FALSE(engine.prepare("no/such lab"));
    CHECK_FALSE(fs::exists(dir.path / "locks"));
    CHECK(kernel.observes == 0);

    engine.apply(load(kPair), "pair.yaml");
    {
        const FileLock held = store.lock_lab("pair", std::chrono::milliseconds(0));
        CHECK_FALSE(engine.prepare("pair"));
    }
    {
        const auto prepared = engine.prepare("pair");
        REQUIRE(prepared);
        CHECK(prepared->record.phase == LabPhase::applied);
        CHECK(prepared->observed.namespaces.size() == 2);
        // It holds the lab's lock: another apply waits for it.
        CHECK_THROWS_AS(store.lock_lab("pair", std::chrono::milliseconds(0)), Error);
    }
    // A record without its lock file (the locks directory cleaned by hand): nothing is made.
    fs::remove_all(dir.path / "locks");
    CHECK_FALSE(engine.prepare("pair"));
    CHECK_FALSE(fs::exists(dir.path / "locks"));
}

TEST_CASE_METHOD(PrepareFixture, "apply uses what was prepared for its lab") {
    const Topology lab = load(kPair);
    engine.apply(lab, "pair.yaml");

    SECTION("the same file: no second reading, nothing done") {
        auto prepared = engine.prepare("pair");
        kernel.observes = 0;
        kernel.clear_journal();
        CHECK(engine.apply(lab, "pair.yaml", {}, std::move(prepared)).plan.empty());
        CHECK(kernel.observes == 0);
        CHECK(kernel.journal().empty());
    }
    SECTION("the reading stands for the apply; a change made after it is the next apply's") {
        auto prepared = engine.prepare("pair");
        kernel.set_link_state("ns02", "ns02-veth0", LinkState::down);
        CHECK(engine.apply(lab, "pair.yaml", {}, std::move(prepared)).plan.empty());
        CHECK(describe(engine.apply(lab, "pair.yaml").plan.operations.at(0)) ==
              "~ set link ns02-veth0 up in ns02");
    }
    SECTION("a file that needs more read: read again") {
        auto prepared = engine.prepare("pair");
        std::string text = kPair;
        text.replace(text.find("veths:"), 6, "  ns03: {}\nveths:");
        kernel.observes = 0;
        const ApplyResult r = engine.apply(load(text), "pair.yaml", {}, std::move(prepared));
        CHECK(kernel.observes == 2);  // the plan's reading and the verification
        CHECK(kernel.has_namespace("ns03"));
    }
    SECTION("prepared for another lab: let go, and the file's own lab is applied") {
        engine.apply(load(kHostLink), "host-link.yaml");
        auto prepared = engine.prepare("host-link");
        REQUIRE(prepared);
        kernel.set_link_state("ns02", "ns02-veth0", LinkState::down);
        const ApplyResult r = engine.apply(lab, "pair.yaml", {}, std::move(prepared));
        CHECK_FALSE(r.plan.empty());
        CHECK_NOTHROW(store.lock_lab("host-link", std::chrono::milliseconds(0)));
    }
}

TEST_CASE_METHOD(
    EngineFixture,
    "an unset mtu is the kind's default: one changed by hand is drift, and apply sets it back") {
    const Topology lab = load(kPair);
    engine.apply(lab, "pair.yaml");
    kernel.set_mtu("ns02", "ns02-veth0", 1300);

    const auto status = engine.status("pair");
    REQUIRE(status.size() == 1);
    CHECK(to_text(status[0].drift) == "~ set mtu 1500 on ns02-veth0 in ns02\n");
    CHECK(to_text(engine.plan(lab)) == "~ set mtu 1500 on ns02-veth0 in ns02\n");
    engine.apply(lab, "pair.yaml");
    CHECK(engine.plan(lab).empty());
}

TEST_CASE_METHOD(
    EngineFixture,
    "an unset mac stays as first created: one changed by hand is drift, and apply sets it back") {
    const Topology lab = load(kPair);
    engine.apply(lab, "pair.yaml");
    const auto first = kernel.observe(scope_for(lab, {})).find_interface("ns01", "ns01-veth0")->mac;
    REQUIRE(first);
    const auto record = store.load("pair");
    REQUIRE(record);
    CHECK(record->macs.at(VethEnd{"ns01", "ns01-veth0"}) == *first);
    CHECK(record->desired == lab);  // the record keeps the file's topology as it was written

    const MacAddress by_hand = *MacAddress::parse("02:00:00:00:99:99");
    kernel.set_mac("ns01", "ns01-veth0", by_hand);
    const auto status = engine.status("pair");
    CHECK(to_text(status[0].drift) == "~ set mac " + first->str() + " on ns01-veth0 in ns01\n");
    engine.apply(lab, "pair.yaml");
    CHECK(kernel.observe(scope_for(lab, {})).find_interface("ns01", "ns01-veth0")->mac == first);

    // A second apply changes nothing and keeps the record as it is.
    kernel.clear_journal();
    CHECK(engine.apply(lab, "pair.yaml").plan.empty());
    CHECK(kernel.journal().empty());
}

TEST_CASE_METHOD(EngineFixture, "a mac the file sets is the file's, not pinned") {
    std::string text = kPair;
    const std::string written = "ns01-veth0: { addresses";
    text.replace(text.find(written), written.size(),
                 "ns01-veth0: { mac: 02:00:00:00:00:01, addresses");
    const Topology lab = load(text);
    engine.apply(lab, "pair.yaml");
    const auto record = store.load("pair");
    CHECK_FALSE(record->macs.contains(VethEnd{"ns01", "ns01-veth0"}));
    CHECK(record->macs.contains(VethEnd{"ns02", "ns02-veth0"}));
}

TEST_CASE_METHOD(
    EngineFixture,
    "a namespace deleted and made again by hand under a recorded name is not the lab's") {
    const Topology lab = load(kPair);
    engine.apply(lab, "pair.yaml");
    REQUIRE(store.load("pair")->identities.namespaces.at("ns01") == kernel.identity("ns01"));
    kernel.delete_namespace("ns01");
    kernel.add_unmarked_namespace("ns01");
    kernel.add_link("ns01", "precious", LinkKind::veth);

    CHECK_THROWS_AS(engine.plan(lab), Error);
    const auto status = engine.status("pair");
    CHECK(status[0].problem ==
          "namespace 'ns01' already exists and was not created by lab 'pair' (use --adopt ns01 "
          "to take it over)");
    kernel.clear_journal();
    CHECK_THROWS_AS(engine.apply(lab, "pair.yaml"), Error);
    CHECK(kernel.journal().empty());

    // Even wearing the lab's mark: the recorded identity decides.
    kernel.set_mark("ns01", "lo", "pair");
    engine.destroy("pair");
    CHECK(kernel.has_link("ns01", "precious"));
    CHECK_FALSE(kernel.has_namespace("ns02"));
}

TEST_CASE_METHOD(EngineFixture,
                 "a namespace someone makes under a name the record lists before it is created is "
                 "never the lab's") {
    const Topology lab = load(kPair);
    // An apply recorded both names, then someone made ns02 first (unmarked, with a link).
    store.save(LabRecord{"pair",
                         "pair.yaml",
                         LabPhase::applying,
                         {"ns01", "ns02"},
                         {},
                         lab,
                         {},
                         {},
                         {},
                         {},
                         {},
                         {}});
    kernel.add_unmarked_namespace("ns02");
    kernel.add_link("ns02", "theirs0", LinkKind::veth);
    CHECK_THROWS_AS(engine.apply(lab, "pair.yaml"), Error);
    engine.destroy("pair");
    CHECK(kernel.has_namespace("ns02"));
    CHECK(kernel.has_link("ns02", "theirs0"));
}

TEST_CASE_METHOD(EngineFixture,
                 "the mark alone grants nothing: apply refuses and destroy needs --from-marks") {
    kernel.create_namespace("ns01", "pair");  // hand-made, wearing the lab's mark
    kernel.add_link("ns01", "keepme", LinkKind::veth);
    kernel.clear_journal();
    try {
        engine.apply(load(kPair), "pair.yaml");
        FAIL("apply should have refused the marked namespace");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::conflict);
        CHECK(e.message() ==
              "namespace 'ns01' already exists and was not created by lab 'pair' (use --adopt "
              "ns01 to take it over)");
    }
    CHECK(kernel.journal().empty());
    CHECK(kernel.has_link("ns01", "keepme"));
    store.remove("pair");
    try {
        engine.destroy("pair");
        FAIL("destroy should have asked for --from-marks");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(e.message() ==
              "lab 'pair' has no record, so nothing is its by right; these 1 namespaces wear its "
              "mark: ns01; `nstopo destroy --from-marks pair` deletes them");
    }
    CHECK(kernel.has_namespace("ns01"));
    CHECK(engine.destroy("pair", {}, /*from_marks=*/true).found);
    CHECK_FALSE(kernel.has_namespace("ns01"));
}

TEST_CASE_METHOD(EngineFixture, "a host veth wearing the lab's mark without a record is refused") {
    kernel.add_link("", "veth0", LinkKind::veth, "host-link");
    CHECK_THROWS_AS(engine.apply(load(kHostLink), "host-link.yaml"), Error);
    CHECK(kernel.has_link("", "veth0"));
}

TEST_CASE_METHOD(
    EngineFixture,
    "a namespace an interrupted run deleted is the lab's again once apply makes it anew") {
    const Topology lab = load(kPair);
    engine.apply(lab, "pair.yaml");
    // A destroy killed after deleting ns01: the record still holds ns01's old identity.
    LabRecord interrupted = *store.load("pair");
    interrupted.phase = LabPhase::destroying;
    store.save(interrupted);
    kernel.delete_namespace("ns01");
    // An apply that makes ns01 again and fails before it records the new identity...
    kernel.fail_next("add_route", ENETUNREACH);
    CHECK_THROWS_AS(engine.apply(lab, "pair.yaml"), Error);
    // ...leaves a record by which the new ns01 (wearing the lab's mark) is the lab's.
    engine.apply(lab, "pair.yaml");
    CHECK(engine.plan(lab).empty());
    CHECK(store.load("pair")->identities.namespaces.at("ns01") == kernel.identity("ns01"));
}

TEST_CASE_METHOD(EngineFixture,
                 "a lans: file applies as a switch namespace with its bridge and ports, the record "
                 "keeps the LAN, and a port detached by hand is drift") {
    const Topology lab = load(R"(name: lan
namespaces:
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24] } } }
  h2: { interfaces: { eth0: { addresses: [10.0.1.2/24] } } }
lans:
  lan1: [h1/eth0, h2/eth0]
)");
    const ApplyResult first = engine.apply(lab, "/labs/lan.yaml");
    CHECK(first.report.executed_by_kind.at("create-namespace") == 3);
    CHECK(first.report.executed_by_kind.at("create-veth") == 2);
    CHECK(first.report.executed_by_kind.at("create-bridge") == 1);
    CHECK(first.report.executed_by_kind.at("set-master") == 2);
    CHECK(kernel.has_link("lan1", "br0"));
    CHECK(kernel.has_link("lan1", "h1-eth0"));
    const auto record = store.load("lan");
    REQUIRE(record);
    REQUIRE(record->desired.lans.contains("lan1"));
    CHECK(record->desired.lans == lab.lans);

    kernel.set_master("lan1", "h2-eth0", "");
    const auto status = engine.status("lan");
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].drift.operations.size() == 1);
    CHECK(describe(status[0].drift.operations[0]) == "~ set master of h2-eth0 br0 in lan1");
    CHECK(status[0].record.desired.lans.at("lan1").members.size() == 2);
    const ApplyResult repair = engine.apply(lab, "/labs/lan.yaml");
    CHECK(repair.report.executed_by_kind.at("set-master") == 1);
    CHECK(engine.status("lan")[0].drift.empty());
}

TEST_CASE_METHOD(EngineFixture, "apply and destroy tell a progress display their stages in order") {
    std::vector<std::string> seen;
    std::size_t operations = 0;
    ExecuteOptions o;
    o.on_stage = [&](Stage s, const Plan& p) {
        seen.push_back(to_string(s));
        CHECK(p.operations.size() > 0);
    };
    o.on_operation = [&](const Operation&) { ++operations; };
    const ApplyResult a = engine.apply(load(kHostLink), "host-link.yaml", o);
    CHECK(seen == std::vector<std::string>{"executing", "verifying"});
    CHECK(operations == a.plan.operations.size());

    seen.clear();
    kernel.set_free_delay(3);
    engine.destroy("host-link", o);
    CHECK(seen == std::vector<std::string>{"executing", "settling", "verifying"});

    seen.clear();
    engine.apply(load(kPair), "pair.yaml", o);
    engine.apply(load(kPair), "pair.yaml", o);  // a no-op: nothing runs, nothing to show
    CHECK(seen == std::vector<std::string>{"executing", "verifying"});
}
