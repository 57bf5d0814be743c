#include "dump_requests.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

namespace nstopo::kernel {

namespace {

// A dump request of `type` whose body is `hdr`, the family header of that type's messages.
template <class Header>
MsgPtr dump_request(int type, Header hdr, const Op& op) {
    MsgPtr msg(nlmsg_alloc_simple(type, NLM_F_DUMP));
    if (!msg || nlmsg_append(msg.get(), &hdr, sizeof hdr, NLMSG_ALIGNTO) < 0) fail(op, ENOMEM);
    return msg;
}

}  // namespace

// Without statistics (RTEXT_FILTER_SKIP_STATS, Linux 4.20+; older kernels ignore the bit) and
// without VF lists (no RTEXT_FILTER_VF): the counters are most of each reply, the model has no
// use for either, and they keep every message far below NlSocket's buffer.
MsgPtr link_dump_request(const Op& op) {
    ifinfomsg hdr{};
    hdr.ifi_family = AF_UNSPEC;
    MsgPtr msg = dump_request(RTM_GETLINK, hdr, op);
    const std::uint32_t mask = RTEXT_FILTER_SKIP_STATS;
    if (nla_put_u32(msg.get(), IFLA_EXT_MASK, mask) < 0) fail(op, ENOMEM);
    return msg;
}

// With strict checking (see read_routes) the kernel honours rtm_table and leaves out the local
// table, where most of a namespace's routes are; the observer still drops anything else itself
// (to_model), so a kernel without strict checking gives the same result, only slower.
MsgPtr main_table_route_dump_request(const Op& op) {
    rtmsg hdr{};
    hdr.rtm_family = AF_UNSPEC;
    hdr.rtm_table = RT_TABLE_MAIN;
    return dump_request(RTM_GETROUTE, hdr, op);
}

MsgPtr qdisc_dump_request(const Op& op) {
    tcmsg hdr{};
    hdr.tcm_family = AF_UNSPEC;
    return dump_request(RTM_GETQDISC, hdr, op);
}

MsgPtr address_dump_request(const Op& op) {
    ifaddrmsg hdr{};
    hdr.ifa_family = AF_UNSPEC;
    return dump_request(RTM_GETADDR, hdr, op);
}

}  // namespace nstopo::kernel
