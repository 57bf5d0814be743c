#include "nsid.hpp"

#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <cerrno>

namespace nstopo::kernel {

namespace {

// libnl 3.7 has no wrapper for RTM_GETNSID: the request is an rtgenmsg and a NETNSA_FD.
MsgPtr nsid_request(const Fd& other) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETNSID, 0));
    if (!msg) return msg;
    rtgenmsg hdr{};
    hdr.rtgen_family = AF_UNSPEC;
    if (nlmsg_append(msg.get(), &hdr, sizeof hdr, NLMSG_ALIGNTO) < 0 ||
        nla_put_u32(msg.get(), NETNSA_FD, static_cast<std::uint32_t>(other.get())) < 0)
        msg.reset();
    return msg;
}

// The reply is an RTM_NEWNSID with NETNSA_NSID (-1: NETNSA_NSID_NOT_ASSIGNED).
std::optional<int> nsid_in(nl_msg* reply) {
    nlattr* tb[NETNSA_MAX + 1] = {};
    if (nlmsg_parse(nlmsg_hdr(reply), sizeof(rtgenmsg), tb, NETNSA_MAX, nullptr) < 0 ||
        tb[NETNSA_NSID] == nullptr)
        return std::nullopt;
    const auto id = static_cast<std::int32_t>(nla_get_u32(tb[NETNSA_NSID]));
    if (id < 0) return std::nullopt;
    return id;
}

}  // namespace

std::optional<int> nsid_of(NlSocket& from, const Fd& other, const Op& op) {
    const MsgPtr msg = nsid_request(other);
    if (!msg) fail(op, ENOMEM);
    std::optional<int> id;
    from.request(op, msg.get(), [&](nl_msg* reply) { id = nsid_in(reply); });
    return id;
}

}  // namespace nstopo::kernel
