// Which veth end is whose peer: the pairing of the ends an observation's link dumps show.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "netns.hpp"
#include "sessions.hpp"
#include "snapshot.hpp"

namespace nstopo::kernel {

// (from, to) -> the id the namespace `from` gives the namespace `to`, nullopt for none.
using KnownNsids = std::map<std::pair<std::string, std::string>, std::optional<int>>;

// Each end of the expected veths `hints` -> the namespace of its peer.
std::map<VethEnd, std::string> hinted_peer_namespaces(const std::vector<Veth>& hints);

// Turns (namespace, peer ifindex, peer nsid) into the peer's VethEnd.
//
// IFLA_LINK_NETNSID is a number local to the veth's namespace A; only A can say which namespace
// it means, by answering RTM_GETNSID for a namespace fd. The expected veths say which namespace B
// to ask about first, so with hints each veth costs at most one cached question per (A, B): linear
// in the lab. A veth the hints do not explain (no hints: a destroy whose record was lost; wiring
// changed behind nstopo's back) costs two questions: A is asked for the peer's MAC address
// (RTM_GETLINK into A's nsid), which names the candidate ends among the links already read, and
// A's id for the candidate's namespace confirms one. Only if that fails (an older kernel, MAC
// addresses set equal) is A asked about every other namespace of the scope in turn: quadratic.
class PeerResolver {
  public:
    // `known`: the ids already asked (see read_namespace).
    PeerResolver(Sessions& sessions, const NetnsDir& dir,
                 const std::map<std::string, Snapshot>& namespaces, const Snapshot& host,
                 const std::set<std::string>& host_in_scope,
                 const std::map<VethEnd, std::string>& hinted_peer_ns, KnownNsids known);

    // The peer of `v`; nullopt if it is not in the scope.
    std::optional<VethEnd> peer_of(const VethLink& v);

  private:
    // MAC address -> (namespace, ifindex) of every veth end in the scope.
    using EndsByMac = std::multimap<MacAddress, std::pair<std::string, int>>;

    std::optional<VethEnd> end_with_peer_mac(const VethLink& v);
    // Made on first use.
    const EndsByMac& veth_ends_by_mac();
    std::optional<VethEnd> end_if_nsid_matches(const VethLink& v, const std::string& candidate);
    bool in_scope(const std::string& ns) const;
    // The link `ifindex` of `ns`, if that link is inside the scope.
    std::optional<VethEnd> end_at(const std::string& ns, int ifindex) const;
    std::optional<int> nsid(const std::string& from, const std::string& to);

    Sessions& sessions_;
    const NetnsDir& dir_;
    const std::map<std::string, Snapshot>& namespaces_;
    const Snapshot& host_;
    const std::set<std::string>& host_in_scope_;
    const std::map<VethEnd, std::string>& hinted_peer_ns_;
    KnownNsids nsids_;
    std::optional<EndsByMac> ends_by_mac_;
};

}  // namespace nstopo::kernel
