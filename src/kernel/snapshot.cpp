#include "snapshot.hpp"

#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/msg.h>

#include <cerrno>

#include "convert.hpp"
#include "dump_requests.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo::kernel {

namespace {

// A dump whose request is `msg`, its replies parsed by libnl's cache type `type` ("route/link").
// The request is nstopo's own (dump_requests.hpp) rather than libnl's cache refill's, so that
// the kernel filters it.
//
// Readers run this on several threads at once. The cache type is looked up with
// nl_cache_ops_lookup, not nl_cache_alloc_name: the latter takes a reference on the type under
// libnl's lock but drops it without (nl_cache_ops_put in libnl 3.7 lib/cache_mngt.c is a bare
// decrement), a data race between threads. The types looked up here are libnl-route's own,
// registered for the life of the library, so no reference is needed. The rest of a link or
// route dump (the socket's callbacks, the parsers, the link-info and address-family registries,
// which take their own locks) touches only this thread's objects. libnl's address parser does
// not (read_addresses), so addresses are not read through it.
CachePtr dump(NlSocket& socket, const Op& op, const char* type, nl_msg* msg) {
    nl_cache_ops* ops = nl_cache_ops_lookup(type);
    if (ops == nullptr) fail(op, ENOMEM, "no libnl cache type " + std::string(type));
    CachePtr cache(nl_cache_alloc(ops));
    if (!cache) fail(op, ENOMEM);
    socket.run(op, [&](nl_sock* sk) {
        if (const int rc = nl_send_auto(sk, msg); rc < 0) return rc;
        return nl_cache_pickup(sk, cache.get());
    });
    return cache;
}

VethLink veth_link(rtnl_link* link, const std::string& ns) {
    VethLink v{{ns, rtnl_link_get_name(link)},
               rtnl_link_get_ifindex(link),
               rtnl_link_get_link(link),
               std::nullopt};
    std::int32_t nsid = 0;
    if (rtnl_link_get_link_netnsid(link, &nsid) == 0) v.peer_nsid = nsid;
    return v;
}

}  // namespace

namespace {

// The options of the namespace's bridges, from a second link dump read raw (libnl's link parser
// drops a bridge's IFLA_INFO_DATA). Only namespaces that have a bridge pay for it.
void read_bridge_options(Snapshot& snap, NlSocket& socket, const std::string& ns) {
    const Op op{ns, "list", "bridges"};
    socket.dump(op, link_dump_request(op).get(), [&](nl_msg* msg) {
        const auto found = bridge_options_to_model(msg);
        if (!found) return;
        const auto it = snap.interfaces.find(found->first);
        if (it != snap.interfaces.end() && it->second.kind == LinkKind::bridge)
            it->second.bridge = found->second;
    });
}

}  // namespace

namespace {

void read_links_once(Snapshot& snap, NlSocket& socket, const Op& op, const std::string& ns) {
    const CachePtr links = dump(socket, op, "route/link", link_dump_request(op).get());
    std::vector<std::pair<std::string, int>> masters;  // link, its master's ifindex
    bool has_bridge = false;
    for_each_in<rtnl_link>(links.get(), [&](rtnl_link* link) {
        Interface i = to_model(link);
        snap.names[rtnl_link_get_ifindex(link)] = i.name;
        if (i.kind == LinkKind::veth) snap.veths.push_back(veth_link(link, ns));
        if (i.kind == LinkKind::bridge) {
            has_bridge = true;
            i.bridge = BridgeOptions{};
        }
        if (const int master = rtnl_link_get_master(link); master > 0)
            masters.emplace_back(i.name, master);
        snap.interfaces[i.name] = std::move(i);
    });
    // A master in another namespace cannot be: the kernel keeps a port beside its bridge.
    for (const auto& [name, master] : masters)
        if (const auto it = snap.names.find(master); it != snap.names.end())
            snap.interfaces.at(name).master = it->second;
    if (has_bridge) read_bridge_options(snap, socket, ns);
}

}  // namespace

// Each reader starts what it fills from scratch on every attempt (NlSocket::consistently).
void read_links(Snapshot& snap, NlSocket& socket, const std::string& ns) {
    const Op op{ns, "list", "links"};
    socket.consistently(op, [&] {
        snap.names.clear();
        snap.interfaces.clear();
        snap.veths.clear();
        read_links_once(snap, socket, op, ns);
    });
}

// Parsed here rather than by libnl's address cache type: libnl 3.7's parser looks up the
// "route/link" cache type for every message (addr_msg_parser -> __nl_cache_mngt_require) and
// drops that reference without its lock, a data race between the reader threads (see dump()).
void read_addresses(Snapshot& snap, NlSocket& socket, const std::string& ns) {
    const Op op{ns, "list", "addresses"};
    socket.consistently(op, [&] {
        for (auto& [name, i] : snap.interfaces) i.addresses.clear();
        socket.dump(op, address_dump_request(op).get(), [&](nl_msg* msg) {
            const auto* ifa = static_cast<const ifaddrmsg*>(nlmsg_data(nlmsg_hdr(msg)));
            const auto name = snap.names.find(static_cast<int>(ifa->ifa_index));
            if (name == snap.names.end()) return;
            Interface& i = snap.interfaces[name->second];
            if (const auto c = address_to_model(msg, i.kind == LinkKind::loopback))
                i.addresses.push_back(*c);
        });
    });
}

void read_routes(Snapshot& snap, NlSocket& socket, const std::string& ns) {
    socket.set_strict_checking(true);
    struct Lenient {
        NlSocket& socket;
        ~Lenient() { socket.set_strict_checking(false); }
    } lenient_after{socket};
    const Op op{ns, "list", "routes"};
    socket.consistently(op, [&] {
        snap.routes.clear();
        snap.own_routes.clear();
        snap.unmodelled_routes.clear();
        const CachePtr routes =
            dump(socket, op, "route/route", main_table_route_dump_request(op).get());
        for_each_in<rtnl_route>(routes.get(), [&](rtnl_route* r) {
            auto route = to_model(r, snap.names, ns, &snap.unmodelled_routes);
            if (!route) return;
            if (rtnl_route_get_protocol(r) == kRouteProtocol) snap.own_routes.push_back(*route);
            snap.routes.push_back(std::move(*route));
        });
    });
}

std::unordered_map<std::string, int> ifindexes_of(const Snapshot& snap) {
    std::unordered_map<std::string, int> by_name;
    for (const auto& [index, name] : snap.names) by_name[name] = index;
    return by_name;
}

}  // namespace nstopo::kernel
