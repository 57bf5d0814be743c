// A TCP connection opened from inside a namespace, for `tcp:` checks.
#pragma once

#include "netns.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::kernel {

// A non-blocking connect(2) on a socket made in `request.ns`, waited on with poll(2) until the
// handshake completes, the kernel reports an error (a reset, an ICMP error about the SYN, no
// route) or the timeout passes. The socket asks for IP_RECVERR (IPV6_RECVERR), so that its error
// queue names the router that sent an ICMP error.
TcpResult connect_tcp(const NetnsDir& dir, const TcpRequest& request);

}  // namespace nstopo::kernel
