#include "nstopo/ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace nstopo {

IpAddress IpAddress::v4(std::array<std::uint8_t, 4> b) {
    IpAddress a;
    a.family_ = Family::v4;
    std::copy(b.begin(), b.end(), a.bytes_.begin());
    return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& b) {
    IpAddress a;
    a.family_ = Family::v6;
    a.bytes_ = b;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    // inet_pton needs a NUL-terminated string; reject embedded NULs and absurd lengths first.
    if (text.empty() || text.size() > INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos)
        return std::nullopt;
    const std::string s(text);
    std::array<std::uint8_t, 16> buf{};
    if (s.find(':') == std::string::npos) {
        std::array<std::uint8_t, 4> b4{};
        if (inet_pton(AF_INET, s.c_str(), b4.data()) != 1) return std::nullopt;
        return v4(b4);
    }
    if (inet_pton(AF_INET6, s.c_str(), buf.data()) != 1) return std::nullopt;
    return v6(buf);
}

bool IpAddress::is_unspecified() const {
    for (std::size_t i = 0; i < size(); ++i)
        if (bytes_[i] != 0) return false;
    return true;
}

bool IpAddress::is_multicast() const {
    return family_ == Family::v4 ? (bytes_[0] & 0xf0) == 0xe0 : bytes_[0] == 0xff;
}

bool IpAddress::is_loopback() const {
    if (family_ == Family::v4) return bytes_[0] == 127;
    for (std::size_t i = 0; i < 15; ++i)
        if (bytes_[i] != 0) return false;
    return bytes_[15] == 1;
}

bool IpAddress::is_v6_link_local() const {
    return family_ == Family::v6 && bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family_ == Family::v4 ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
}

std::optional<Cidr> Cidr::parse(std::string_view text, bool allow_bare) {
    if (!parse_error(text, allow_bare).empty()) return std::nullopt;
    const auto slash = text.find('/');
    Cidr c;
    c.ip = *IpAddress::parse(text.substr(0, slash));
    if (slash == std::string_view::npos) {
        c.prefix_len = c.ip.max_prefix();
    } else {
        const auto len = text.substr(slash + 1);
        std::from_chars(len.data(), len.data() + len.size(), c.prefix_len);
    }
    return c;
}

std::string Cidr::parse_error(std::string_view text, bool allow_bare) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos && !allow_bare)
        return "missing prefix length (write ADDRESS/LENGTH, e.g. 192.168.0.1/24)";
    const auto ip = IpAddress::parse(text.substr(0, slash));
    if (!ip) return "'" + std::string(text.substr(0, slash)) + "' is not an IPv4 or IPv6 address";
    if (slash == std::string_view::npos) return {};
    const auto len = text.substr(slash + 1);
    int value = -1;
    const auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), value);
    const bool digits_only =
        std::all_of(len.begin(), len.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (len.empty() || !digits_only || ec != std::errc{} || end != len.data() + len.size() ||
        len.size() > 3)
        return "prefix length '" + std::string(len) + "' is not a number";
    if (value > ip->max_prefix())
        return "prefix length " + std::to_string(value) + " exceeds " +
               std::to_string(ip->max_prefix());
    return {};
}

namespace {

// `ip` with the bits after its first `prefix_len` all cleared, or all set.
IpAddress with_host_bits(const IpAddress& ip, int prefix_len, bool set) {
    auto b = ip.bytes();
    for (int i = 0; i < static_cast<int>(ip.size()); ++i) {
        const int bits_kept = std::clamp(prefix_len - i * 8, 0, 8);
        const auto host = static_cast<std::uint8_t>(0xff >> bits_kept);
        b[i] = static_cast<std::uint8_t>(set ? b[i] | host : b[i] & ~host);
    }
    return ip.family() == Family::v4 ? IpAddress::v4({b[0], b[1], b[2], b[3]}) : IpAddress::v6(b);
}

}  // namespace

bool Cidr::overlaps(const Cidr& o) const {
    if (family() != o.family()) return false;
    const Cidr& wider = prefix_len <= o.prefix_len ? *this : o;
    const Cidr& narrower = prefix_len <= o.prefix_len ? o : *this;
    return wider.contains(narrower.ip);
}

Cidr Cidr::network() const {
    return Cidr{with_host_bits(ip, prefix_len, false), prefix_len};
}

IpAddress Cidr::last() const {
    return with_host_bits(ip, prefix_len, true);
}

bool Cidr::contains(const IpAddress& a) const {
    if (a.family() != ip.family()) return false;
    return Cidr{a, prefix_len}.network() == network();
}

std::string Cidr::str() const {
    return ip.str() + "/" + std::to_string(prefix_len);
}

Cidr default_route(Family f) {
    return f == Family::v4 ? Cidr{IpAddress::v4({0, 0, 0, 0}), 0} : Cidr{IpAddress::v6({}), 0};
}

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    const char sep = text[2];
    if (sep != ':' && sep != '-') return std::nullopt;
    std::array<std::uint8_t, 6> b{};
    for (std::size_t i = 0; i < 6; ++i) {
        const auto part = text.substr(i * 3, 2);
        if (i < 5 && text[i * 3 + 2] != sep) return std::nullopt;
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + 2, value, 16);
        if (ec != std::errc{} || end != part.data() + 2) return std::nullopt;
        b[i] = static_cast<std::uint8_t>(value);
    }
    return MacAddress(b);
}

bool MacAddress::is_zero() const {
    for (auto x : bytes_)
        if (x != 0) return false;
    return true;
}

std::string MacAddress::str() const {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes_[0], bytes_[1], bytes_[2],
                  bytes_[3], bytes_[4], bytes_[5]);
    return buf;
}

}  // namespace nstopo
