#include "sysctl.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "convert.hpp"
#include "fd.hpp"

namespace nstopo::kernel {

std::optional<std::filesystem::path> sysctl_path(const std::string& key) {
    // Built as a string: appending to a filesystem::path level by level re-parses the whole path
    // each time, and observe() builds one path per sysctl of every namespace.
    std::string path = "/proc/sys";
    path.reserve(path.size() + key.size() + 1);
    std::size_t begin = 0;
    while (begin <= key.size()) {
        const std::size_t dot = std::min(key.find('.', begin), key.size());
        const std::size_t level = path.size() + 1;
        path += '/';
        path.append(key, begin, dot - begin);
        std::replace(path.begin() + static_cast<std::ptrdiff_t>(level), path.end(), '/', '.');
        const std::string_view name(path.data() + level, path.size() - level);
        if (name.empty() || name == "." || name == "..") return std::nullopt;
        begin = dot + 1;
    }
    return std::filesystem::path(std::move(path));
}

bool is_per_netns_key(const std::string& key) {
    return key.rfind("net.", 0) == 0;
}

namespace {

// A new procfs instance as a detached mount; an invalid Fd (errno set) if the kernel refuses.
Fd new_proc_instance() {
    const Fd context(static_cast<int>(::syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC)));
    if (!context) return Fd();
    if (::syscall(SYS_fsconfig, context.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return Fd();
    return Fd(static_cast<int>(::syscall(SYS_fsmount, context.get(), FSMOUNT_CLOEXEC, 0)));
}

}  // namespace

int ProcInstances::root(std::size_t slot) {
    if (roots_.empty()) return -1;
    const std::lock_guard lock(mutex_);
    if (refused_) return -1;
    Fd& root = roots_[slot % roots_.size()];
    if (!root) {
        struct statvfs proc_sys {};
        if (::statvfs("/proc/sys", &proc_sys) != 0 || (proc_sys.f_flag & ST_RDONLY) != 0) {
            spdlog::debug("/proc/sys is read-only or unreadable; sysctls go through /proc");
            refused_ = true;
            return -1;
        }
        root = new_proc_instance();
        if (!root) {
            spdlog::debug("no private procfs instance ({}); sysctls go through /proc",
                          std::strerror(errno));
            refused_ = true;
            return -1;
        }
    }
    return root.get();
}

Fd NamespaceSysctls::open(const Op& op, const std::string& key, int flags) {
    constexpr std::string_view kNetDir = "/proc/sys/net/";
    const auto path = is_per_netns_key(key) ? sysctl_path(key) : std::nullopt;
    if (!path) fail(op, EINVAL, "'" + key + "' is not a per-namespace sysctl key");
    // /proc/sys/net/SUBTREE/REST: SUBTREE is opened once, REST relative to it.
    const std::string_view below(path->native().data() + kNetDir.size(),
                                 path->native().size() - kNetDir.size());
    const std::size_t slash = below.find('/');
    if (slash == std::string_view::npos) fail(op, EINVAL, "'" + key + "' names no sysctl file");
    const std::string_view subtree = below.substr(0, slash);
    const std::string rest(below.substr(slash + 1));
    auto dir = dirs_.find(subtree);
    if (dir == dirs_.end()) {
        const int proc = procs_ ? procs_->root(slot_) : -1;
        // Relative to a private instance's root, or absolute (openat ignores the fd then).
        const std::string dir_path =
            (proc >= 0 ? std::string("sys/net/") : std::string(kNetDir)) + std::string(subtree);
        Fd fd(::openat(proc >= 0 ? proc : AT_FDCWD, dir_path.c_str(),
                       O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!fd) return fd;
        dir = dirs_.emplace(std::string(subtree), std::move(fd)).first;
    }
    return Fd(::openat(dir->second.get(), rest.c_str(), flags | O_CLOEXEC));
}

std::string key_for_any_namespace(const std::string& key) {
    struct PerInterface {
        std::string_view prefix;
        std::string_view stand_in;
        std::vector<std::string_view> own;  // names that are not interfaces
    };
    static const std::vector<PerInterface> dirs = {
        {"net.ipv4.conf.", "default", {"all", "default"}},
        {"net.ipv6.conf.", "default", {"all", "default"}},
        {"net.ipv4.neigh.", "lo", {"default"}},
        {"net.ipv6.neigh.", "lo", {"default"}},
    };
    for (const auto& d : dirs) {
        if (!key.starts_with(d.prefix)) continue;
        const std::size_t end = key.find('.', d.prefix.size());
        if (end == std::string::npos) return key;
        const std::string_view level(key.data() + d.prefix.size(), end - d.prefix.size());
        if (std::find(d.own.begin(), d.own.end(), level) != d.own.end()) return key;
        return std::string(d.prefix) + std::string(d.stand_in) + key.substr(end);
    }
    return key;
}

SysctlAccess sysctl_access_here(const std::string& key) {
    const auto path = sysctl_path(key_for_any_namespace(key));
    if (!path) return SysctlAccess::missing;
    if (::faccessat(AT_FDCWD, path->c_str(), W_OK, AT_EACCESS) == 0) return SysctlAccess::writable;
    return errno == ENOENT || errno == ENOTDIR ? SysctlAccess::missing : SysctlAccess::read_only;
}

void NamespaceSysctls::write(const Op& op, const std::string& key, const std::string& value) {
    const Fd fd = open(op, key, O_WRONLY);
    if (!fd) fail(op, errno, errno == ENOENT ? kNoSuchSysctl : "cannot open the sysctl file");
    const std::string line = value + "\n";
    const ssize_t n = ::write(fd.get(), line.data(), line.size());
    if (n < 0) fail(op, errno, "the kernel refused the value");
    if (static_cast<std::size_t>(n) != line.size()) fail(op, EIO, "short write");
    spdlog::trace("sysctl {}: ok", op.str());
}

std::optional<std::string> NamespaceSysctls::read(const Op& op, const std::string& key) {
    const Fd fd = open(op, key, O_RDONLY);
    if (!fd && errno == ENOENT) return std::nullopt;
    if (!fd) fail(op, errno, "cannot open the sysctl file");
    std::string raw;
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0)
        raw.append(buf, static_cast<std::size_t>(n));
    if (n < 0) fail(op, errno, "cannot read the sysctl file");
    return normalize_sysctl_value(raw);
}

}  // namespace nstopo::kernel
