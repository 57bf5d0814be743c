#include "privileges.hpp"

#include <linux/capability.h>

#include <fstream>
#include <string>

#include "nstopo/error.hpp"

namespace nstopo {

namespace {
// The effective capability set, from /proc/self/status ("CapEff:\t000001ffffffffff").
unsigned long long effective_capabilities() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
    return 0;
}

// The capabilities nstopo needs that the process lacks: "", "CAP_SYS_ADMIN and CAP_NET_ADMIN", ...
std::string missing_capabilities() {
    const auto caps = effective_capabilities();
    std::string missing;
    if ((caps & (1ULL << CAP_SYS_ADMIN)) == 0) missing = "CAP_SYS_ADMIN";
    if ((caps & (1ULL << CAP_NET_ADMIN)) == 0)
        missing += std::string(missing.empty() ? "" : " and ") + "CAP_NET_ADMIN";
    return missing;
}
}  // namespace

bool has_privileges() {
    return missing_capabilities().empty();
}

void require_privileges(const std::string& command) {
    const std::string missing = missing_capabilities();
    if (!missing.empty())
        throw Error(ErrorKind::permission,
                    "nstopo " + command + " needs root (" + missing +
                        ") to enter and change network namespaces; run it as: sudo nstopo " +
                        command + " ...");
}

}  // namespace nstopo
