#include "probe_route.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>

#include "convert.hpp"
#include "probe_socket.hpp"

namespace nstopo::kernel {

namespace {

// An RTM_GETROUTE request: the header, the rtmsg and room for RTA_DST and RTA_SRC.
struct RouteRequest {
    nlmsghdr header;
    rtmsg route;
    char attributes[64];
};

void add_attribute(RouteRequest& r, unsigned short type, const IpAddress& ip) {
    auto* rta =
        reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&r) + NLMSG_ALIGN(r.header.nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(ip.size()));
    std::memcpy(RTA_DATA(rta), ip.bytes().data(), ip.size());
    r.header.nlmsg_len = NLMSG_ALIGN(r.header.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

RouteRequest route_request(const IpAddress& to, const std::optional<IpAddress>& source) {
    RouteRequest r{};
    r.header.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
    r.header.nlmsg_type = RTM_GETROUTE;
    r.header.nlmsg_flags = NLM_F_REQUEST;
    r.header.nlmsg_seq = 1;
    r.route.rtm_family = static_cast<unsigned char>(address_family(to.family()));
    r.route.rtm_dst_len = static_cast<unsigned char>(to.max_prefix());
    add_attribute(r, RTA_DST, to);
    if (source) {
        r.route.rtm_src_len = static_cast<unsigned char>(source->max_prefix());
        add_attribute(r, RTA_SRC, *source);
    }
    return r;
}

// The gateway and output interface of an RTM_NEWROUTE answer. Runs inside the namespace: the
// interface index is named there.
RouteAnswer parse_route(const nlmsghdr* h, std::size_t ip_size) {
    RouteAnswer a;
    a.found = true;
    const auto* rtm = static_cast<const rtmsg*>(NLMSG_DATA(h));
    int length = static_cast<int>(RTM_PAYLOAD(h));
    for (const rtattr* rta = RTM_RTA(rtm); RTA_OK(rta, length); rta = RTA_NEXT(rta, length)) {
        if (rta->rta_type == RTA_GATEWAY && RTA_PAYLOAD(rta) == ip_size)
            a.gateway = ip_from_bytes(RTA_DATA(rta), ip_size);
        if (rta->rta_type == RTA_OIF) {
            unsigned index = 0;
            std::memcpy(&index, RTA_DATA(rta), sizeof index);
            char name[IF_NAMESIZE] = {};
            a.dev = ::if_indextoname(index, name) ? name : "#" + std::to_string(index);
        }
    }
    return a;
}

RouteAnswer parse_answer(const char* buf, std::size_t n, std::size_t ip_size) {
    auto length = static_cast<unsigned>(n);
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, length);
         h = NLMSG_NEXT(h, length)) {
        if (h->nlmsg_type == NLMSG_ERROR) {
            const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
            if (e->error != 0) return {false, {}, {}, std::strerror(-e->error)};
        }
        if (h->nlmsg_type == RTM_NEWROUTE) return parse_route(h, ip_size);
    }
    return {false, {}, {}, "no answer from the kernel"};
}

}  // namespace

RouteAnswer look_up_route(const NetnsDir& dir, const std::string& ns, const IpAddress& to,
                          const std::optional<IpAddress>& source) {
    const Op op{ns, "look up the route", "to " + to.str()};
    const Fd target = dir.open(op, ns);
    // The whole lookup runs inside: the socket, and naming the output interface by its index.
    const EnterNetns inside(target, op);
    const Fd nl(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!nl) fail(op, errno, "cannot make a netlink socket");
    RouteRequest request = route_request(to, source);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(nl.get(), &request, request.header.nlmsg_len, 0,
                 reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0)
        fail(op, errno, "cannot send the request");
    char buf[8192];
    const auto n = ::recv(nl.get(), buf, sizeof buf, 0);
    if (n < 0) fail(op, errno, "cannot read the answer");
    return parse_answer(buf, static_cast<std::size_t>(n), to.size());
}

}  // namespace nstopo::kernel
