// Checks across a Draft: the references between namespaces, veths, interfaces, addresses and
// routes.
#pragma once

#include "diagnostics.hpp"
#include "draft.hpp"

namespace nstopo::config {

// `lans:` into the draft: per LAN a switch namespace of its name with one bridge (kLanBridge),
// and a veth from each member to a port of it (lan_plain_port, else lan_hashed_port). Reports a
// LAN named like a declared namespace, a member in an undeclared namespace, one that is an end of
// a declared veth or already on a LAN, two members given one port, and a declared veth with an
// end in a switch namespace; those are left out (expand_lans.cpp).
void expand_lans(Draft& draft, Diagnostics& diags);
// The lab's name: `name:`, or else the file name without its extension. Reported if unusable.
std::string check_lab_name(const Draft& draft, Diagnostics& diags);
// No namespace name looks like another one on screen (a warning: look_alike_skeleton).
void check_look_alike_namespaces(const Draft& draft, Diagnostics& diags);
// Every veth end names a declared namespace; no end is used twice; no veth joins an end to itself.
void check_veths(const Draft& draft, Diagnostics& diags);
// Every interface listed in a namespace (but `lo`) or under `host` is an end of some veth.
void check_listed_interfaces(const Draft& draft, Diagnostics& diags);
// Each bridge's name is free in its namespace, its ports are veth ends of that namespace on no
// other bridge and never the bridge itself, and it is not both a hub and an STP bridge
// (check_bridges.cpp).
void check_bridges(const Draft& draft, Diagnostics& diags);
// No address (the IP, whatever its prefix length) is on two interfaces of the lab, or twice on one.
void check_unique_addresses(const Draft& draft, Diagnostics& diags);
// Each sysctl key against the completed namespace it is in: a key of an interface names one the
// namespace will have, and no key is one the kernel keeps in the host's namespace only
// (check_sysctls.cpp).
void check_sysctls(const Draft& draft, const Topology& completed, Diagnostics& diags);
// Each route's `dev` and `via` against the completed namespace it is in (a host route's against
// the lab's host ends); no two routes of a namespace (or of the host) share a destination and
// metric (check_routes.cpp).
void check_routes(const Draft& draft, const Topology& completed, Diagnostics& diags);
// Warnings for mistakes the kernel does not refuse: the two ends of a veth in no common subnet, one
// subnet on several links of a namespace that no bridge joins, a route through a namespace whose
// forwarding is off (check_mistakes.cpp).
void check_mistakes(const Draft& draft, const Topology& completed, Diagnostics& diags);
// Host-end addresses and host routes are no wider than a lab may take (check_host.cpp).
void check_host_addresses(const Draft& draft, Diagnostics& diags);
// Each `nat:` entry names a link of its namespace (check_nftables.cpp).
void check_nat(const Draft& draft, const Topology& completed, Diagnostics& diags);
// `host: uplink:` against the completed topology: `out` is no host end of the lab, each subnet
// lies inside a subnet of the lab's addresses and the host reaches it through a host end (its
// subnet, or a host route); then the uplink, its host table and the forwarding keys of the links
// it needs go into `completed` (read_uplink.cpp).
void check_uplink(const Draft& draft, Topology& completed, Diagnostics& diags);
// Each check starts in a declared namespace, binds to one of its addresses, and aims inside the
// lab (check_checks.cpp).
void check_checks(const Draft& draft, const Topology& completed, Diagnostics& diags);

}  // namespace nstopo::config
