#include "netns.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace nstopo::kernel {

namespace {

std::string quoted(const std::filesystem::path& p) {
    return "\"" + p.string() + "\"";
}

// /proc/thread-self, not /proc/self: setns and unshare move only the calling thread, while
// /proc/self names the thread-group leader, which may be elsewhere.
constexpr const char* kThreadNetns = "/proc/thread-self/ns/net";

}  // namespace

NetnsId netns_id_of(const Fd& fd) {
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) return {};
    return {st.st_dev, st.st_ino};
}

Fd current_netns(const Op& op) {
    Fd fd(::open(kThreadNetns, O_RDONLY | O_CLOEXEC));
    if (!fd) fail(op, errno, "cannot open " + std::string(kThreadNetns));
    return fd;
}

ReturnToCurrentNetns::ReturnToCurrentNetns(const Op& op)
    : opened_(current_netns(op)), home_(opened_.get()) {}

ReturnToCurrentNetns::ReturnToCurrentNetns(const Fd& home, const Op&) : home_(home.get()) {}

ReturnToCurrentNetns::~ReturnToCurrentNetns() {
    if (setns(home_, CLONE_NEWNET) == 0) return;
    // A thread stranded in another namespace would apply every later request to the wrong
    // network stack; stopping is the only safe answer.
    spdlog::critical("cannot return the thread to its network namespace: {}", std::strerror(errno));
    std::abort();
}

EnterNetns::EnterNetns(const Fd& target, const Op& op) : back_(op) {
    enter(target, op);
}

EnterNetns::EnterNetns(const Fd& target, const Op& op, const Fd& home) : back_(home, op) {
    enter(target, op);
}

void EnterNetns::enter(const Fd& target, const Op& op) {
    spdlog::debug("entering {} to {}",
                  op.ns.empty() ? std::string("the host namespace") : "namespace " + op.ns,
                  op.operation);
    if (setns(target.get(), CLONE_NEWNET) != 0) fail(op, errno, "cannot enter the namespace");
}

std::vector<std::string> NetnsDir::names() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec))
        out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

bool NetnsDir::exists(const std::string& name) const {
    return static_cast<bool>(open_if_exists(name));
}

Fd NetnsDir::open_if_exists(const std::string& name) const {
    if (!namespace_name_problem(name).empty()) return Fd();
    Fd fd(::open((dir_ / name).c_str(), O_RDONLY | O_CLOEXEC));
    if (fd && ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWNET) return Fd();
    return fd;
}

std::filesystem::path NetnsDir::file_of(const Op& op, const std::string& name) const {
    if (const auto problem = namespace_name_problem(name); !problem.empty())
        fail(op, EINVAL, "invalid namespace name '" + name + "': " + problem);
    return dir_ / name;
}

std::optional<NetnsId> NetnsDir::id_of(const std::string& name) const {
    struct stat st {};
    if (!namespace_name_problem(name).empty()) return std::nullopt;
    if (stat((dir_ / name).c_str(), &st) != 0) return std::nullopt;
    return NetnsId{st.st_dev, st.st_ino};
}

Fd NetnsDir::open(const Op& op, const std::string& name) const {
    const auto path = file_of(op, name);
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        fail(op, errno,
             errno == ENOENT ? "namespace " + name + " does not exist"
                             : "cannot open " + quoted(path));
    // A file left without its bind mount (a crashed `ip netns add`) is no namespace at all.
    if (ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWNET)
        fail(op, EINVAL, quoted(path) + " is not a network namespace (not mounted)");
    return fd;
}

void NetnsDir::create(const Op& op, const std::string& name, const std::function<void()>& inside) {
    const auto path = file_of(op, name);
    prepare_dir(op);
    create_empty_file(op, path);
    try {
        ReturnToCurrentNetns back(op);
        if (unshare(CLONE_NEWNET) != 0) fail(op, errno, "cannot create a network namespace");
        inside();
        if (mount(kThreadNetns, path.c_str(), "none", MS_BIND, nullptr) != 0)
            fail(op, errno, "cannot bind the namespace to " + quoted(path));
        spdlog::debug("created network namespace {} at {}", name, path.string());
    } catch (...) {
        umount2(path.c_str(), MNT_DETACH);
        unlink(path.c_str());
        throw;
    }
}

void NetnsDir::remove(const Op& op, const std::string& name) {
    const auto path = file_of(op, name);
    // As `ip netns del`: detach lazily (another mount namespace may still use the file) and
    // ignore the result, so a file whose mount is already gone is still removed.
    umount2(path.c_str(), MNT_DETACH);
    if (unlink(path.c_str()) != 0)
        fail(op, errno,
             errno == ENOENT ? "namespace " + name + " does not exist"
                             : "cannot remove " + quoted(path));
    spdlog::debug("removed network namespace file {}", path.string());
}

void NetnsDir::prepare_dir(const Op& op) {
    if (prepared_) return;
    if (mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST)
        fail(op, errno, "cannot create " + quoted(dir_));
    // iproute2 takes this lock because parallel make-shared/bind loops stacked mounts until the
    // machine locked up (https://bugs.debian.org/949235); taking it too keeps us out of that race.
    Fd lock(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!lock) fail(op, errno, "cannot open " + quoted(dir_));
    if (flock(lock.get(), LOCK_EX) != 0)
        spdlog::warn("cannot lock {}: {}", dir_.string(), std::strerror(errno));
    make_shared_mount_point(op);
    prepared_ = true;
}

// A shared mount point, as `ip netns add` makes it: unmounting a namespace file in one mount
// namespace then propagates to the others (e.g. an `ip netns exec` still running), so the
// namespace is freed instead of lingering.
void NetnsDir::make_shared_mount_point(const Op& op) const {
    const char* dir = dir_.c_str();
    if (mount("", dir, "none", MS_SHARED | MS_REC, nullptr) == 0) return;
    if (errno != EINVAL) fail(op, errno, "cannot make " + quoted(dir_) + " a shared mount");
    // EINVAL: not a mount point yet. Bind it onto itself to make it one, then share it.
    if (mount(dir, dir, "none", MS_BIND | MS_REC, nullptr) != 0)
        fail(op, errno, "cannot bind " + quoted(dir_) + " onto itself");
    if (mount("", dir, "none", MS_SHARED | MS_REC, nullptr) != 0)
        fail(op, errno, "cannot make " + quoted(dir_) + " a shared mount");
}

void NetnsDir::create_empty_file(const Op& op, const std::filesystem::path& path) const {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
    if (!fd)
        fail(
            op, errno,
            errno == EEXIST ? "it already exists" : "cannot create namespace file " + quoted(path));
}

}  // namespace nstopo::kernel
