// Sysctls that rtnetlink reports as well (RTM_GETNETCONF): forwarding, rp_filter and a few more
// of net.ipv4/net.ipv6's `all` and `default` settings. Reading them through the namespace's
// netlink socket skips the /proc/sys lookups that are most of the cost of observing a namespace
// (see NamespaceSysctls), and needs no visit inside the namespace.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nl_socket.hpp"

namespace nstopo::kernel {

// Whether rtnetlink reports KEY: net.ipv4.ip_forward, and net.ipv4.conf.{all,default}.X for X in
// forwarding, rp_filter, proxy_arp, ignore_routes_with_linkdown, and net.ipv6.conf.{all,default}.X
// for X in forwarding, proxy_ndp, ignore_routes_with_linkdown.
bool is_netconf_key(const std::string& key);

// Reads `keys` (each is_netconf_key) of the namespace `socket` is bound to, with one RTM_GETNETCONF
// per family and setting (`all` or `default`) asked about. The keys answered, valued as /proc/sys
// prints them ("1"); a key the kernel does not report (an older kernel) is left out, for the
// caller to read from /proc/sys. Throws what the kernel refuses otherwise.
std::map<std::string, std::string> read_netconf(NlSocket& socket,
                                                const std::vector<std::string>& keys,
                                                const std::string& ns);

}  // namespace nstopo::kernel
