// Network namespace ids: how one namespace names another (IFLA_LINK_NETNSID of a veth whose peer
// lives elsewhere is the peer namespace's id as seen from the veth's namespace).
#pragma once

#include <optional>

#include "fd.hpp"
#include "kernel_error.hpp"
#include "nl_socket.hpp"
#include "nstopo/ip.hpp"

namespace nstopo::kernel {

// The id that the namespace of `from` has for the namespace `other` (RTM_GETNSID with
// NETNSA_FD); nullopt when it has none (the kernel assigns ids lazily, e.g. on a cross-namespace
// veth). Asking never assigns one.
std::optional<int> nsid_of(NlSocket& from, const Fd& other, const Op& op);

// The MAC address of link `ifindex` in the namespace that the namespace of `from` calls `nsid`:
// RTM_GETLINK with IFLA_TARGET_NETNSID (Linux 4.20+). nullopt if the kernel cannot or will not
// say (an older kernel, no such link): callers then have other ways to find the link.
std::optional<MacAddress> mac_of_link_in(NlSocket& from, int nsid, int ifindex, const Op& op);

}  // namespace nstopo::kernel
