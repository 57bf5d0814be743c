// Adapters between model values and libnl objects, each named for its direction.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "nl_handles.hpp"
#include "nstopo/model.hpp"

namespace nstopo::kernel {

int to_af(Family f);
NlAddrPtr to_nl_addr(const IpAddress& ip, int prefix_len);
NlAddrPtr to_nl_addr(const MacAddress& mac);

// nullopt when the nl_addr is not an IPv4/IPv6 address. An empty nl_addr of an IP family (how
// libnl shows a default route's destination) reads as the family's all-zero address.
std::optional<IpAddress> to_ip(const nl_addr* a, int family);
// An address from `size` (4 or 16) raw bytes.
IpAddress ip_from_bytes(const void* bytes, std::size_t size);
// nullopt unless the nl_addr is a 6-byte hardware address.
std::optional<MacAddress> to_mac(const nl_addr* a);

// An observed interface without its addresses.
Interface to_model(rtnl_link* link);
// The address of an RTM_NEWADDR message of a dump; nullopt for what the kernel manages itself
// (IPv6 link-local, and lo's 127.0.0.1/8 and ::1/128) or what the model cannot hold. The address
// is IFA_LOCAL, or IFA_ADDRESS where there is no IFA_LOCAL (IPv6), as libnl reads it.
std::optional<Cidr> address_to_model(nl_msg* msg, bool on_loopback);
// The name and options (IFLA_INFO_DATA: IFLA_BR_STP_STATE, IFLA_BR_AGEING_TIME) of the bridge an
// RTM_NEWLINK message shows; nullopt for any other link. libnl 3.7 does not parse a bridge's
// IFLA_INFO_DATA.
std::optional<std::pair<std::string, BridgeOptions>> bridge_options_to_model(nl_msg* msg);
// An observed route of the main table with its device name; nullopt for routes the kernel
// manages or the model cannot express (each such skip of a user route is logged, and described in
// `unmodelled` when given: "blackhole 10.9.0.0/24").
std::optional<Route> to_model(rtnl_route* route, const std::unordered_map<int, std::string>& names,
                              const std::string& ns,
                              std::vector<std::string>* unmodelled = nullptr);

// Whitespace runs become one space, ends trimmed: "4096\t87380\n" -> "4096 87380".
std::string normalize_sysctl_value(const std::string& raw);

}  // namespace nstopo::kernel
