// ICMP and ICMPv6 echo over a raw socket made in a namespace.
#pragma once

#include "netns.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::kernel {

// DECISION: a raw socket (SOCK_RAW, root has CAP_NET_RAW), not a "ping socket" (SOCK_DGRAM with
// IPPROTO_ICMP): a fresh namespace's net.ipv4.ping_group_range is "1 0", which admits no group,
// and nstopo must not change a sysctl the file did not ask for just to look.
EchoResult send_echo(const NetnsDir& dir, const EchoRequest& request);

}  // namespace nstopo::kernel
