#include "nsid.hpp"

#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

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

// RTM_GETLINK for one link, by index, of the namespace `nsid` names.
MsgPtr target_link_request(int nsid, int ifindex) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETLINK, 0));
    if (!msg) return msg;
    ifinfomsg hdr{};
    hdr.ifi_family = AF_UNSPEC;
    hdr.ifi_index = ifindex;
    if (nlmsg_append(msg.get(), &hdr, sizeof hdr, NLMSG_ALIGNTO) < 0 ||
        nla_put_s32(msg.get(), IFLA_TARGET_NETNSID, nsid) < 0 ||
        nla_put_u32(msg.get(), IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
        msg.reset();
    return msg;
}

std::optional<MacAddress> mac_in(nl_msg* reply) {
    nlattr* tb[IFLA_MAX + 1] = {};
    if (nlmsg_parse(nlmsg_hdr(reply), sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0 ||
        tb[IFLA_ADDRESS] == nullptr || nla_len(tb[IFLA_ADDRESS]) != 6)
        return std::nullopt;
    std::array<std::uint8_t, 6> bytes{};
    std::memcpy(bytes.data(), nla_data(tb[IFLA_ADDRESS]), bytes.size());
    return MacAddress(bytes);
}

}  // namespace

std::optional<MacAddress> mac_of_link_in(NlSocket& from, int nsid, int ifindex, const Op& op) {
    const MsgPtr msg = target_link_request(nsid, ifindex);
    if (!msg) fail(op, ENOMEM);
    std::optional<MacAddress> mac;
    try {
        from.request(op, msg.get(), [&](nl_msg* reply) { mac = mac_in(reply); });
    } catch (const Error& e) {
        spdlog::debug("{}", e.message());
        return std::nullopt;
    }
    return mac;
}

std::optional<int> nsid_of(NlSocket& from, const Fd& other, const Op& op) {
    const MsgPtr msg = nsid_request(other);
    if (!msg) fail(op, ENOMEM);
    std::optional<int> id;
    from.request(op, msg.get(), [&](nl_msg* reply) { id = nsid_in(reply); });
    return id;
}

}  // namespace nstopo::kernel
