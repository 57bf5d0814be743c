#include "netconf.hpp"

#include <linux/netconf.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <string_view>
#include <utility>

namespace nstopo::kernel {

namespace {

// Where rtnetlink reports a key: the family, `all` or `default`, and the attribute.
struct NetconfSlot {
    int family = AF_INET;
    int ifindex = NETCONFA_IFINDEX_ALL;
    int attribute = NETCONFA_FORWARDING;
};

std::optional<int> attribute_of(int family, std::string_view name) {
    if (name == "forwarding") return NETCONFA_FORWARDING;
    if (name == "ignore_routes_with_linkdown") return NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN;
    if (family == AF_INET && name == "rp_filter") return NETCONFA_RP_FILTER;
    // NETCONFA_PROXY_NEIGH is IPv4's proxy_arp and IPv6's proxy_ndp (devinet.c, addrconf.c).
    if (family == AF_INET && name == "proxy_arp") return NETCONFA_PROXY_NEIGH;
    if (family == AF_INET6 && name == "proxy_ndp") return NETCONFA_PROXY_NEIGH;
    return std::nullopt;
}

std::optional<NetconfSlot> slot_of(std::string_view key) {
    if (key == "net.ipv4.ip_forward") return NetconfSlot{};
    int family = 0;
    if (key.substr(0, 14) == "net.ipv4.conf.") family = AF_INET;
    if (key.substr(0, 14) == "net.ipv6.conf.") family = AF_INET6;
    if (family == 0) return std::nullopt;
    key.remove_prefix(14);
    int ifindex = 0;
    if (key.substr(0, 4) == "all.") ifindex = NETCONFA_IFINDEX_ALL;
    if (key.substr(0, 8) == "default.") ifindex = NETCONFA_IFINDEX_DEFAULT;
    if (ifindex == 0) return std::nullopt;
    key.remove_prefix(ifindex == NETCONFA_IFINDEX_ALL ? 4 : 8);
    const auto attribute = attribute_of(family, key);
    if (!attribute) return std::nullopt;
    return NetconfSlot{family, ifindex, *attribute};
}

MsgPtr netconf_request(int family, int ifindex) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETNETCONF, 0));
    if (!msg) return msg;
    netconfmsg hdr{};
    hdr.ncm_family = static_cast<std::uint8_t>(family);
    if (nlmsg_append(msg.get(), &hdr, sizeof hdr, NLMSG_ALIGNTO) < 0 ||
        nla_put_s32(msg.get(), NETCONFA_IFINDEX, ifindex) < 0)
        msg.reset();
    return msg;
}

// The 32-bit attributes of an RTM_NEWNETCONF reply.
void keep_values(nl_msg* reply, std::map<int, int>& values) {
    nlattr* tb[NETCONFA_MAX + 1] = {};
    if (nlmsg_parse(nlmsg_hdr(reply), sizeof(netconfmsg), tb, NETCONFA_MAX, nullptr) < 0) return;
    for (int a = NETCONFA_FORWARDING; a <= NETCONFA_MAX; ++a)
        if (tb[a] != nullptr && nla_len(tb[a]) == sizeof(std::int32_t))
            values[a] = static_cast<std::int32_t>(nla_get_u32(tb[a]));
}

}  // namespace

bool is_netconf_key(const std::string& key) {
    return slot_of(key).has_value();
}

std::map<std::string, std::string> read_netconf(NlSocket& socket,
                                                const std::vector<std::string>& keys,
                                                const std::string& ns) {
    // (family, ifindex) -> attribute values of one reply
    std::map<std::pair<int, int>, std::map<int, int>> replies;
    std::map<std::string, std::string> values;
    for (const auto& key : keys) {
        const auto slot = slot_of(key);
        if (!slot) continue;
        const auto where = std::make_pair(slot->family, slot->ifindex);
        auto reply = replies.find(where);
        if (reply == replies.end()) {
            reply = replies.emplace(where, std::map<int, int>{}).first;
            const Op op{ns, "read sysctl", key};
            const MsgPtr msg = netconf_request(slot->family, slot->ifindex);
            if (!msg) fail(op, ENOMEM);
            try {
                socket.request(op, msg.get(), [&](nl_msg* m) { keep_values(m, reply->second); });
            } catch (const Error& e) {
                // A kernel without this request (before Linux 3.10) or this setting: the
                // caller reads /proc/sys instead.
                spdlog::debug("{}: no netconf answer ({}); reading /proc/sys", op.str(), e.what());
            }
        }
        if (const auto v = reply->second.find(slot->attribute); v != reply->second.end())
            values[key] = std::to_string(v->second);
    }
    return values;
}

}  // namespace nstopo::kernel
