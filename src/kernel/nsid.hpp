// Network namespace ids: how one namespace names another (IFLA_LINK_NETNSID of a veth whose peer
// lives elsewhere is the peer namespace's id as seen from the veth's namespace).
#pragma once

#include <optional>

#include "fd.hpp"
#include "kernel_error.hpp"
#include "nl_socket.hpp"

namespace nstopo::kernel {

// The id that the namespace of `from` has for the namespace `other` (RTM_GETNSID with
// NETNSA_FD); nullopt when it has none (the kernel assigns ids lazily, e.g. on a cross-namespace
// veth). Asking never assigns one.
std::optional<int> nsid_of(NlSocket& from, const Fd& other, const Op& op);

}  // namespace nstopo::kernel
