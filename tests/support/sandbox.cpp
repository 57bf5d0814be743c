#include "sandbox.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nstopo::test {

namespace {
std::string failed(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

std::string mount_tmpfs(const char* dir) {
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) return failed(dir);
    if (mount("nstopo-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
        return failed(dir);
    return {};
}
}  // namespace

std::string enter_sandbox() {
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0)
        return failed("unshare(CLONE_NEWNET|CLONE_NEWNS)");
    // Nothing mounted from here on may propagate back to the machine's mount namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return failed("making / private");
    if (auto e = mount_tmpfs("/run"); !e.empty()) return e;
    if (auto e = mount_tmpfs(kSandboxNetnsDir); !e.empty()) return e;
    if (auto e = mount_tmpfs(kSandboxStateDir); !e.empty()) return e;
    return {};
}

}  // namespace nstopo::test
