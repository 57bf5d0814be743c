// From a Draft to the completed model: what the file leaves implicit, made explicit.
#pragma once

#include "draft.hpp"

namespace nstopo::config {

// Every veth end gets an Interface (kind veth; the listed one if the file lists it, else no
// addresses and state up) in its namespace or the host's; every namespace gets "lo" (state from
// `loopback:`), both forwarding sysctls and promote_secondaries; the rest is copied. Not
// normalized. Ends in undeclared namespaces are skipped (check_veths reports them).
// The sysctls every namespace gets unless the file says otherwise: forwarding off (both keys),
// promote_secondaries on, IPv6 DAD off for new links (kIpv6DefaultAcceptDad).
const std::map<std::string, std::string>& default_namespace_sysctls();

Topology complete_topology(const Draft& draft, const std::string& name, const std::string& file);

}  // namespace nstopo::config
