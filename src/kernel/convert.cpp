#include "convert.hpp"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/rtnl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <sstream>

#include "nstopo/kernel.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo::kernel {

int to_af(Family f) {
    return f == Family::v4 ? AF_INET : AF_INET6;
}

NlAddrPtr to_nl_addr(const IpAddress& ip, int prefix_len) {
    NlAddrPtr a(nl_addr_build(to_af(ip.family()), ip.bytes().data(), ip.size()));
    if (a) nl_addr_set_prefixlen(a.get(), prefix_len);
    return a;
}

NlAddrPtr to_nl_addr(const MacAddress& mac) {
    return NlAddrPtr(nl_addr_build(AF_LLC, mac.bytes().data(), mac.bytes().size()));
}

std::optional<IpAddress> to_ip(const nl_addr* a, int family) {
    if (family != AF_INET && family != AF_INET6) return std::nullopt;
    const std::size_t size = family == AF_INET ? 4 : 16;
    std::array<std::uint8_t, 16> b{};
    const std::size_t len = a != nullptr ? nl_addr_get_len(a) : 0;
    if (len != 0 && len != size) return std::nullopt;
    if (len != 0) std::memcpy(b.data(), nl_addr_get_binary_addr(a), size);
    if (family == AF_INET6) return IpAddress::v6(b);
    return IpAddress::v4({b[0], b[1], b[2], b[3]});
}

IpAddress ip_from_bytes(const void* bytes, std::size_t size) {
    if (size == 4) {
        std::array<std::uint8_t, 4> b{};
        std::memcpy(b.data(), bytes, 4);
        return IpAddress::v4(b);
    }
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), bytes, 16);
    return IpAddress::v6(b);
}

std::optional<MacAddress> to_mac(const nl_addr* a) {
    if (a == nullptr || nl_addr_get_len(a) != 6) return std::nullopt;
    std::array<std::uint8_t, 6> b{};
    std::memcpy(b.data(), nl_addr_get_binary_addr(a), b.size());
    return MacAddress(b);
}

namespace {
LinkKind kind_of(rtnl_link* link) {
    if (rtnl_link_get_arptype(link) == ARPHRD_LOOPBACK) return LinkKind::loopback;
    const char* type = rtnl_link_get_type(link);
    if (type != nullptr && std::strcmp(type, "veth") == 0) return LinkKind::veth;
    if (type != nullptr && std::strcmp(type, "bridge") == 0) return LinkKind::bridge;
    return LinkKind::other;
}

std::string string_or_empty(const char* s) {
    return s != nullptr ? s : "";
}

// An interface address as the model keeps it: not an IPv6 link-local one, nor lo's own.
std::optional<Cidr> kept_address(const Cidr& c, bool on_loopback) {
    static const Cidr v4_loopback = *Cidr::parse("127.0.0.1/8");
    static const Cidr v6_loopback = *Cidr::parse("::1/128");
    if (c.ip.is_v6_link_local()) return std::nullopt;
    if (on_loopback && (c == v4_loopback || c == v6_loopback)) return std::nullopt;
    return c;
}
}  // namespace

Interface to_model(rtnl_link* link) {
    Interface i;
    i.name = string_or_empty(rtnl_link_get_name(link));
    i.kind = kind_of(link);
    i.state = (rtnl_link_get_flags(link) & IFF_UP) != 0 ? LinkState::up : LinkState::down;
    i.mtu = rtnl_link_get_mtu(link);
    i.mac = to_mac(rtnl_link_get_addr(link));
    i.owner = lab_from_mark(string_or_empty(rtnl_link_get_ifalias(link)));
    i.type = string_or_empty(rtnl_link_get_type(link));
    i.ifindex = rtnl_link_get_ifindex(link);
    return i;
}

std::optional<std::pair<std::string, BridgeOptions>> bridge_options_to_model(nl_msg* msg) {
    nlmsghdr* hdr = nlmsg_hdr(msg);
    nlattr* tb[IFLA_MAX + 1] = {};
    if (hdr->nlmsg_type != RTM_NEWLINK ||
        nlmsg_parse(hdr, sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0 ||
        tb[IFLA_IFNAME] == nullptr || tb[IFLA_LINKINFO] == nullptr)
        return std::nullopt;
    nlattr* info[IFLA_INFO_MAX + 1] = {};
    if (nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], nullptr) < 0 ||
        info[IFLA_INFO_KIND] == nullptr || info[IFLA_INFO_DATA] == nullptr ||
        std::strcmp(nla_get_string(info[IFLA_INFO_KIND]), "bridge") != 0)
        return std::nullopt;
    nlattr* data[IFLA_BR_MAX + 1] = {};
    if (nla_parse_nested(data, IFLA_BR_MAX, info[IFLA_INFO_DATA], nullptr) < 0) return std::nullopt;
    BridgeOptions b;
    if (data[IFLA_BR_STP_STATE] != nullptr) b.stp = nla_get_u32(data[IFLA_BR_STP_STATE]) != 0;
    if (data[IFLA_BR_AGEING_TIME] != nullptr)
        b.ageing_time = nla_get_u32(data[IFLA_BR_AGEING_TIME]);
    return std::pair{std::string(nla_get_string(tb[IFLA_IFNAME])), b};
}

std::optional<Cidr> address_to_model(nl_msg* msg, bool on_loopback) {
    nlmsghdr* hdr = nlmsg_hdr(msg);
    nlattr* tb[IFA_MAX + 1] = {};
    if (hdr->nlmsg_type != RTM_NEWADDR ||
        nlmsg_parse(hdr, sizeof(ifaddrmsg), tb, IFA_MAX, nullptr) < 0)
        return std::nullopt;
    const auto* ifa = static_cast<const ifaddrmsg*>(nlmsg_data(hdr));
    const nlattr* a = tb[IFA_LOCAL] != nullptr ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (a == nullptr) return std::nullopt;
    const int size = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;
    if (size == 0 || nla_len(a) != size) return std::nullopt;
    const IpAddress ip = ip_from_bytes(nla_data(a), static_cast<std::size_t>(size));
    return kept_address(Cidr{ip, ifa->ifa_prefixlen}, on_loopback);
}

namespace {
bool managed_by_kernel(rtnl_route* r, const Cidr& to) {
    return rtnl_route_get_protocol(r) == RTPROT_KERNEL || to.ip.is_multicast() ||
           to.ip.is_v6_link_local();
}

// A route a routing daemon installed (FRR's zebra: ospf, bgp, ...; bird; a DHCP client) carries
// that program's protocol number. In a lab namespace it is the daemon's, as the kernel's own
// routes are the kernel's: neither the file's to declare nor drift. What a person adds by hand
// (`ip route add`: boot; static) and what nstopo adds stay the lab's. The host's view keeps
// every route: the host-end refusals must see what the host routes, whoever installed it.
bool learned_by_daemon(rtnl_route* r, const std::string& ns) {
    const auto protocol = rtnl_route_get_protocol(r);
    return ns != kHostNamespace && protocol > RTPROT_STATIC && protocol != kRouteProtocol;
}

// "multipath", or the route's type as ip-route(8) spells it ("blackhole", "unreachable").
std::string unmodelled_kind(rtnl_route* r) {
    if (rtnl_route_get_type(r) == RTN_UNICAST) return "multipath";
    std::array<char, 32> type{};
    return nl_rtntype2str(rtnl_route_get_type(r), type.data(), type.size());
}

bool expressible(rtnl_route* r, const Cidr& to, const std::string& ns,
                 std::vector<std::string>* unmodelled) {
    if (rtnl_route_get_type(r) == RTN_UNICAST && rtnl_route_get_nnexthops(r) == 1) return true;
    const std::string kind = unmodelled_kind(r);
    spdlog::warn("{}: route {} skipped: {} routes are not supported",
                 ns.empty() ? std::string("host") : ns, to.str(), kind);
    if (unmodelled != nullptr) unmodelled->push_back(kind + " " + to.str());
    return false;
}
}  // namespace

std::optional<Route> to_model(rtnl_route* r, const std::unordered_map<int, std::string>& names,
                              const std::string& ns, std::vector<std::string>* unmodelled) {
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN) return std::nullopt;
    const int family = rtnl_route_get_family(r);
    const auto dst = to_ip(rtnl_route_get_dst(r), family);
    if (!dst) return std::nullopt;
    Route route;
    route.to = Cidr{*dst, static_cast<int>(nl_addr_get_prefixlen(rtnl_route_get_dst(r)))};
    if (managed_by_kernel(r, route.to) || learned_by_daemon(r, ns) ||
        !expressible(r, route.to, ns, unmodelled))
        return std::nullopt;
    rtnl_nexthop* nh = rtnl_route_nexthop_n(r, 0);
    if (const nl_addr* gw = rtnl_route_nh_get_gateway(nh); gw != nullptr)
        route.via = to_ip(gw, family);
    const auto dev = names.find(rtnl_route_nh_get_ifindex(nh));
    if (dev == names.end()) return std::nullopt;
    route.dev = dev->second;
    route.metric = rtnl_route_get_priority(r);
    return route;
}

std::string normalize_sysctl_value(const std::string& raw) {
    std::istringstream words(raw);
    std::string word, out;
    while (words >> word) out += (out.empty() ? "" : " ") + word;
    return out;
}

}  // namespace nstopo::kernel
