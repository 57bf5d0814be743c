// The identity of a running process, the rule by which a recorded process is still the same one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "nstopo/model.hpp"  // ProcessIdentity

namespace nstopo {

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
