// The executor against the fake kernel: what it runs, what it leaves to the kernel, how it stops.
#include <catch2/catch.hpp>
#include <cerrno>

#include "fake_kernel.hpp"
#include "nstopo/error.hpp"
#include "nstopo/execute.hpp"

using namespace nstopo;
using nstopo::test::FakeKernel;

namespace {

Cidr cidr(const char* s) {
    return *Cidr::parse(s);
}

Operation at_line(Action a, int line) {
    return Operation{std::move(a), SourceLocation{"lab.yaml", line, 5}, {}};
}

Veth veth(const char* a_ns, const char* a, const char* b_ns, const char* b) {
    return Veth{{a_ns, a}, {b_ns, b}, {}};
}

// ns01 and, paired with it, a veth end in the host: as the host-link lab leaves them.
void host_link_lab(FakeKernel& k) {
    execute(Plan{"lab",
                 {at_line(op::CreateNamespace{"ns01"}, 2),
                  at_line(op::CreateVeth{veth("", "veth0", "ns01", "veth1")}, 3)}},
            k);
    k.clear_journal();
}

}  // namespace

TEST_CASE("execute runs every operation in order and counts them by kind") {
    FakeKernel k;
    const Plan p{"lab",
                 {at_line(op::CreateNamespace{"ns01"}, 2), at_line(op::CreateNamespace{"ns02"}, 5),
                  at_line(op::CreateVeth{veth("ns01", "a", "ns02", "b")}, 8),
                  at_line(op::SetLinkState{"ns01", "a", LinkState::up}, 3),
                  at_line(op::AddAddress{"ns01", "a", cidr("10.0.0.1/24")}, 4)}};
    const ExecuteReport r = execute(p, k);
    CHECK(k.journal() == std::vector<std::string>{"create_namespace ns01", "create_namespace ns02",
                                                  "create_veth ns01/a <-> ns02/b",
                                                  "set_link_state ns01/a up",
                                                  "add_address ns01/a 10.0.0.1/24"});
    CHECK(r.total_executed() == 5);
    CHECK(r.executed_by_kind.at("create-namespace") == 2);
    CHECK(r.implied == 0);
}

TEST_CASE("execute reports each operation before it runs, implied ones too") {
    FakeKernel k;
    host_link_lab(k);
    const Plan p{"lab",
                 {Operation{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("ns01")},
                  at_line(op::DeleteNamespace{"ns01"}, 0)}};
    std::vector<std::string> seen;
    ExecuteOptions o;
    o.on_operation = [&](const Operation& op) { seen.push_back(describe(op)); };
    execute(p, k, o);
    CHECK(seen == std::vector<std::string>{"- delete link veth0 in host (with namespace ns01)",
                                           "- delete namespace ns01"});
}

TEST_CASE("implied operations are not executed: the kernel does them") {
    FakeKernel k;
    host_link_lab(k);
    const Plan p{"lab",
                 {Operation{op::DeleteAddress{"ns01", "veth1", cidr("10.1.1.1/24")},
                            {},
                            Cause::namespace_deleted("ns01")},
                  Operation{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("ns01")},
                  at_line(op::DeleteNamespace{"ns01"}, 0)}};
    const ExecuteReport r = execute(p, k);
    CHECK(k.journal() == std::vector<std::string>{"delete_namespace ns01"});
    CHECK(r.implied == 2);
    CHECK(r.total_executed() == 1);
}

TEST_CASE("execute waits for the links a namespace deletion frees asynchronously") {
    FakeKernel k;
    host_link_lab(k);
    k.set_free_delay(3);  // the host end vanishes only after three more observations
    const Plan p{"lab",
                 {Operation{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("ns01")},
                  at_line(op::DeleteNamespace{"ns01"}, 0)}};
    execute(p, k);
    CHECK_FALSE(k.has_link("", "veth0"));
}

TEST_CASE("a link that is never freed is a verification error naming it") {
    FakeKernel k;
    host_link_lab(k);
    k.set_free_delay(1000000);
    const Plan p{"lab",
                 {Operation{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("ns01")},
                  at_line(op::DeleteNamespace{"ns01"}, 0)}};
    ExecuteOptions o;
    o.settle_timeout = std::chrono::milliseconds(50);
    try {
        execute(p, k, o);
        FAIL("execute should have given up waiting");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::verification);
        CHECK(e.message() == "the kernel did not free these interfaces within 50 ms: veth0");
    }
}

TEST_CASE("execute stops at the first kernel error, with the YAML location of its operation") {
    FakeKernel k;
    k.fail_next("create_veth", EEXIST);
    const Plan p{"lab",
                 {at_line(op::CreateNamespace{"ns01"}, 2), at_line(op::CreateNamespace{"ns02"}, 5),
                  at_line(op::CreateVeth{veth("ns01", "a", "ns02", "b")}, 8),
                  at_line(op::SetLinkState{"ns01", "a", LinkState::up}, 3)}};
    try {
        execute(p, k);
        FAIL("execute should have stopped");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kernel);
        REQUIRE(e.where());
        CHECK(e.where()->str() == "lab.yaml:8:5");
        REQUIRE(e.kernel());
        CHECK(e.kernel()->errno_value == EEXIST);
    }
    // Nothing after the failed operation ran.
    CHECK(k.journal().back() == "create_veth ns01/a <-> ns02/b -> EEXIST");
    CHECK(k.has_namespace("ns02"));
    CHECK_FALSE(k.has_link("ns01", "a"));
}

TEST_CASE("an operation without a location keeps the kernel's error as it is") {
    FakeKernel k;
    k.fail_next("delete_namespace", ENOENT);
    try {
        execute(Plan{"lab", {Operation{op::DeleteNamespace{"gone"}, {}, {}}}}, k);
        FAIL("execute should have failed");
    } catch (const Error& e) {
        CHECK_FALSE(e.where());
        CHECK(e.kernel()->errno_value == ENOENT);
    }
}

TEST_CASE("execute tells its stages: executing with the plan, settling only when it waits") {
    FakeKernel k;
    std::vector<std::string> stages;
    ExecuteOptions o;
    o.on_stage = [&](Stage s, const Plan& p) {
        stages.push_back(to_string(s) + " " + std::to_string(p.operations.size()));
    };
    execute(Plan{"lab", {at_line(op::CreateNamespace{"ns01"}, 2)}}, k, o);
    CHECK(stages == std::vector<std::string>{"executing 1"});

    FakeKernel with_host_end;
    host_link_lab(with_host_end);
    stages.clear();
    execute(Plan{"lab",
                 {Operation{op::DeleteLink{"", "veth0"}, {}, Cause::namespace_deleted("ns01")},
                  at_line(op::DeleteNamespace{"ns01"}, 0)}},
            with_host_end, o);
    CHECK(stages == std::vector<std::string>{"executing 2", "settling 2"});
}
