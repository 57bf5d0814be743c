// What one namespace's link, address and route dumps show, and the readers that fill it in. The
// readers may run on several threads at once, each on its own socket (see dump() in snapshot.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "nl_socket.hpp"
#include "nstopo/model.hpp"

namespace nstopo::kernel {

// A veth as its own namespace's link dump shows it: the peer's ifindex (IFLA_LINK) and, when the
// peer lives in another namespace, that namespace's id as seen from here (IFLA_LINK_NETNSID).
struct VethLink {
    VethEnd end;
    int ifindex = 0;
    int peer_ifindex = 0;
    std::optional<int> peer_nsid;
};

// What one namespace's dumps showed.
struct Snapshot {
    std::unordered_map<int, std::string> names;  // ifindex -> ifname, every link
    std::map<std::string, Interface> interfaces;
    std::vector<VethLink> veths;
    std::vector<Route> routes;
    std::vector<Route> own_routes;               // those of `routes` with nstopo's protocol
    std::vector<std::string> unmodelled_routes;  // see Namespace::unmodelled_routes
    std::map<std::string, std::string> sysctls;  // the asked-for keys that exist
    std::uint64_t netns_cookie = 0;              // see NlSocket::netns_cookie
    std::map<std::string, NftTable> tables;      // every nftables table, when asked for
};

// Each fills in `snap` what one dump of `ns`, the namespace `socket` is bound to, shows: read_links
// its names, interfaces and veths, read_addresses the interfaces' addresses, read_routes its
// routes, replacing what was there. Links come first: addresses and routes name their devices
// through `snap.names`. A dump interrupted by a concurrent change is read again
// (NlSocket::consistently).
void read_links(Snapshot& snap, NlSocket& socket, const std::string& ns);
void read_addresses(Snapshot& snap, NlSocket& socket, const std::string& ns);
void read_routes(Snapshot& snap, NlSocket& socket, const std::string& ns);

// ifname -> ifindex of every link the snapshot holds.
std::unordered_map<std::string, int> ifindexes_of(const Snapshot& snap);

}  // namespace nstopo::kernel
