// Sockets for the prober: made inside a named namespace, and address conversions.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "fd.hpp"
#include "kernel_error.hpp"
#include "netns.hpp"
#include "nstopo/ip.hpp"

namespace nstopo::kernel {

// A socket(2) of `domain`, `type`, `protocol` made inside namespace `op.ns`: it stays bound to that
// namespace whatever the thread does next. The thread is back home when this returns.
Fd socket_in_namespace(const NetnsDir& dir, const Op& op, int domain, int type, int protocol);

// An IpAddress as a sockaddr_in or sockaddr_in6 (port 0).
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};
SocketAddress to_socket_address(const IpAddress& ip);
// The same with a port (host byte order).
SocketAddress to_socket_address(const IpAddress& ip, std::uint16_t port);
// The address of a sockaddr_in or sockaddr_in6; nullopt for another family.
std::optional<IpAddress> from_socket_address(const sockaddr_storage& s);

int address_family(Family f);

}  // namespace nstopo::kernel
