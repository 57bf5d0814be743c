#include "read_namespace.hpp"

#include "netconf.hpp"
#include "nsid.hpp"

namespace nstopo::kernel {

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
    // No lock around the dumps: see dump() in snapshot.cpp for why they may run on several threads
    // at once.
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

}  // namespace nstopo::kernel
