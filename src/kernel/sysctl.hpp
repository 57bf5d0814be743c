// Sysctls through /proc/sys. Which namespace a /proc/sys/net file belongs to is decided when it is
// opened, by the network namespace of the opening *thread* (proc_sys looks at current->nsproxy),
// so callers enter the namespace (EnterNetns) around these calls.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "kernel_error.hpp"

namespace nstopo::kernel {

// "net.ipv4.conf.eth0/1.forwarding" -> /proc/sys/net/ipv4/conf/eth0.1/forwarding: dots separate
// levels and a '/' stands for a dot inside one, as sysctl(8) writes them. nullopt when a level is
// empty, "." or ".." (a key never leaves /proc/sys).
std::optional<std::filesystem::path> sysctl_path(const std::string& key);
// Keys whose value belongs to a network namespace (the rest of /proc/sys is machine-wide).
bool is_per_netns_key(const std::string& key);

// Writes in the calling thread's namespace.
void write_sysctl(const Op& op, const std::string& key, const std::string& value);
// Reads in the calling thread's namespace, whitespace-normalized; nullopt if the key does not
// exist there.
std::optional<std::string> read_sysctl(const Op& op, const std::string& key);

}  // namespace nstopo::kernel
