// observe(): reads a scope of namespaces and host links into the model's Topology.
#pragma once

#include "netns.hpp"
#include "nstopo/kernel.hpp"
#include "sessions.hpp"

namespace nstopo::kernel {

// Per namespace: one link, one address and one route dump through its cached socket, and the
// asked-for sysctls read from inside it. Veth peers are resolved through namespace ids, guided
// by the scope's expected veths (see PeerResolver in veth_peers.hpp).
Topology observe(Sessions& sessions, const NetnsDir& dir, const ObserveScope& scope);

}  // namespace nstopo::kernel
