#include "sysctl.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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
std::filesystem::path checked_path(const Op& op, const std::string& key) {
    const auto path = sysctl_path(key);
    if (!path) fail(op, EINVAL, "'" + key + "' is not a sysctl key");
    return *path;
}
}  // namespace

void write_sysctl(const Op& op, const std::string& key, const std::string& value) {
    const auto path = checked_path(op, key);
    const Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) fail(op, errno, errno == ENOENT ? "no such sysctl in this kernel (or the module that provides it is not loaded)" : "cannot open " + path.string());
    const std::string line = value + "\n";
    const ssize_t n = ::write(fd.get(), line.data(), line.size());
    if (n < 0) fail(op, errno, "the kernel refused the value");
    if (static_cast<std::size_t>(n) != line.size()) fail(op, EIO, "short write");
    spdlog::trace("sysctl {}: ok", op.str());
}

std::optional<std::string> read_sysctl(const Op& op, const std::string& key) {
    const auto path = checked_path(op, key);
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) return std::nullopt;
    if (!fd) fail(op, errno, "cannot open " + path.string());
    std::string raw;
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0)
        raw.append(buf, static_cast<std::size_t>(n));
    if (n < 0) fail(op, errno, "cannot read " + path.string());
    return normalize_sysctl_value(raw);
}

}  // namespace nstopo::kernel
