#include "veth_peers.hpp"

#include <spdlog/spdlog.h>

#include "nsid.hpp"
#include "nstopo/error.hpp"

namespace nstopo::kernel {

std::map<VethEnd, std::string> hinted_peer_namespaces(const std::vector<Veth>& hints) {
    std::map<VethEnd, std::string> peer_ns;
    for (const auto& v : hints) {
        peer_ns[v.a] = v.b.ns;
        peer_ns[v.b] = v.a.ns;
    }
    return peer_ns;
}

PeerResolver::PeerResolver(Sessions& sessions, const NetnsDir& dir,
                           const std::map<std::string, Snapshot>& namespaces, const Snapshot& host,
                           const std::set<std::string>& host_in_scope,
                           const std::map<VethEnd, std::string>& hinted_peer_ns, KnownNsids known)
    : sessions_(sessions),
      dir_(dir),
      namespaces_(namespaces),
      host_(host),
      host_in_scope_(host_in_scope),
      hinted_peer_ns_(hinted_peer_ns),
      nsids_(std::move(known)) {}

std::optional<VethEnd> PeerResolver::peer_of(const VethLink& v) {
    if (!v.peer_nsid) return end_at(v.end.ns, v.peer_ifindex);
    if (const auto hint = hinted_peer_ns_.find(v.end); hint != hinted_peer_ns_.end())
        if (auto peer = end_if_nsid_matches(v, hint->second)) return peer;
    if (auto peer = end_with_peer_mac(v)) return peer;
    spdlog::debug("veth {} is not where expected; searching the scope", v.end.str());
    for (const auto& [ns, _] : namespaces_)
        if (auto peer = end_if_nsid_matches(v, ns)) return peer;
    return end_if_nsid_matches(v, kHostNamespace);
}

std::optional<VethEnd> PeerResolver::end_with_peer_mac(const VethLink& v) {
    const Op op{v.end.ns, "look up the peer of", v.end.ifname};
    std::optional<MacAddress> mac;
    try {
        mac = mac_of_link_in(sessions_.socket(op), *v.peer_nsid, v.peer_ifindex, op);
    } catch (const Error&) {
        // Another run may have deleted the namespace since it was read: its veths are gone.
        if (dir_.exists(v.end.ns)) throw;
        return std::nullopt;
    }
    if (!mac) return std::nullopt;
    const auto [first, last] = veth_ends_by_mac().equal_range(*mac);
    for (auto it = first; it != last; ++it) {
        const auto& [ns, ifindex] = it->second;
        if (ifindex == v.peer_ifindex)
            if (auto peer = end_if_nsid_matches(v, ns)) return peer;
    }
    return std::nullopt;
}

const PeerResolver::EndsByMac& PeerResolver::veth_ends_by_mac() {
    if (ends_by_mac_) return *ends_by_mac_;
    auto& index = ends_by_mac_.emplace();
    const auto add = [&](const std::string& ns, const Snapshot& snap) {
        for (const auto& end : snap.veths) {
            const auto i = snap.interfaces.find(end.end.ifname);
            if (i != snap.interfaces.end() && i->second.mac)
                index.emplace(*i->second.mac, std::pair{ns, end.ifindex});
        }
    };
    for (const auto& [ns, snap] : namespaces_) add(ns, snap);
    add(kHostNamespace, host_);
    return index;
}

std::optional<VethEnd> PeerResolver::end_if_nsid_matches(const VethLink& v,
                                                         const std::string& candidate) {
    if (candidate == v.end.ns || !in_scope(candidate)) return std::nullopt;
    if (nsid(v.end.ns, candidate) != v.peer_nsid) return std::nullopt;
    return end_at(candidate, v.peer_ifindex);
}

bool PeerResolver::in_scope(const std::string& ns) const {
    return ns == kHostNamespace || namespaces_.count(ns) != 0;
}

std::optional<VethEnd> PeerResolver::end_at(const std::string& ns, int ifindex) const {
    const Snapshot& snap = ns == kHostNamespace ? host_ : namespaces_.at(ns);
    const auto name = snap.names.find(ifindex);
    if (name == snap.names.end()) return std::nullopt;
    if (ns == kHostNamespace && host_in_scope_.count(name->second) == 0) return std::nullopt;
    return VethEnd{ns, name->second};
}

std::optional<int> PeerResolver::nsid(const std::string& from, const std::string& to) {
    const auto key = std::make_pair(from, to);
    if (const auto it = nsids_.find(key); it != nsids_.end()) return it->second;
    const Op op{from, "look up the namespace id of", to.empty() ? "the host" : to};
    try {
        const Fd to_fd = to.empty() ? Fd() : dir_.open(op, to);
        const auto id = nsid_of(sessions_.socket(op), to.empty() ? sessions_.host_fd() : to_fd, op);
        return nsids_[key] = id;
    } catch (const Error&) {
        // A namespace read a moment ago and deleted since (another lab's destroy) holds no peer
        // and gives no id: absent, as if the scan had not listed it.
        if ((from.empty() || dir_.exists(from)) && (to.empty() || dir_.exists(to))) throw;
        return nsids_[key] = std::nullopt;
    }
}

}  // namespace nstopo::kernel
