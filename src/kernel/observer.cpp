#include "observer.hpp"

#include <map>
#include <set>

#include "nftables.hpp"
#include "parallel.hpp"
#include "qdisc.hpp"
#include "read_namespace.hpp"
#include "snapshot.hpp"
#include "sysctl.hpp"
#include "veth_peers.hpp"

namespace nstopo::kernel {

namespace {

// The host's links (with their qdiscs) and addresses, and with `with_routes` its main-table
// routes: read to keep the lab's host ends from taking what the host routes elsewhere, and for the
// lab's own host routes and host ends' shaping.
Snapshot read_host(Sessions& sessions, bool with_routes) {
    NlSocket& socket = sessions.socket(Op{kHostNamespace, "observe", "namespace"});
    Snapshot snap;
    read_links(snap, socket, kHostNamespace);
    read_addresses(snap, socket, kHostNamespace);
    read_qdiscs(snap, socket, kHostNamespace);
    if (with_routes) read_routes(snap, socket, kHostNamespace);
    sessions.learn_ifindexes(kHostNamespace, ifindexes_of(snap));
    return snap;
}

// The host's sysctls of `keys` that the kernel has (an absent link has none) and its tables of
// `ids` that exist, read from the host namespace (`host`): the uplink's forwarding keys and
// table. No other host table is returned.
void read_host_uplink(Sessions& sessions, const ObserveScope& scope, Topology& t) {
    const Op op{kHostNamespace, "observe", "host sysctls and tables"};
    const EnterNetns inside(sessions.host_fd(), op);
    if (!scope.host_sysctls.empty()) {
        NamespaceSysctls sysctls = sessions.sysctls_for(kHostNamespace);
        for (const auto& key : scope.host_sysctls)
            if (auto v = sysctls.read(Op{kHostNamespace, "read sysctl", key}, key))
                t.host_sysctls[key] = std::move(*v);
    }
    if (scope.host_tables.empty()) return;
    auto tables = list_tables_here(Op{kHostNamespace, "list nftables", "ruleset"});
    for (const auto& id : scope.host_tables)
        if (auto it = tables.find(id); it != tables.end())
            t.host_tables[id] = std::move(it->second);
}

class Observation {
  public:
    Observation(Sessions& sessions, const NetnsDir& dir, const ObserveScope& scope)
        : sessions_(sessions),
          dir_(dir),
          scope_(scope),
          host_in_scope_(scope.host_interfaces.begin(), scope.host_interfaces.end()),
          hinted_peer_ns_(hinted_peer_namespaces(scope.expected_veths)) {}

    Topology run() {
        read_namespaces();
        if (!scope_.host_interfaces.empty() || scope_.host_routing)
            host_ = read_host(sessions_, scope_.host_routing);
        Topology t;
        for (auto& [name, snap] : snapshots_) t.namespaces[name] = to_namespace(name, snap);
        t.host_interfaces = host_interfaces();
        t.veths = pair_veths();
        if (scope_.host_routing) {
            t.host_routing = host_routing();
            t.host_routes = host_.own_routes;
        }
        if (!scope_.host_sysctls.empty() || !scope_.host_tables.empty())
            read_host_uplink(sessions_, scope_, t);
        normalize(t);
        return t;
    }

  private:
    // Namespaces are read in parallel: most of the cost is kernel time per namespace (dumps, and
    // the /proc/sys lookups that grow with the number of namespaces, see NamespaceSysctls), and
    // the namespaces are independent. Results are merged here, on the calling thread, in order.
    void read_namespaces() {
        const Fd home = current_netns(Op{kHostNamespace, "observe", "namespaces"});
        const ReadingContext context{dir_, split_keys(scope_.sysctls), hinted_peer_ns_, home,
                                     scope_.nftables};
        std::vector<Reading> readings = readings_of_scope();
        run_in_parallel(readings.size(), threads_for(readings.size()),
                        [&](std::size_t i) { read_namespace(context, readings[i]); });
        for (auto& r : readings)
            if (r.present) keep(r);
    }

    // One reading per namespace of the scope, each listed once, with the socket kept for it.
    std::vector<Reading> readings_of_scope() {
        std::vector<Reading> readings;
        std::set<std::string> listed;
        for (const auto& ns : scope_.namespaces) {
            if (!listed.insert(ns).second) continue;
            Reading& r = readings.emplace_back();
            r.ns = ns;
            r.socket = sessions_.cached(ns);
        }
        for (Reading& r : readings) r.sysctls = sessions_.sysctls_for(r.ns, readings.size());
        return readings;
    }

    // What a present namespace's reading found joins the sessions and the snapshots.
    void keep(Reading& r) {
        for (auto& [to, id] : r.nsids) known_nsids_[{r.ns, to}] = id;
        if (r.new_socket) sessions_.adopt(r.ns, std::move(r.new_socket), r.id);
        sessions_.learn_ifindexes(r.ns, ifindexes_of(r.snap));
        snapshots_[r.ns] = std::move(r.snap);
    }

    static Namespace to_namespace(const std::string& name, const Snapshot& snap) {
        Namespace n;
        n.name = name;
        n.interfaces = snap.interfaces;
        n.routes = snap.routes;
        n.unmodelled_routes = snap.unmodelled_routes;
        n.sysctls = snap.sysctls;
        n.tables = snap.tables;
        n.identity = snap.netns_cookie;
        if (const auto lo = n.interfaces.find("lo"); lo != n.interfaces.end())
            n.owner = lo->second.owner;
        return n;
    }

    HostRouting host_routing() const {
        HostRouting r;
        r.routes = host_.routes;
        for (const auto& [name, link] : host_.interfaces)
            if (!link.addresses.empty()) r.addresses[name] = link.addresses;
        return r;
    }

    std::map<std::string, Interface> host_interfaces() const {
        std::map<std::string, Interface> out;
        for (const auto& name : scope_.host_interfaces)
            if (const auto it = host_.interfaces.find(name); it != host_.interfaces.end())
                out[name] = it->second;
        return out;
    }

    std::vector<VethLink> veth_links_in_scope() const {
        std::vector<VethLink> links;
        for (const auto& [_, snap] : snapshots_)
            links.insert(links.end(), snap.veths.begin(), snap.veths.end());
        for (const auto& v : host_.veths)
            if (host_in_scope_.count(v.end.ifname) != 0) links.push_back(v);
        return links;
    }

    std::vector<Veth> pair_veths() {
        PeerResolver resolver(sessions_, dir_, snapshots_, host_, host_in_scope_, hinted_peer_ns_,
                              std::move(known_nsids_));
        std::set<VethEnd> paired;
        std::vector<Veth> veths;
        for (const auto& link : veth_links_in_scope()) {
            if (paired.count(link.end) != 0) continue;
            const auto peer = resolver.peer_of(link);
            if (!peer) continue;
            paired.insert(link.end);
            paired.insert(*peer);
            veths.push_back(Veth{link.end, *peer, {}});
        }
        return veths;
    }

    Sessions& sessions_;
    const NetnsDir& dir_;
    const ObserveScope& scope_;
    const std::set<std::string> host_in_scope_;
    const std::map<VethEnd, std::string> hinted_peer_ns_;  // expected veth end -> peer namespace
    std::map<std::string, Snapshot> snapshots_;
    KnownNsids known_nsids_;
    Snapshot host_;
};

}  // namespace

Topology observe(Sessions& sessions, const NetnsDir& dir, const ObserveScope& scope) {
    // Callers poll observe() while deleted namespaces wind down; a socket of ours must not be
    // what keeps one of them alive.
    sessions.drop_vanished();
    return Observation(sessions, dir, scope).run();
}

}  // namespace nstopo::kernel
