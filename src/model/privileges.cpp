#include "nstopo/privileges.hpp"

#include <linux/capability.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>

namespace nstopo {

namespace {

// The effective capability set, from /proc/thread-self/status ("CapEff:\t000001ffffffffff").
unsigned long long effective_capabilities() {
    std::ifstream status("/proc/thread-self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
    return 0;
}

// The machine's first user namespace has a fixed inode (PROC_USER_INIT_INO).
constexpr ino_t kInitialUserNamespace = 0xEFFFFFFDU;

bool in_user_namespace() {
    struct stat st {};
    return ::stat("/proc/thread-self/ns/user", &st) == 0 && st.st_ino != kInitialUserNamespace;
}

}  // namespace

Privileges Privileges::of_this_process() {
    const auto caps = effective_capabilities();
    Privileges p;
    if ((caps & (1ULL << CAP_SYS_ADMIN)) == 0) p.missing = "CAP_SYS_ADMIN";
    if ((caps & (1ULL << CAP_NET_ADMIN)) == 0)
        p.missing += std::string(p.missing.empty() ? "" : " and ") + "CAP_NET_ADMIN";
    p.user_namespace = in_user_namespace();
    return p;
}

RefusalNote refusal_note(int err, const Privileges& p) {
    if (err != EPERM && err != EACCES) return {};
    if (p.user_namespace)
        return {ErrorKind::permission,
                ": not permitted in rootless mode (an unprivileged user namespace): the machine "
                "keeps this to its own root"};
    if (!p.missing.empty())
        return {ErrorKind::permission,
                ": nstopo needs root (it lacks " + p.missing + "); run it with sudo"};
    return {ErrorKind::kernel,
            ": refused although nstopo has CAP_SYS_ADMIN and CAP_NET_ADMIN (it is read-only, or "
            "a security module refuses it)"};
}

RefusalNote refusal_note(int err) {
    if (err != EPERM && err != EACCES) return {};
    return refusal_note(err, Privileges::of_this_process());
}

}  // namespace nstopo
