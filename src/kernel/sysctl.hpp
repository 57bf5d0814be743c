// Sysctls through /proc/sys. Which namespace a /proc/sys/net file belongs to is decided when it is
// opened, by the network namespace of the opening *thread* (proc_sys looks at current->nsproxy),
// so callers enter the namespace (EnterNetns) around these calls.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "fd.hpp"
#include "kernel_error.hpp"

namespace nstopo::kernel {

// "net.ipv4.conf.eth0/1.forwarding" -> /proc/sys/net/ipv4/conf/eth0.1/forwarding: dots separate
// levels and a '/' stands for a dot inside one, as sysctl(8) writes them. nullopt when a level is
// empty, "." or ".." (a key never leaves /proc/sys).
std::optional<std::filesystem::path> sysctl_path(const std::string& key);
// Keys whose value belongs to a network namespace (the rest of /proc/sys is machine-wide).
bool is_per_netns_key(const std::string& key);

// The sysctls of the calling thread's namespace, reached through directories opened once each.
//
// Why not open /proc/sys/net/... by full path each time: all namespaces share the one "net"
// dentry, and the directories right below it ("ipv4", "ipv6", ...) exist once per namespace, all
// on one dcache chain (proc_sys_compare tells them apart by the looking thread's namespace). Each
// full-path open walks a chain as long as the number of namespaces on the machine, so reading a
// few keys in each namespace of a lab was quadratic (a third of a no-op apply at 1000
// namespaces). This resolves each such directory once per namespace and opens keys relative to
// it. Make it, and use it, only while the thread is in the namespace.
class NamespaceSysctls {
  public:
    // Writes KEY (a net.* key, see is_per_netns_key).
    void write(const Op& op, const std::string& key, const std::string& value);
    // Reads KEY, whitespace-normalized; nullopt if the key does not exist in this kernel.
    std::optional<std::string> read(const Op& op, const std::string& key);

  private:
    // Opens KEY's file with FLAGS; an invalid Fd with errno set if that fails.
    Fd open(const Op& op, const std::string& key, int flags);

    // "ipv4" -> /proc/sys/net/ipv4 (O_PATH); a directory that could not be opened is not kept.
    std::map<std::string, Fd, std::less<>> dirs_;
};

}  // namespace nstopo::kernel
