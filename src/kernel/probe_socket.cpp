#include "probe_socket.hpp"

#include <netinet/in.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "convert.hpp"

namespace nstopo::kernel {

Fd socket_in_namespace(const NetnsDir& dir, const Op& op, int domain, int type, int protocol) {
    const Fd target = dir.open(op, op.ns);
    const EnterNetns inside(target, op);
    Fd s(::socket(domain, type | SOCK_CLOEXEC, protocol));
    if (!s) fail(op, errno, "cannot make a socket");
    return s;
}

int address_family(Family f) {
    return f == Family::v4 ? AF_INET : AF_INET6;
}

SocketAddress to_socket_address(const IpAddress& ip) {
    SocketAddress a;
    if (ip.family() == Family::v4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
        in->sin_family = AF_INET;
        std::memcpy(&in->sin_addr, ip.bytes().data(), 4);
        a.length = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, ip.bytes().data(), 16);
        a.length = sizeof(sockaddr_in6);
    }
    return a;
}

SocketAddress to_socket_address(const IpAddress& ip, std::uint16_t port) {
    SocketAddress a = to_socket_address(ip);
    if (ip.family() == Family::v4)
        reinterpret_cast<sockaddr_in*>(&a.storage)->sin_port = htons(port);
    else
        reinterpret_cast<sockaddr_in6*>(&a.storage)->sin6_port = htons(port);
    return a;
}

std::optional<IpAddress> from_socket_address(const sockaddr_storage& s) {
    if (s.ss_family == AF_INET)
        return ip_from_bytes(&reinterpret_cast<const sockaddr_in*>(&s)->sin_addr, 4);
    if (s.ss_family == AF_INET6)
        return ip_from_bytes(&reinterpret_cast<const sockaddr_in6*>(&s)->sin6_addr, 16);
    return std::nullopt;
}

}  // namespace nstopo::kernel
