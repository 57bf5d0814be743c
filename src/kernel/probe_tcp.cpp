#include "probe_tcp.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "probe_socket.hpp"

namespace nstopo::kernel {

namespace {

using Clock = std::chrono::steady_clock;

// The address of the router that sent the ICMP error queued on `fd`, if one is queued.
std::optional<IpAddress> icmp_offender(int fd) {
    char control[512];
    msghdr m{};
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    if (::recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return std::nullopt;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        const bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
        const bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
        if (!v4 && !v6) continue;
        const auto* e = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
        if (e->ee_origin != SO_EE_ORIGIN_ICMP && e->ee_origin != SO_EE_ORIGIN_ICMP6) continue;
        sockaddr_storage from{};
        std::memcpy(&from, SO_EE_OFFENDER(e), v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        return from_socket_address(from);
    }
    return std::nullopt;
}

// What a failed connect's errno says, as a result.
TcpResult failed(int error, const std::optional<IpAddress>& offender) {
    using O = TcpResult::Outcome;
    const std::string from = offender ? " from " + offender->str() : "";
    switch (error) {
        case ECONNREFUSED:
            return {O::refused, {}, "refused" + from};
        case ETIMEDOUT:
            return {O::timed_out, {}, "timed out"};
        case ENETUNREACH:
            return {O::unreachable, {}, offender ? "network unreachable" + from : "no route"};
        case EHOSTUNREACH:
            return {O::unreachable, {}, "host unreachable" + from};
        case EACCES:
        case EPERM:
            return {O::unreachable, {}, "prohibited" + from};
        case EINVAL:  // what the route lookup gives for a blackhole route
            return {O::unreachable, {}, "blackhole route"};
        default:
            return {O::unreachable, {}, std::strerror(error) + from};
    }
}

class Connection {
  public:
    Connection(const NetnsDir& dir, const TcpRequest& r)
        : request_(r),
          op_{r.ns, "connect", "to " + r.to.str() + " port " + std::to_string(r.port)},
          socket_(socket_in_namespace(dir, op_, address_family(r.to.family()),
                                      SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP)),
          start_(Clock::now()) {
        ask_for_icmp_errors();
        if (r.source) bind_source(*r.source);
    }

    TcpResult run() {
        TcpResult r = handshake();
        r.time = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_);
        return r;
    }

  private:
    // An ICMP error about a SYN fails the handshake at once (tcp_v4_err, tcp_v6_err: a socket in
    // SYN-SENT is done with the error); with IP_RECVERR the kernel also queues the error with the
    // address of the router that sent it (ip_icmp_error), which the detail names.
    void ask_for_icmp_errors() {
        const int on = 1;
        const bool v4 = request_.to.family() == Family::v4;
        if (::setsockopt(socket_.get(), v4 ? SOL_IP : SOL_IPV6, v4 ? IP_RECVERR : IPV6_RECVERR, &on,
                         sizeof on) != 0)
            fail(op_, errno, "cannot ask for ICMP errors");
    }

    void bind_source(const IpAddress& source) {
        const auto a = to_socket_address(source);
        if (::bind(socket_.get(), a.get(), a.length) != 0)
            fail(op_, errno, "cannot connect from " + source.str());
    }

    TcpResult handshake() {
        const auto to = to_socket_address(request_.to, request_.port);
        if (::connect(socket_.get(), to.get(), to.length) == 0)
            return {TcpResult::Outcome::connected, {}, {}};
        if (errno != EINPROGRESS) return failed(errno, std::nullopt);
        if (!wait_writable()) return {TcpResult::Outcome::timed_out, {}, "timed out"};
        int error = 0;
        socklen_t len = sizeof error;
        if (::getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0)
            fail(op_, errno, "cannot read the connection's state");
        if (error == 0) return {TcpResult::Outcome::connected, {}, {}};
        return failed(error, icmp_offender(socket_.get()));
    }

    // True once the connection completed or failed; false when the timeout passed first.
    bool wait_writable() const {
        const auto deadline = start_ + request_.timeout;
        while (true) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd p{socket_.get(), POLLOUT, 0};
            const int n = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
            if (n > 0) return true;
            if (n == 0) return false;
            if (errno != EINTR) fail(op_, errno, "cannot wait for the connection");
        }
    }

    const TcpRequest& request_;
    Op op_;
    Fd socket_;
    Clock::time_point start_;
};

}  // namespace

TcpResult connect_tcp(const NetnsDir& dir, const TcpRequest& request) {
    Connection connection(dir, request);
    return connection.run();
}

}  // namespace nstopo::kernel
