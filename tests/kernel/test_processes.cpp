// start_process and stop_process: a lab's program in its namespace, detached, and stopped with
// everything it forked. `ps` and /proc are the witnesses.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "nstopo/process_start.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The log once it has `lines` lines; fails the test when the program never writes them (a bound
// for a broken build, not a timing assertion: a working one writes at once).
std::string log_with_lines(const fs::path& log, std::size_t lines) {
    for (int i = 0; i < 2000; ++i) {
        const auto text = read_file(log);
        if (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= lines)
            return text;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL("the program never wrote " << lines << " lines to " << log);
    return {};
}

Process program(std::vector<std::string> argv, const fs::path& dir) {
    Process p;
    p.name = "prog";
    p.command = std::move(argv);
    p.directory = dir.string();
    return p;
}

// Members of process group `pgid` that have not exited (zombies left out).
std::string live_members(int pgid) {
    return run_ok("ps -e -o pgid=,stat=,pid= | awk '$1 == " + std::to_string(pgid) +
                  " && $2 !~ /^Z/ { print $3 }'");
}

// Stops the process when the test ends, passed or not: nothing outlives a test case.
struct Stopper {
    ProcessIdentity id;
    ~Stopper() { stop_process(id, std::chrono::milliseconds(0)); }
};

struct Workdir {
    fs::path path = fs::temp_directory_path() / ("nstopo-proc-" + std::to_string(getpid()));
    Workdir() { fs::create_directories(path); }
    ~Workdir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

}  // namespace

TEST_CASE("a process runs in its namespace, directory and environment, and stops") {
    auto k = make_kernel();
    k->create_namespace("nsp-a", "lab1");
    Workdir w;
    auto p = program(
        {"sh", "-c", "echo $GREETING; pwd; readlink /proc/self/ns/net; exec sleep 1000"}, w.path);
    p.env["GREETING"] = "hello";
    const auto log = w.path / "prog.log";
    const ProcessIdentity id = start_process(KernelOptions{}, "nsp-a", p, log.string());
    const Stopper stopper{id};
    CHECK(still_running(id));
    struct stat ns {};
    REQUIRE(::stat("/run/netns/nsp-a", &ns) == 0);
    CHECK(log_with_lines(log, 3) ==
          "hello\n" + w.path.string() + "\nnet:[" + std::to_string(ns.st_ino) + "]\n");
    // Its own session and process group: a signal to the group reaches nothing of nstopo's.
    CHECK(::getsid(id.pid) == id.pid);
    CHECK(::getpgid(id.pid) == id.pid);
    CHECK(stop_process(id, std::chrono::milliseconds(2000)));
    CHECK_FALSE(still_running(id));
    CHECK(stop_process(id, std::chrono::milliseconds(0)));  // already gone
    k->delete_namespace("nsp-a");
}

TEST_CASE("a forking daemon is stopped with its whole process group") {
    auto k = make_kernel();
    k->create_namespace("nsp-b", "lab1");
    Workdir w;
    // The shell ignores SIGTERM, so SIGKILL after the grace must take both it and its child.
    const auto p = program({"sh", "-c", "trap '' TERM; sleep 1000 & echo forked; wait"}, w.path);
    const auto log = w.path / "prog.log";
    const ProcessIdentity id = start_process(KernelOptions{}, "nsp-b", p, log.string());
    const Stopper stopper{id};
    log_with_lines(log, 1);
    CHECK(live_members(id.pid).find('\n') != live_members(id.pid).rfind('\n'));  // two members
    CHECK(stop_process(id, std::chrono::milliseconds(100)));
    CHECK(live_members(id.pid).empty());
    k->delete_namespace("nsp-b");
}

TEST_CASE("mounts are bound for the process only") {
    auto k = make_kernel();
    k->create_namespace("nsp-c", "lab1");
    Workdir w;
    fs::create_directories(w.path / "conf");
    std::ofstream(w.path / "conf" / "marker") << "from the lab\n";
    const auto target = w.path / "target";
    fs::create_directories(target);
    auto p = program({"sh", "-c", "cat target/marker; exec sleep 1000"}, w.path);
    p.mounts[target.string()] = (w.path / "conf").string();
    const auto log = w.path / "prog.log";
    const ProcessIdentity id = start_process(KernelOptions{}, "nsp-c", p, log.string());
    const Stopper stopper{id};
    CHECK(log_with_lines(log, 1) == "from the lab\n");
    CHECK_FALSE(fs::exists(target / "marker"));
    CHECK(read_file("/proc/self/mountinfo").find(target.string()) == std::string::npos);
    CHECK(stop_process(id, std::chrono::milliseconds(2000)));
    k->delete_namespace("nsp-c");
}

TEST_CASE("a program that cannot start is an error naming the step and the errno") {
    auto k = make_kernel();
    k->create_namespace("nsp-d", "lab1");
    Workdir w;
    const auto log = (w.path / "prog.log").string();
    const Error missing = error_from([&] {
        start_process(KernelOptions{}, "nsp-d", program({"no-such-program-x"}, w.path), log);
    });
    CHECK(errno_of(missing) == ENOENT);
    CHECK(std::string(missing.what()).find("cannot execute the program 'no-such-program-x'") !=
          std::string::npos);
    std::ofstream(w.path / "plain") << "not a program\n";
    fs::permissions(w.path / "plain", fs::perms::owner_read);
    const Error not_exec = error_from([&] {
        start_process(KernelOptions{}, "nsp-d", program({(w.path / "plain").string()}, w.path),
                      log);
    });
    CHECK(errno_of(not_exec) == EACCES);
    auto bad_user = program({"true"}, w.path);
    bad_user.user = "no-such-user-x";
    const Error user = error_from([&] { start_process(KernelOptions{}, "nsp-d", bad_user, log); });
    CHECK(std::string(user.what()).find("no user 'no-such-user-x'") != std::string::npos);
    auto bad_mount = program({"true"}, w.path);
    bad_mount.mounts["/srv/no-such-target-x"] = w.path.string();
    const Error mount =
        error_from([&] { start_process(KernelOptions{}, "nsp-d", bad_mount, log); });
    CHECK(errno_of(mount) == ENOENT);
    CHECK(std::string(mount.what()).find("cannot bind a mount source over its target") !=
          std::string::npos);
    k->delete_namespace("nsp-d");
}

TEST_CASE("a process is running in its namespace, astray when the name is gone, exited after") {
    auto k = make_kernel();
    k->create_namespace("nsp-e", "lab1");
    Workdir w;
    const auto p = program({"sleep", "1000"}, w.path);
    ProcessIdentity seen;
    const ProcessIdentity id =
        start_process(KernelOptions{}, "nsp-e", p, (w.path / "prog.log").string(),
                      [&](const ProcessIdentity& i) { seen = i; });
    const Stopper stopper{id};
    CHECK(seen == id);  // told before it was released
    CHECK(process_state(KernelOptions{}, "nsp-e", id) == ProcessState::running);
    // The kernel stops no process with its namespace: it keeps the deleted namespace alive.
    k->delete_namespace("nsp-e");
    CHECK(process_state(KernelOptions{}, "nsp-e", id) == ProcessState::astray);
    k->create_namespace("nsp-e", "lab1");
    CHECK(process_state(KernelOptions{}, "nsp-e", id) == ProcessState::astray);
    CHECK(stop_process(id, std::chrono::milliseconds(2000)));
    CHECK(process_state(KernelOptions{}, "nsp-e", id) == ProcessState::exited);
    k->delete_namespace("nsp-e");
}

TEST_CASE("a process whose recorder throws is never executed") {
    auto k = make_kernel();
    k->create_namespace("nsp-f", "lab1");
    Workdir w;
    const auto marker = w.path / "ran";
    const auto p = program({"sh", "-c", "touch " + marker.string() + "; exec sleep 1000"}, w.path);
    int pid = 0;
    CHECK_THROWS_AS(start_process(KernelOptions{}, "nsp-f", p, (w.path / "prog.log").string(),
                                  [&](const ProcessIdentity& i) {
                                      pid = i.pid;
                                      throw std::runtime_error("record failed");
                                  }),
                    std::runtime_error);
    REQUIRE(pid > 0);
    // It exits on its own once its release pipe closes; bounded wait for a broken build.
    for (int i = 0; i < 2000 && identify_process(pid); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK_FALSE(identify_process(pid));
    CHECK_FALSE(fs::exists(marker));
    k->delete_namespace("nsp-f");
}

TEST_CASE("stop_processes_in stops what runs in the namespaces, daemons that left the group too") {
    auto k = make_kernel();
    k->create_namespace("nsp-g", "lab1");
    k->create_namespace("nsp-h", "lab1");
    Workdir w;
    // A double fork into a session of its own: no longer in the program's process group.
    const auto p = program({"sh", "-c",
                            "setsid sh -c 'trap \"\" TERM; exec sleep 1001' & echo "
                            "forked; exec sleep 1000"},
                           w.path);
    const auto log = w.path / "prog.log";
    const ProcessIdentity id = start_process(KernelOptions{}, "nsp-g", p, log.string());
    const Stopper stopper{id};
    log_with_lines(log, 1);
    // A bystander in the other namespace, which is not named: left alone.
    const ProcessIdentity other =
        start_process(KernelOptions{}, "nsp-h", program({"sleep", "1002"}, w.path),
                      (w.path / "other.log").string());
    const Stopper other_stopper{other};
    const auto daemons = [] { return run_ok("ps -e -o args= | grep -c '^sleep 1001$' || true"); };
    for (int i = 0; i < 2000 && daemons() != "1\n"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(daemons() == "1\n");
    stop_processes_in(KernelOptions{}, {"nsp-g", "no-such-namespace"},
                      std::chrono::milliseconds(200));
    CHECK_FALSE(still_running(id));
    CHECK(daemons() == "0\n");
    CHECK(still_running(other));
    CHECK(stop_process(other, std::chrono::milliseconds(2000)));
    k->delete_namespace("nsp-g");
    k->delete_namespace("nsp-h");
}

namespace {

// Field 4 of /proc/PID/stat: the parent's pid.
int parent_of(int pid) {
    const auto line = read_file("/proc/" + std::to_string(pid) + "/stat");
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    char state = 0;
    int ppid = 0;
    rest >> state >> ppid;
    return ppid;
}

// The exit file once it has a line; fails the test when it never gets one (a bound for a broken
// build).
std::string exit_line(const fs::path& file) {
    for (int i = 0; i < 2000; ++i) {
        const auto text = read_file(file);
        if (!text.empty() && text.back() == '\n') return text;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL("no exit status in " << file);
    return {};
}

}  // namespace

TEST_CASE("a waiter writes the program's exit status beside its log, holding nothing else") {
    auto k = make_kernel();
    k->create_namespace("nsp-i", "lab1");
    Workdir w;
    const auto log = w.path / "prog.log";
    const auto exit_file = w.path / "prog.exit";
    // Exits 3 when told to stop (SIGTERM to its group, which also ends its sleep).
    const ProcessIdentity id = start_process(
        KernelOptions{}, "nsp-i",
        program({"sh", "-c", "trap 'exit 3' TERM; echo ready; sleep 1000 & wait"}, w.path),
        log.string());
    const Stopper stopper{id};
    CHECK(read_file(exit_file).empty());  // made empty at the start, while it runs
    const int waiter = parent_of(id.pid);
    CHECK(read_file("/proc/" + std::to_string(waiter) + "/comm") == "nstopo-wait\n");
    // Only the exit file: no namespace fd, socket or pipe of nstopo's (it closes them just after
    // it reported the program's pid: a bounded wait).
    const auto open_fds = [&] {
        std::vector<std::string> fds;
        for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(waiter) + "/fd"))
            fds.push_back(e.path().filename().string() + " " + fs::read_symlink(e.path()).string());
        return fds;
    };
    for (int i = 0; i < 2000 && open_fds().size() != 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(open_fds() == std::vector<std::string>{"3 " + exit_file.string()});
    CHECK(::getsid(waiter) == waiter);  // a session of its own, away from nstopo's terminal
    log_with_lines(log, 1);             // its trap is set
    CHECK(stop_process(id, std::chrono::milliseconds(2000)));
    CHECK(exit_line(exit_file) == std::to_string(id.pid) + " " + std::to_string(3 << 8) + "\n");

    const ProcessIdentity killed =
        start_process(KernelOptions{}, "nsp-i", program({"sleep", "1000"}, w.path), log.string());
    const Stopper killed_stopper{killed};
    CHECK(stop_process(killed, std::chrono::milliseconds(2000)));
    CHECK(exit_line(exit_file) ==
          std::to_string(killed.pid) + " " + std::to_string(SIGTERM) + "\n");
    k->delete_namespace("nsp-i");
}
