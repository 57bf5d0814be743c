// The engine runs a lab's processes through the fake kernel: started last and recorded before
// they run, restarted when killed or changed, stopped when undeclared and at destroy (daemons
// included), never mistaken for a process that got their pid, and recovered after a kill of
// nstopo halfway.
#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "fake_kernel.hpp"
#include "nstopo/config.hpp"
#include "nstopo/engine.hpp"
#include "nstopo/error.hpp"
#include "temp_dir.hpp"

using namespace nstopo;
using nstopo::test::FakeKernel;
using nstopo::test::TempDir;

namespace {

namespace fs = std::filesystem;

const char* const kLab = R"(name: web
namespaces:
  cli:
    interfaces:
      cli-eth0: { addresses: [10.0.0.1/24] }
  srv:
    interfaces:
      srv-eth0: { addresses: [10.0.0.2/24] }
    processes:
      web:
        command: [python3, -m, http.server, "8080"]
        env: { PYTHONUNBUFFERED: "1" }
veths:
  - [cli/cli-eth0, srv/srv-eth0]
)";

struct ProcessFixture {
    TempDir dir;
    StateStore store{dir.path / "state"};
    FakeKernel kernel;
    Engine engine{kernel, store};

    Topology load(const std::string& text) {
        const auto file = dir.path / "web.yaml";
        std::ofstream(file) << text;
        auto r = load_topology_file(file.string());
        if (!r.ok()) {
            std::string all;
            for (const auto& d : r.diagnostics) all += format_diagnostic(d);
            FAIL("topology does not load:\n" << all);
        }
        return *r.topology;
    }

    ProcessRun recorded(const std::string& ns, const std::string& name) {
        const auto record = store.load("web");
        REQUIRE(record);
        const auto it = record->processes.find({ns, name});
        REQUIRE(it != record->processes.end());
        return it->second;
    }

    bool has_record_of(const std::string& ns, const std::string& name) {
        const auto record = store.load("web");
        return record && record->processes.contains({ns, name});
    }

    std::string journal_text() const {
        std::string all;
        for (const auto& line : kernel.journal()) all += line + "\n";
        return all;
    }
};

std::string with_web_command(const std::string& port) {
    std::string text = kLab;
    const auto at = text.find("\"8080\"");
    return text.replace(at, 6, "\"" + port + "\"");
}

}  // namespace

TEST_CASE_METHOD(
    ProcessFixture,
    "a process is started last, recorded with its log, and a re-apply touches nothing") {
    const Topology lab = load(kLab);
    const ApplyResult first = engine.apply(lab, "web.yaml");
    REQUIRE(first.plan.operations.size() > 1);
    CHECK(describe(first.plan.operations.back()) ==
          "+ start process web in srv: python3 -m http.server 8080");
    CHECK(kernel.journal().back() == "start_process srv web: python3 -m http.server 8080");
    CHECK(first.report.executed_by_kind.at("start-process") == 1);
    CHECK(kernel.processes_in("srv") == 1);

    const ProcessRun run = recorded("srv", "web");
    CHECK(run.definition == lab.namespaces.at("srv").processes.at("web").definition_hash());
    CHECK(run.log == (dir.path / "state" / "logs" / "web" / "srv" / "web.log").string());
    CHECK(kernel.log_of("srv", "web") == run.log);
    CHECK(fs::is_directory(fs::path(run.log).parent_path()));

    kernel.clear_journal();
    const ApplyResult again = engine.apply(lab, "web.yaml");
    CHECK(again.plan.empty());
    CHECK(kernel.journal().empty());
    CHECK(recorded("srv", "web") == run);

    const auto status = engine.status("web");
    REQUIRE(status.size() == 1);
    CHECK(status[0].drift.empty());
    const auto& seen = status[0].observed.namespaces.at("srv").processes.at("web");
    REQUIRE(seen.run);
    CHECK(seen.run->state == ProcessState::running);
    CHECK(seen.run->id == run.id);
}

TEST_CASE_METHOD(ProcessFixture, "a process killed by hand is started again by the next apply") {
    const Topology lab = load(kLab);
    engine.apply(lab, "web.yaml");
    const ProcessRun before = recorded("srv", "web");
    kernel.kill_process(before.id.pid);

    const auto status = engine.status("web");
    CHECK(status[0].observed.namespaces.at("srv").processes.at("web").run->state ==
          ProcessState::exited);
    CHECK(to_text(status[0].drift) == "+ start process web in srv: python3 -m http.server 8080\n");

    kernel.clear_journal();
    engine.apply(lab, "web.yaml");
    CHECK(journal_text() == "start_process srv web: python3 -m http.server 8080\n");
    CHECK(recorded("srv", "web").id != before.id);
    CHECK(kernel.processes_in("srv") == 1);
}

TEST_CASE_METHOD(ProcessFixture, "a pid handed to another process is not mistaken for the lab's") {
    const Topology lab = load(kLab);
    engine.apply(lab, "web.yaml");
    const int pid = recorded("srv", "web").id.pid;
    kernel.kill_process(pid);
    kernel.reuse_pid(pid);  // same pid, another start time, another program
    CHECK(to_text(engine.plan(lab)) == "+ start process web in srv: python3 -m http.server 8080\n");
    kernel.clear_journal();
    engine.apply(lab, "web.yaml");
    // The stranger is neither stopped nor taken for the lab's process.
    CHECK(journal_text() == "start_process srv web: python3 -m http.server 8080\n");
    CHECK(kernel.live_processes() == 2);
}

TEST_CASE_METHOD(ProcessFixture,
                 "a changed process is restarted, with the new definition recorded") {
    engine.apply(load(kLab), "web.yaml");
    const ProcessRun before = recorded("srv", "web");
    const Topology changed = load(with_web_command("8081"));
    CHECK(to_text(engine.plan(changed)) ==
          "~ restart process web in srv: python3 -m http.server 8081\n");
    kernel.clear_journal();
    engine.apply(changed, "web.yaml");
    CHECK(journal_text() == "stop_process srv pid " + std::to_string(before.id.pid) +
                                "\nstart_process srv web: python3 -m http.server 8081\n");
    CHECK(recorded("srv", "web").definition ==
          changed.namespaces.at("srv").processes.at("web").definition_hash());
    CHECK(kernel.command_of("srv", "web") == "python3 -m http.server 8081");
    CHECK(kernel.processes_in("srv") == 1);
}

TEST_CASE_METHOD(ProcessFixture, "a process no longer declared is stopped and forgotten") {
    engine.apply(load(kLab), "web.yaml");
    std::string text = kLab;
    text.erase(text.find("    processes:"), text.find("veths:") - text.find("    processes:"));
    const Topology without = load(text);
    CHECK(to_text(engine.plan(without)) == "- stop process web in srv\n");
    engine.apply(without, "web.yaml");
    CHECK(kernel.processes_in("srv") == 0);
    CHECK_FALSE(has_record_of("srv", "web"));
    CHECK(engine.plan(without).empty());
}

TEST_CASE_METHOD(ProcessFixture,
                 "destroy stops the processes, then any daemon left, before the namespaces go") {
    engine.apply(load(kLab), "web.yaml");
    const int pid = recorded("srv", "web").id.pid;
    kernel.fork_daemon(pid);  // left its group: stop_process alone does not reach it
    REQUIRE(kernel.processes_in("srv") == 2);
    kernel.clear_journal();
    const DestroyResult r = engine.destroy("web");
    CHECK(r.found);
    const auto& j = kernel.journal();
    REQUIRE(j.size() >= 3);
    CHECK(j[0] == "stop_process srv pid " + std::to_string(pid));
    CHECK(j[1] == "stop_processes_in cli srv");
    CHECK(j[2].rfind("delete_namespace ", 0) == 0);
    CHECK(kernel.live_processes() == 0);
    CHECK_FALSE(store.load("web"));
    CHECK_FALSE(fs::exists(dir.path / "state" / "logs" / "web"));
}

TEST_CASE_METHOD(ProcessFixture,
                 "a process that cannot start names itself and its line, and a re-run converges") {
    const Topology lab = load(kLab);
    kernel.fail_next("start_process", ENOENT);
    try {
        engine.apply(lab, "web.yaml");
        FAIL("apply did not fail");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::kernel);
        REQUIRE(e.where());
        CHECK(e.where()->str() == (dir.path / "web.yaml").string() + ":10:7");
        CHECK(std::string(e.what()).find("start process") != std::string::npos);
    }
    // Everything before it stays applied.
    CHECK(kernel.has_link("srv", "srv-eth0"));
    CHECK(to_text(engine.plan(lab)) == "+ start process web in srv: python3 -m http.server 8080\n");
    engine.apply(lab, "web.yaml");
    CHECK(kernel.processes_in("srv") == 1);
    CHECK(engine.plan(lab).empty());
}

TEST_CASE_METHOD(ProcessFixture,
                 "nstopo killed after recording a process, before its exec: a re-run converges") {
    const Topology lab = load(kLab);
    kernel.set_next_start(FakeKernel::StartFate::nstopo_killed);
    CHECK_THROWS_AS(engine.apply(lab, "web.yaml"), Error);
    // The record already names it (so destroy would stop it); it never ran.
    CHECK(has_record_of("srv", "web"));
    CHECK(kernel.processes_in("srv") == 0);
    engine.apply(lab, "web.yaml");
    CHECK(kernel.processes_in("srv") == 1);
    CHECK(engine.plan(lab).empty());
    engine.destroy("web");
    CHECK(kernel.live_processes() == 0);
}

TEST_CASE_METHOD(ProcessFixture,
                 "a process that exits right after it started is a warning, shown exited") {
    const Topology lab = load(kLab);
    kernel.set_next_start(FakeKernel::StartFate::exits_at_once);
    const ApplyResult r = engine.apply(lab, "web.yaml");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] ==
          "process 'web' in namespace 'srv' exited right after it started; see `nstopo logs web "
          "srv/web`");
    const auto status = engine.status("web");
    CHECK(status[0].observed.namespaces.at("srv").processes.at("web").run->state ==
          ProcessState::exited);
    // The next apply starts it again.
    CHECK(to_text(engine.plan(lab)) == "+ start process web in srv: python3 -m http.server 8080\n");
}

TEST_CASE_METHOD(ProcessFixture,
                 "a namespace deleted by hand leaves its process astray: stopped, started anew") {
    const Topology lab = load(kLab);
    engine.apply(lab, "web.yaml");
    const ProcessRun before = recorded("srv", "web");
    kernel.delete_namespace("srv");  // by hand: the kernel stops no process with it
    REQUIRE(kernel.live_processes() == 1);
    const std::string text = to_text(engine.plan(lab));
    CHECK(text.rfind("- stop process web in srv\n", 0) == 0);  // first, before the namespace
    CHECK(text.find("+ start process web in srv: python3 -m http.server 8080\n") !=
          std::string::npos);
    engine.apply(lab, "web.yaml");
    CHECK(kernel.processes_in("srv") == 1);
    CHECK(kernel.live_processes() == 1);  // the astray one was stopped
    CHECK(recorded("srv", "web").id != before.id);
    CHECK(engine.plan(lab).empty());
}

TEST_CASE_METHOD(ProcessFixture, "an old record without processes still reads") {
    engine.apply(load(kLab), "web.yaml");
    const auto path = dir.path / "state" / "labs" / "web.json";
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(",\"processes\":");
    REQUIRE(at != std::string::npos);
    const auto end = text.find(']', at);
    text.erase(at, end + 1 - at);
    std::ofstream(path) << text;
    const auto record = store.load("web");
    REQUIRE(record);
    CHECK(record->processes.empty());
}

TEST_CASE_METHOD(ProcessFixture, "an exited process shows the status its exit file holds") {
    engine.apply(load(kLab), "web.yaml");
    const ProcessRun run = recorded("srv", "web");
    kernel.kill_process(run.id.pid);
    // What the waiter beside a real process writes: "PID STATUS" (exit code 2).
    std::ofstream(process_exit_file(run.log)) << run.id.pid << " " << (2 << 8) << "\n";
    const auto seen = engine.status("web")[0].observed.namespaces.at("srv").processes.at("web").run;
    REQUIRE(seen);
    CHECK(seen->state == ProcessState::exited);
    CHECK(seen->wait_status == (2 << 8));
    // A file of another run (another pid) says nothing of this one.
    std::ofstream(process_exit_file(run.log)) << run.id.pid + 1 << " 0\n";
    CHECK_FALSE(
        engine.status("web")[0].observed.namespaces.at("srv").processes.at("web").run->wait_status);
}
