#pragma once
#include <string>

namespace nstopo {
// Throws Error(permission) with one line saying what is missing and how to run `command` (sudo)
// unless the process has CAP_SYS_ADMIN (namespaces, mounts) and CAP_NET_ADMIN (links, routes).
void require_privileges(const std::string& command);
// Whether require_privileges() would pass.
bool has_privileges();
}  // namespace nstopo
