// The identity of a running process, the rule by which a recorded process is still the same one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nstopo {

// A process as the kernel knows it: its pid and its start time (clock ticks after boot, field 22
// of /proc/PID/stat). The kernel hands a pid out again once its process is gone; the pair names
// one process until the machine reboots.
struct ProcessIdentity {
    int pid = 0;
    std::uint64_t start_time = 0;
    bool operator==(const ProcessIdentity&) const = default;
};

// What one line of /proc/PID/stat says about its process.
struct ProcessStat {
    char state = '?';  // field 3: R, S, D, Z (zombie: exited, not yet reaped), ...
    std::uint64_t start_time = 0;
};

// Parses a /proc/PID/stat line; nullopt if it is not one. The command name (field 2) is in
// parentheses and may hold anything, ')' and spaces included: the fields after it are found from
// the last ')'.
std::optional<ProcessStat> parse_proc_stat(std::string_view line);

// The identity of `pid` now; nullopt when no process has it, or it has exited (a zombie).
std::optional<ProcessIdentity> identify_process(int pid);

// Whether `recorded` still runs: a live process has its pid and the same start time (a pid reused
// by another process is not mistaken for it).
bool still_running(const ProcessIdentity& recorded);

}  // namespace nstopo
