#include <algorithm>
#include <charconv>
#include <fstream>
#include <string>

#include "nstopo/process.hpp"

namespace nstopo {

namespace {

// The next space-separated field of `rest`, which loses it; "" at the end.
std::string_view next_field(std::string_view& rest) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        rest = {};
        return {};
    }
    rest.remove_prefix(start);
    const auto end = std::min(rest.find(' '), rest.size());
    const auto field = rest.substr(0, end);
    rest.remove_prefix(end);
    return field;
}

}  // namespace

std::optional<ProcessStat> parse_proc_stat(std::string_view line) {
    const auto close = line.rfind(')');
    if (close == std::string_view::npos || line.find('(') > close) return std::nullopt;
    std::string_view rest = line.substr(close + 1);
    // Field 3 is the first after the command name; the start time is field 22.
    const auto state = next_field(rest);
    if (state.size() != 1) return std::nullopt;
    std::string_view field;
    for (int n = 4; n <= 22; ++n) field = next_field(rest);
    ProcessStat stat;
    stat.state = state.front();
    const auto [end, ec] =
        std::from_chars(field.data(), field.data() + field.size(), stat.start_time);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size())
        return std::nullopt;
    return stat;
}

std::optional<ProcessIdentity> identify_process(int pid) {
    if (pid <= 0) return std::nullopt;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!in || !std::getline(in, line)) return std::nullopt;
    const auto stat = parse_proc_stat(line);
    if (!stat || stat->state == 'Z' || stat->state == 'X') return std::nullopt;
    return ProcessIdentity{pid, stat->start_time};
}

bool still_running(const ProcessIdentity& recorded) {
    const auto now = identify_process(recorded.pid);
    return now && *now == recorded;
}

}  // namespace nstopo
