// Sysctls through /proc/sys. Which namespace a /proc/sys/net directory belongs to is decided when
// it is looked up, by the network namespace of the looking *thread* (proc_sys looks at
// current->nsproxy), so callers enter the namespace (EnterNetns) around these calls.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fd.hpp"
#include "kernel_error.hpp"
#include "nstopo/kernel.hpp"

namespace nstopo::kernel {

// "net.ipv4.conf.eth0/1.forwarding" -> /proc/sys/net/ipv4/conf/eth0.1/forwarding: dots separate
// levels and a '/' stands for a dot inside one, as sysctl(8) writes them. nullopt when a level is
// empty, "." or ".." (a key never leaves /proc/sys).
std::optional<std::filesystem::path> sysctl_path(const std::string& key);
// Keys whose value belongs to a network namespace (the rest of /proc/sys is machine-wide).
bool is_per_netns_key(const std::string& key);

// The key that stands for `key` in a namespace whose links may not exist yet: an interface's
// net.ipv4.conf.IFNAME.* (and ipv6) is answered by conf.default.*, which each new link copies, and
// net.ipv4.neigh.IFNAME.* (and ipv6) by the loopback's, which every namespace has. Other keys
// stand for themselves.
std::string key_for_any_namespace(const std::string& key);

// Whether the calling thread may write `key` (through key_for_any_namespace) in its namespace.
// access() on /proc/sys asks the sysctl's own permission check (proc_sys_permission), which no
// capability overrides: a read-only key answers EACCES even to root.
SysctlAccess sysctl_access_here(const std::string& key);

// Private instances of procfs: detached mounts made with fsopen/fsconfig/fsmount, seen by no one
// else and gone with the process. Each has its own dentry cache (Linux 5.8+; on older kernels
// the instances share one and so just behave like /proc). Made on first use of each slot; none
// where the kernel refuses (no fsopen, a seccomp filter): callers then use /proc.
// An instance is not made where the machine's /proc/sys is read-only (as containers mount it):
// an instance would not be, and would let nstopo write what /proc forbids.
inline constexpr std::size_t kProcInstanceSlots = 32;

class ProcInstances {
  public:
    explicit ProcInstances(std::size_t slots) : roots_(slots) {}

    // The root of instance `slot % slots`, made if need be; -1 if there are no slots, /proc/sys
    // is read-only, or the kernel refuses (then never again in this object).
    int root(std::size_t slot);

  private:
    std::mutex mutex_;
    bool refused_ = false;
    std::vector<Fd> roots_;
};

// The sysctls of the calling thread's namespace, reached through directories opened once each.
//
// Why: every namespace has its own /proc/sys/net/ipv4 (and ipv6, ...) directory, and all of them
// hang off the one shared "net" dentry, on one dcache chain (proc_sys_compare tells them apart by
// the looking thread's namespace, under a global spinlock). Each lookup walks a chain as long as
// the number of namespaces whose directories the dentry cache holds: reading a few keys in every
// namespace of a lab was quadratic (45 % of a no-op apply's CPU at 1000 namespaces).
// - Each such directory is resolved once per namespace, and keys are opened relative to it.
// - In labs of more than 32 namespaces the lookups go through one of the private procfs instances
//   (ProcInstances, chosen by the namespace's name) instead of /proc: their chains are that many
//   times shorter, and the machine's own /proc dentry cache does not fill with the lab's
//   directories. See Sessions::sysctls_for.
// A directory's namespace is fixed when it is first looked up, by the thread's namespace then:
// use an object only while the thread is in its namespace, and only for one namespace.
class NamespaceSysctls {
  public:
    // Uses slot `slot` of `procs` (nullptr: /proc).
    NamespaceSysctls(ProcInstances* procs, std::size_t slot) : procs_(procs), slot_(slot) {}

    // Writes KEY (a net.* key, see is_per_netns_key).
    void write(const Op& op, const std::string& key, const std::string& value);
    // Reads KEY, whitespace-normalized; nullopt if the key does not exist in this kernel.
    std::optional<std::string> read(const Op& op, const std::string& key);

  private:
    // Opens KEY's file with FLAGS; an invalid Fd with errno set if that fails.
    Fd open(const Op& op, const std::string& key, int flags);

    ProcInstances* procs_ = nullptr;
    std::size_t slot_ = 0;
    // "ipv4" -> .../sys/net/ipv4 (O_PATH); a directory that could not be opened is not kept.
    std::map<std::string, Fd, std::less<>> dirs_;
};

}  // namespace nstopo::kernel
