// Address value types: IP addresses, CIDR prefixes and MAC addresses.
// Pure values with parsing, printing, equality and a total order. No libnl, no yaml-cpp.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nstopo {

enum class Family : std::uint8_t { v4 = 4, v6 = 6 };

// An IPv4 or IPv6 address. IPv4 uses the first 4 bytes of `bytes`; the rest are zero.
class IpAddress {
  public:
    IpAddress() = default;
    static IpAddress v4(std::array<std::uint8_t, 4> b);
    static IpAddress v6(const std::array<std::uint8_t, 16>& b);

    // Parses dotted-quad IPv4 or RFC 4291 IPv6 text ("::1", "2001:db8::1"). nullopt if malformed.
    static std::optional<IpAddress> parse(std::string_view text);

    Family family() const { return family_; }
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    int max_prefix() const { return family_ == Family::v4 ? 32 : 128; }
    std::size_t size() const { return family_ == Family::v4 ? 4 : 16; }

    bool is_unspecified() const;    // 0.0.0.0 or ::
    bool is_multicast() const;      // 224.0.0.0/4 or ff00::/8
    bool is_loopback() const;       // 127.0.0.0/8 or ::1
    bool is_v6_link_local() const;  // fe80::/10

    // Canonical text: dotted quad, or RFC 5952 compressed IPv6.
    std::string str() const;

    auto operator<=>(const IpAddress&) const = default;
    bool operator==(const IpAddress&) const = default;

  private:
    Family family_ = Family::v4;
    std::array<std::uint8_t, 16> bytes_{};
};

// An address with a prefix length, "10.0.0.1/24". Host bits may be set (interface addresses);
// a route destination is a Cidr whose host bits are zero (`is_network()`).
struct Cidr {
    IpAddress ip;
    int prefix_len = 0;

    // Parses "ADDR/LEN". With `allow_bare`, "ADDR" alone means a host prefix (/32 or /128).
    static std::optional<Cidr> parse(std::string_view text, bool allow_bare = false);
    // Why `text` does not parse as a Cidr, for diagnostics ("prefix length 33 exceeds 32", ...).
    static std::string parse_error(std::string_view text, bool allow_bare = false);

    Family family() const { return ip.family(); }
    Cidr network() const;    // host bits cleared
    IpAddress last() const;  // host bits set: the highest address (IPv4: the broadcast address)
    bool is_network() const { return network() == *this; }
    // The two subnets share an address (one contains the other); never across families.
    bool overlaps(const Cidr& o) const;
    bool contains(const IpAddress& a) const;
    bool is_default() const { return prefix_len == 0; }
    std::string str() const;

    auto operator<=>(const Cidr&) const = default;
    bool operator==(const Cidr&) const = default;
};

// The default route of a family: 0.0.0.0/0 or ::/0.
Cidr default_route(Family f);

class MacAddress {
  public:
    MacAddress() = default;
    explicit MacAddress(std::array<std::uint8_t, 6> b) : bytes_(b) {}
    // Parses "aa:bb:cc:dd:ee:ff" (also '-' separated, any case). nullopt if malformed.
    static std::optional<MacAddress> parse(std::string_view text);

    const std::array<std::uint8_t, 6>& bytes() const { return bytes_; }
    bool is_multicast() const { return (bytes_[0] & 0x01) != 0; }
    bool is_zero() const;
    std::string str() const;  // lower-case, colon separated

    auto operator<=>(const MacAddress&) const = default;
    bool operator==(const MacAddress&) const = default;

  private:
    std::array<std::uint8_t, 6> bytes_{};
};

}  // namespace nstopo
