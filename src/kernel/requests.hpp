// The libnl objects nstopo sends: each builds one request from model values.
#pragma once

#include <optional>
#include <string>

#include "fd.hpp"
#include "nl_handles.hpp"
#include "nstopo/model.hpp"

namespace nstopo::kernel {

// A link addressed by name only (ifindex 0 + IFLA_IFNAME): the kernel finds it by name, so
// changing or deleting it needs no ifindex lookup.
LinkPtr link_named(const std::string& ifname);
// A veth pair whose ends are created straight in their namespaces: IFLA_NET_NS_FD on the link
// and on its peer (as `ip link add A netns X type veth peer name B netns Y`). An invalid Fd
// leaves that end in the namespace of the sending socket.
LinkPtr veth_pair(const Veth& veth, const Fd& a_ns, const Fd& b_ns);

// An RTM_NEWLINK for a bridge named `ifname` with these options (IFLA_LINKINFO, IFLA_INFO_DATA:
// IFLA_BR_STP_STATE, IFLA_BR_AGEING_TIME), asking for an ACK. `create`: NLM_F_CREATE|NLM_F_EXCL
// (a new bridge), else a change of an existing one. libnl 3.7 has no setters for these.
MsgPtr bridge_request(const std::string& ifname, const BridgeOptions& options, bool create);

AddrPtr address(int ifindex, const Cidr& a, Dad dad = Dad::skip);
// A main-table route. `oif` 0 leaves the device to the kernel (resolved from `via`).
RoutePtr route_to_add(const Route& r, int oif);
// Matches the route by destination, metric and whichever of via/oif are given, whatever its
// scope; whatever its protocol, or with `only_nstopos` only one of kRouteProtocol.
RoutePtr route_to_delete(const Route& r, int oif, bool only_nstopos = false);

}  // namespace nstopo::kernel
