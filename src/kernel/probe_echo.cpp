#include "probe_echo.hpp"

#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "probe_socket.hpp"

namespace nstopo::kernel {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kIpv6Header = 40;
constexpr const char kPayload[] = "nstopo check....";  // 16 bytes of recognisable payload

// Echo identifiers unique within the process (each check has its own socket, but a raw socket
// sees every ICMP packet of its namespace) and unlikely to collide with another process's.
std::uint16_t next_identifier() {
    static std::atomic<std::uint16_t> counter{static_cast<std::uint16_t>(::getpid() * 131)};
    return counter.fetch_add(1);
}

std::uint16_t internet_checksum(const std::vector<std::uint8_t>& data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2)
        sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
    if (data.size() % 2 != 0) sum += static_cast<std::uint32_t>(data.back() << 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

void put16(std::vector<std::uint8_t>& p, std::size_t at, std::uint16_t v) {
    p[at] = static_cast<std::uint8_t>(v >> 8);
    p[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

std::uint16_t get16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// An echo request: type, code 0, checksum, identifier, sequence, payload. The kernel fills the
// ICMPv6 checksum itself (it covers a pseudo-header only it knows).
std::vector<std::uint8_t> echo_request(Family f, std::uint16_t id, std::uint16_t seq) {
    std::vector<std::uint8_t> p(kIcmpHeader + sizeof kPayload - 1);
    p[0] = static_cast<std::uint8_t>(f == Family::v4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST);
    put16(p, 4, id);
    put16(p, 6, seq);
    std::memcpy(p.data() + kIcmpHeader, kPayload, sizeof kPayload - 1);
    if (f == Family::v4) put16(p, 2, internet_checksum(p));
    return p;
}

struct Received {
    enum class Kind { other, reply, error } kind = Kind::other;
    std::uint16_t seq = 0;
    std::string what;  // for errors: "destination unreachable", "time exceeded"
};

// The ICMP message of a packet: an IPv4 raw socket delivers the IP header too, IPv6 does not.
std::pair<const std::uint8_t*, std::size_t> icmp_part(Family f, const std::uint8_t* p,
                                                      std::size_t n) {
    if (f == Family::v6) return {p, n};
    if (n < 20) return {p, 0};
    const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0f) * 4;
    return ihl > n ? std::pair{p, std::size_t{0}} : std::pair{p + ihl, n - ihl};
}

// The sequence number of our echo request that an error message quotes (the original IP header
// and the first 8 bytes of the request follow the 8-byte error header), if it quotes one.
std::optional<std::uint16_t> quoted_request(Family f, const std::uint8_t* icmp, std::size_t n,
                                            std::uint16_t id) {
    const std::uint8_t* inner = icmp + kIcmpHeader;
    std::size_t left = n - kIcmpHeader;
    if (f == Family::v4) {
        if (left < 20) return std::nullopt;
        const std::size_t ihl = static_cast<std::size_t>(inner[0] & 0x0f) * 4;
        if (inner[9] != IPPROTO_ICMP || left < ihl + kIcmpHeader) return std::nullopt;
        inner += ihl;
        left -= ihl;
    } else {
        if (left < kIpv6Header + kIcmpHeader || inner[6] != IPPROTO_ICMPV6) return std::nullopt;
        inner += kIpv6Header;
    }
    const auto request =
        static_cast<std::uint8_t>(f == Family::v4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST);
    if (inner[0] != request || get16(inner + 4) != id) return std::nullopt;
    return get16(inner + 6);
}

std::string error_name(Family f, std::uint8_t type) {
    const bool unreachable =
        f == Family::v4 ? type == ICMP_DEST_UNREACH : type == ICMP6_DST_UNREACH;
    const bool exceeded =
        f == Family::v4 ? type == ICMP_TIME_EXCEEDED : type == ICMP6_TIME_EXCEEDED;
    return unreachable ? "destination unreachable" : exceeded ? "time exceeded" : "";
}

Received classify(Family f, const std::uint8_t* packet, std::size_t n, std::uint16_t id) {
    const auto [icmp, len] = icmp_part(f, packet, n);
    if (len < kIcmpHeader) return {};
    const auto reply =
        static_cast<std::uint8_t>(f == Family::v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY);
    if (icmp[0] == reply && get16(icmp + 4) == id)
        return {Received::Kind::reply, get16(icmp + 6), {}};
    const std::string what = error_name(f, icmp[0]);
    if (what.empty()) return {};
    if (const auto seq = quoted_request(f, icmp, len, id))
        return {Received::Kind::error, *seq, what};
    return {};
}

// A sending error that the route lookup gave: no route, an unreachable, prohibit or blackhole
// route (EINVAL, as `ping` shows for a blackhole).
bool says_no_route(int error) {
    return error == ENETUNREACH || error == EHOSTUNREACH || error == EACCES || error == EPERM ||
           error == EINVAL;
}

// One echo exchange: a socket, the requests sent so far and what came back.
class Exchange {
  public:
    Exchange(const NetnsDir& dir, const EchoRequest& r)
        : request_(r),
          op_{r.ns, "send an echo request", "to " + r.to.str()},
          family_(r.to.family()),
          socket_(open_socket(dir)),
          id_(next_identifier()),
          start_(Clock::now()) {
        if (r.source) bind_source(*r.source);
    }

    EchoResult run() {
        const int tries = this->tries();
        const auto interval = request_.timeout / tries;
        const auto deadline = start_ + request_.timeout;
        while (true) {
            const auto now = Clock::now();
            if (static_cast<int>(sent_.size()) < tries &&
                now >= start_ + interval * static_cast<int>(sent_.size()))
                send_next();
            if (certain_ || now >= deadline) break;
            auto wake = deadline;
            if (static_cast<int>(sent_.size()) < tries)
                wake = std::min(wake, start_ + interval * static_cast<int>(sent_.size()));
            if (wait_readable(wake) && receive()) return answered_;
            if (certain_) break;
        }
        return {
            false, {}, problem_.empty() ? "no reply" : problem_, static_cast<int>(sent_.size())};
    }

  private:
    int tries() const { return std::max(1, request_.tries); }

    Fd open_socket(const NetnsDir& dir) const {
        const bool v4 = family_ == Family::v4;
        return socket_in_namespace(dir, op_, v4 ? AF_INET : AF_INET6, SOCK_RAW,
                                   v4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6});
    }

    void bind_source(const IpAddress& source) {
        const auto a = to_socket_address(source);
        if (::bind(socket_.get(), a.get(), a.length) != 0)
            fail(op_, errno, "cannot send from " + source.str());
    }

    void send_next() {
        const auto seq = static_cast<std::uint16_t>(sent_.size());
        const auto packet = echo_request(family_, id_, seq);
        const auto to = to_socket_address(request_.to);
        sent_.push_back(Clock::now());
        if (::sendto(socket_.get(), packet.data(), packet.size(), 0, to.get(), to.length) < 0) {
            // "Network is unreachable": no route. The next request would meet the same route:
            // the answer is certain now (a `wait:` check asks again later). Another error (a
            // full queue) may pass: the next request is sent.
            problem_ = std::strerror(errno);
            certain_ = says_no_route(errno);
        }
    }

    bool wait_readable(Clock::time_point until) const {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
        pollfd p{socket_.get(), POLLIN, 0};
        return ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count()))) > 0;
    }

    // Reads what is queued; true once a reply to one of our requests arrived.
    bool receive() {
        std::uint8_t buf[1500];
        sockaddr_storage from{};
        socklen_t from_len = sizeof from;
        while (true) {
            const auto n = ::recvfrom(socket_.get(), buf, sizeof buf, MSG_DONTWAIT,
                                      reinterpret_cast<sockaddr*>(&from), &from_len);
            if (n < 0) return false;
            const auto sender = from_socket_address(from);
            const Received r = classify(family_, buf, static_cast<std::size_t>(n), id_);
            if (r.kind == Received::Kind::reply && sender == request_.to &&
                static_cast<std::size_t>(r.seq) < sent_.size()) {
                answered_ = {true,
                             std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                                                   sent_[r.seq]),
                             {},
                             static_cast<int>(sent_.size())};
                return true;
            }
            if (r.kind == Received::Kind::error) {
                // A router (or this namespace's own stack) says one of our requests cannot be
                // delivered: the later ones take the same way, so do not wait them out.
                problem_ = r.what + (sender ? " from " + sender->str() : "");
                certain_ = true;
            }
            from_len = sizeof from;
        }
    }

    const EchoRequest& request_;
    Op op_;
    Family family_;
    Fd socket_;
    std::uint16_t id_;
    Clock::time_point start_;
    std::vector<Clock::time_point> sent_;
    std::string problem_;
    EchoResult answered_;
    bool certain_ = false;  // no reply can come any more
};

}  // namespace

EchoResult send_echo(const NetnsDir& dir, const EchoRequest& request) {
    Exchange exchange(dir, request);
    return exchange.run();
}

}  // namespace nstopo::kernel
