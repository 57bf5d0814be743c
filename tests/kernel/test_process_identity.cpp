// The rule that says a recorded process is still running: its pid, and the same start time.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "nstopo/process.hpp"

using namespace nstopo;

namespace {

// A /proc/PID/stat line with `comm`, `state` and start time `start` (field 22).
std::string stat_line(const std::string& comm, char state, const std::string& start) {
    std::string line = "4242 (" + comm + ") " + state;
    for (int field = 4; field <= 21; ++field) line += " " + std::to_string(field * 10);
    return line + " " + start + " 99 100 101\n";
}

}  // namespace

TEST_CASE("a stat line gives its state and start time, whatever the command name holds") {
    const auto plain = parse_proc_stat(stat_line("python3", 'S', "123456"));
    REQUIRE(plain);
    CHECK(plain->state == 'S');
    CHECK(plain->start_time == 123456);
    // A command name may hold ') ' and look like more fields.
    const auto tricky = parse_proc_stat(stat_line("a) R 1 2 (b", 'Z', "77"));
    REQUIRE(tricky);
    CHECK(tricky->state == 'Z');
    CHECK(tricky->start_time == 77);
    CHECK_FALSE(parse_proc_stat(""));
    CHECK_FALSE(parse_proc_stat("4242 python3 S 1 2 3"));
    CHECK_FALSE(parse_proc_stat("4242 (x) S 1 2 3"));  // too short
    CHECK_FALSE(parse_proc_stat(stat_line("x", 'S', "12x")));
}

TEST_CASE("a live process is running, and another start time at its pid is not the same process") {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    const auto id = identify_process(child);
    REQUIRE(id);
    CHECK(id->pid == child);
    CHECK(still_running(*id));
    // The same pid, handed out again to a process started at another time.
    CHECK_FALSE(still_running(ProcessIdentity{child, id->start_time + 1}));
    CHECK_FALSE(still_running(ProcessIdentity{child, id->start_time - 1}));
    kill(child, SIGKILL);
    // Exited but not reaped: a zombie is not running.
    siginfo_t info{};
    REQUIRE(waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
    CHECK_FALSE(still_running(*id));
    REQUIRE(waitpid(child, nullptr, 0) == child);
    CHECK_FALSE(still_running(*id));
    CHECK_FALSE(identify_process(0));
    CHECK_FALSE(identify_process(-1));
}
