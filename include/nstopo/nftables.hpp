// nstopo's nftables table: how `nat:` and the `nftables:` file become one table, and the text the
// kernel layer loads it with. Pure text; the kernel layer runs it through libnftables.
#pragma once

#include <string>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo {

// The table nstopo owns in each lab namespace that asks for NAT or a ruleset. The inet family
// takes masquerade and dnat (Linux 5.2+) for IPv4 and IPv6 at once.
inline const std::string kNftFamily = "inet";
inline const std::string kNftTable = "nstopo";
// The chains `nat:` is rendered into. A `nftables:` file may not declare chains of these names.
inline const std::string kNatPrerouting = "nat_prerouting";
inline const std::string kNatPostrouting = "nat_postrouting";

// One line of nft syntax per entry:
//   masquerade:  oifname "edge-wan" masquerade
//   forward:     iifname "edge-wan" tcp dport 8080 dnat ip to 10.0.1.10:80
std::string nat_rule_text(const NatRule& r);

// nstopo's table for a namespace: the NAT chains (a dstnat prerouting chain for the forwards, a
// srcnat postrouting chain for the masquerades, each only when it has rules), then the text of
// the `nftables:` file (`file_text`, from `file`) as it is. `where` locates the table.
NftTable nstopo_table(std::vector<NatRule> nat, std::string file, const std::string& file_text,
                      SourceLocation where);

// The table a lab's `host: uplink:` is in the host namespace: `ip nstopo-LAB`, one per lab, so
// two labs never share one and nstopo never writes into a table another program made. IPv4 only
// (masquerade of IPv4 subnets). Its one chain:
//   chain postrouting {
//     type nat hook postrouting priority srcnat; policy accept;
//     oifname "eth0" ip saddr { 10.0.1.0/24, 10.1.1.0/24 } masquerade
//   }
inline const std::string kUplinkFamily = "ip";
std::string uplink_table_name(const std::string& lab);
NftTable uplink_table(const std::string& lab, const Uplink& uplink);

// The one transaction that makes table `t` exactly `t.body`, whether or not it exists: declare
// it (a no-op if it exists), delete it, declare it again with the body. nft runs the lines of one
// buffer as one netlink batch, so the table is replaced atomically, or not at all.
std::string replace_script(const NftTable& t);
// The line of replace_script() that holds the body's first line.
inline constexpr int kScriptBodyLine = 4;
// The transaction that deletes table `t` (family and name).
std::string delete_script(const NftTable& t);

}  // namespace nstopo
