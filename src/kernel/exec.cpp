// exec_in_namespace(): `nstopo exec`, the way `ip netns exec` switches (iproute2 ip/ipnetns.c,
// netns_switch), written for nstopo: network namespace, private mounts, a /sys of that namespace.
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "netns.hpp"
#include "nstopo/probe.hpp"

namespace nstopo {

namespace {

using kernel::fail;
using kernel::Op;

// A mount namespace of our own whose changes do not propagate back to the host's (rslave: the
// host's later mounts still reach us, ours never reach it).
void enter_private_mounts(const Op& op) {
    if (::unshare(CLONE_NEWNS) != 0) fail(op, errno, "cannot make a private mount namespace");
    if (::mount("", "/", "none", MS_SLAVE | MS_REC, nullptr) != 0)
        fail(op, errno, "cannot make / a slave mount");
}

// /sys shows the network devices of the namespace that mounted it: replace it by one mounted
// from inside the target namespace, read-only if the one it replaces was.
void mount_fresh_sys(const Op& op) {
    struct statvfs st {};
    const bool read_only = ::statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY) != 0;
    // Fails when nothing is mounted there, which is fine: the new sysfs goes on top either way.
    ::umount2("/sys", MNT_DETACH);
    if (::mount("sysfs", "/sys", "sysfs", read_only ? MS_RDONLY : 0, nullptr) != 0)
        fail(op, errno, "cannot mount a sysfs of the namespace on /sys");
}

}  // namespace

void exec_in_namespace(const KernelOptions& options, const std::string& ns,
                       const std::vector<std::string>& argv) {
    const Op op{ns, "run", argv.empty() ? std::string() : "'" + argv.front() + "'"};
    if (argv.empty()) fail(op, EINVAL, "no command given");
    if (ns != kHostNamespace) {
        const kernel::NetnsDir dir(options.netns_dir);
        const kernel::Fd target = dir.open(op, ns);
        // For good: this process becomes the command.
        if (::setns(target.get(), CLONE_NEWNET) != 0) fail(op, errno, "cannot enter the namespace");
        enter_private_mounts(op);
        mount_fresh_sys(op);
    }
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args.front(), args.data());
    fail(op, errno, errno == ENOENT ? "command not found" : "cannot execute it");
}

}  // namespace nstopo
