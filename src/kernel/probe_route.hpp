// The kernel's route lookup (RTM_GETROUTE, as `ip route get`) inside a namespace.
#pragma once

#include "netns.hpp"
#include "nstopo/probe.hpp"

namespace nstopo::kernel {

RouteAnswer look_up_route(const NetnsDir& dir, const std::string& ns, const IpAddress& to,
                          const std::optional<IpAddress>& source);

}  // namespace nstopo::kernel
