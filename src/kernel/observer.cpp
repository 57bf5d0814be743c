#include "observer.hpp"

#include <map>
#include <set>

#include "netconf.hpp"
#include "nsid.hpp"
#include "parallel.hpp"
#include "snapshot.hpp"
#include "sysctl.hpp"
#include "veth_peers.hpp"

namespace nstopo::kernel {

namespace {

// The host's links and addresses (its routes are never nstopo's to read).
Snapshot read_host(Sessions& sessions) {
    NlSocket& socket = sessions.socket(Op{kHostNamespace, "observe", "namespace"});
    Snapshot snap;
    read_links(snap, socket, kHostNamespace);
    read_addresses(snap, socket, kHostNamespace);
    sessions.learn_ifindexes(kHostNamespace, ifindexes_of(snap));
    return snap;
}

// Reading one namespace, on whichever thread run_in_parallel gives it: touches only its own socket
// and objects, and libnl's cache code under a lock (read_namespace). The caller adopts a socket
// made here into its Sessions.
struct Reading {
    std::string ns;
    bool present = false;                  // a mounted network namespace (NetnsDir::exists)
    NlSocket* socket = nullptr;            // the cached socket, or new_socket
    std::unique_ptr<NlSocket> new_socket;  // made inside the namespace by this reading
    NamespaceSysctls sysctls{nullptr, 0};  // see Sessions::sysctls_for
    NetnsId id;                            // new_socket's namespace
    Snapshot snap;
    // The ids this namespace gives the namespaces its veths' hints point to (see PeerResolver):
    // asked here, in parallel, rather than one by one while pairing.
    std::map<std::string, std::optional<int>> nsids;
};

// A namespace's sysctl keys, split by where they are read: rtnetlink for those it reports
// (netconf.hpp), /proc/sys for the rest.
struct SysctlKeys {
    std::vector<std::string> netconf;
    std::vector<std::string> proc;
};

std::map<std::string, SysctlKeys> split_keys(
    const std::map<std::string, std::vector<std::string>>& asked) {
    std::map<std::string, SysctlKeys> out;
    for (const auto& [ns, keys] : asked) {
        SysctlKeys& split = out[ns];
        for (const auto& key : keys)
            (is_netconf_key(key) ? split.netconf : split.proc).push_back(key);
    }
    return out;
}

// What the readings share, read-only: the namespaces being read, their sysctl keys, each
// expected veth end's expected peer namespace, and the namespace every reading thread is in
// between visits (the observing thread's, which the threads it starts inherit).
struct ReadingContext {
    const NetnsDir& dir;
    const std::map<std::string, SysctlKeys> keys;
    const std::map<VethEnd, std::string>& hinted_peer_ns;
    const Fd& home;
};

// One visit inside the namespace makes its socket (unless one is cached) and reads its sysctls;
// the dumps and namespace-id questions then go through the socket, which stays bound to the
// namespace, from anywhere. A namespace that does not exist (or is a file left without its
// mount) is not present, and nothing more is asked of it.
void read_namespace(const ReadingContext& context, Reading& r) {
    static const SysctlKeys kNoKeys;
    const auto asked = context.keys.find(r.ns);
    const SysctlKeys& keys = asked == context.keys.end() ? kNoKeys : asked->second;
    const Op op{r.ns, "observe", "namespace"};
    r.present = r.socket != nullptr;  // a cached socket's namespace was just checked (cached())
    // The netconf keys go through the socket; those it does not answer join the /proc/sys ones.
    std::vector<std::string> from_proc = keys.proc;
    const auto ask_netconf = [&] {
        r.snap.sysctls = read_netconf(*r.socket, keys.netconf, r.ns);
        for (const auto& key : keys.netconf)
            if (r.snap.sysctls.count(key) == 0) from_proc.push_back(key);
    };
    if (r.socket) ask_netconf();
    if (!r.socket || !from_proc.empty()) {
        const Fd fd = context.dir.open_if_exists(r.ns);
        if (!fd) {
            r.present = false;
            return;
        }
        r.present = true;
        const EnterNetns inside(fd, op, context.home);
        if (!r.socket) {
            r.id = netns_id_of(fd);
            r.new_socket = NlSocket::connect_here(op);
            r.socket = r.new_socket.get();
            ask_netconf();  // a new socket: asked while inside, so the namespace is entered once
        }
        NamespaceSysctls sysctls = std::move(r.sysctls);  // its directories close with the visit
        for (const auto& key : from_proc)
            if (auto v = sysctls.read(Op{r.ns, "read sysctl", key}, key))
                r.snap.sysctls[key] = std::move(*v);
    }
    // No lock around the dumps: see dump() for why they may run on several threads at once.
    read_links(r.snap, *r.socket, r.ns);
    read_addresses(r.snap, *r.socket, r.ns);
    read_routes(r.snap, *r.socket, r.ns);
    for (const auto& v : r.snap.veths) {
        if (!v.peer_nsid) continue;
        // Pairing resolves a veth from its end in the first namespace by name (PeerResolver walks
        // the namespaces in order), so only that end needs the answer.
        const auto hint = context.hinted_peer_ns.find(v.end);
        if (hint == context.hinted_peer_ns.end() || hint->second <= r.ns ||
            r.nsids.count(hint->second) != 0)
            continue;
        // A hinted namespace that is not there is asked about by no one: pairing needs the ids
        // of present namespaces only.
        const Fd peer = context.dir.open_if_exists(hint->second);
        if (!peer) continue;
        const Op ask{r.ns, "look up the namespace id of", hint->second};
        r.nsids[hint->second] = nsid_of(*r.socket, peer, ask);
    }
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
        if (!scope_.host_interfaces.empty()) host_ = read_host(sessions_);
        Topology t;
        for (auto& [name, snap] : snapshots_) t.namespaces[name] = to_namespace(name, snap);
        t.host_interfaces = host_interfaces();
        t.veths = pair_veths();
        normalize(t);
        return t;
    }

  private:
    // Namespaces are read in parallel: most of the cost is kernel time per namespace (dumps, and
    // the /proc/sys lookups that grow with the number of namespaces, see NamespaceSysctls), and
    // the namespaces are independent. Results are merged here, on the calling thread, in order.
    void read_namespaces() {
        const Fd home = current_netns(Op{kHostNamespace, "observe", "namespaces"});
        const ReadingContext context{dir_, split_keys(scope_.sysctls), hinted_peer_ns_, home};
        std::vector<Reading> readings;
        std::set<std::string> listed;
        for (const auto& ns : scope_.namespaces) {
            if (!listed.insert(ns).second) continue;
            Reading& r = readings.emplace_back();
            r.ns = ns;
            r.socket = sessions_.cached(ns);
        }
        for (Reading& r : readings) r.sysctls = sessions_.sysctls_for(r.ns, readings.size());
        run_in_parallel(readings.size(), threads_for(readings.size()),
                        [&](std::size_t i) { read_namespace(context, readings[i]); });
        for (auto& r : readings) {
            if (!r.present) continue;
            for (auto& [to, id] : r.nsids) known_nsids_[{r.ns, to}] = id;
            if (r.new_socket) sessions_.adopt(r.ns, std::move(r.new_socket), r.id);
            sessions_.learn_ifindexes(r.ns, ifindexes_of(r.snap));
            snapshots_[r.ns] = std::move(r.snap);
        }
    }

    static Namespace to_namespace(const std::string& name, const Snapshot& snap) {
        Namespace n;
        n.name = name;
        n.interfaces = snap.interfaces;
        n.routes = snap.routes;
        n.sysctls = snap.sysctls;
        if (const auto lo = n.interfaces.find("lo"); lo != n.interfaces.end())
            n.owner = lo->second.owner;
        return n;
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
