// The dump requests of an observation, built here rather than by libnl's cache refill so that
// the kernel filters them. Each fails with ENOMEM, described as `op`, if it cannot be built.
#pragma once

#include "kernel_error.hpp"
#include "nl_handles.hpp"

namespace nstopo::kernel {

// RTM_GETLINK dump of every link, without statistics or VF lists.
MsgPtr link_dump_request(const Op& op);
// RTM_GETROUTE dump of the main table, IPv4 and IPv6 at once.
MsgPtr main_table_route_dump_request(const Op& op);
// RTM_GETADDR dump of both families.
MsgPtr address_dump_request(const Op& op);
// RTM_GETQDISC dump of every link's qdiscs.
MsgPtr qdisc_dump_request(const Op& op);

}  // namespace nstopo::kernel
