#include "read_namespace.hpp"

#include "netconf.hpp"
#include "nftables.hpp"
#include "nsid.hpp"
#include "qdisc.hpp"

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

namespace {

const SysctlKeys& keys_of(const ReadingContext& context, const std::string& ns) {
    static const SysctlKeys kNoKeys;
    const auto asked = context.keys.find(ns);
    return asked == context.keys.end() ? kNoKeys : asked->second;
}

// The netconf keys go through the socket; those it does not answer join the /proc/sys ones.
void ask_netconf(Reading& r, const std::vector<std::string>& netconf,
                 std::vector<std::string>& from_proc) {
    r.snap.sysctls = read_netconf(*r.socket, netconf, r.ns);
    for (const auto& key : netconf)
        if (r.snap.sysctls.count(key) == 0) from_proc.push_back(key);
}

// The calling thread is inside the namespace, which `fd` refers to.
void connect_inside(const Fd& fd, const Op& op, Reading& r) {
    r.id = netns_id_of(fd);
    r.new_socket = NlSocket::connect_here(op);
    r.socket = r.new_socket.get();
}

// The calling thread is inside the namespace.
void read_proc_sysctls(Reading& r, const std::vector<std::string>& keys) {
    NamespaceSysctls sysctls = std::move(r.sysctls);  // its directories close with the visit
    for (const auto& key : keys)
        if (auto v = sysctls.read(Op{r.ns, "read sysctl", key}, key))
            r.snap.sysctls[key] = std::move(*v);
}

// The visit inside the namespace: its socket unless one is cached, then the /proc/sys keys.
// False if the namespace is not there.
bool visit(const ReadingContext& context, Reading& r, const std::vector<std::string>& netconf,
           std::vector<std::string>& from_proc) {
    const Fd fd = context.dir.open_if_exists(r.ns);
    if (!fd) return false;
    const Op op{r.ns, "observe", "namespace"};
    const EnterNetns inside(fd, op, context.home);
    if (!r.socket) {
        connect_inside(fd, op, r);
        // A new socket: asked while inside, so the namespace is entered once.
        ask_netconf(r, netconf, from_proc);
    }
    read_proc_sysctls(r, from_proc);
    return true;
}

// The ids the namespace gives its veths' hinted peer namespaces (Reading::nsids).
void ask_hinted_nsids(const ReadingContext& context, Reading& r) {
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

// The namespace's nftables tables, listed from inside it (libnftables opens its socket where its
// context is made). Contexts are made one at a time (see nftables.cpp).
void read_tables(const ReadingContext& context, Reading& r) {
    const Fd fd = context.dir.open_if_exists(r.ns);
    if (!fd) return;
    const Op op{r.ns, "list nftables", "ruleset"};
    const EnterNetns inside(fd, op, context.home);
    r.snap.tables = list_tables_here(op);
}

}  // namespace

void read_namespace(const ReadingContext& context, Reading& r) {
    const SysctlKeys& keys = keys_of(context, r.ns);
    r.present = r.socket != nullptr;  // a cached socket's namespace was just checked (cached())
    std::vector<std::string> from_proc = keys.proc;
    if (r.socket) ask_netconf(r, keys.netconf, from_proc);
    if (!r.socket || !from_proc.empty()) {
        r.present = visit(context, r, keys.netconf, from_proc);
        if (!r.present) return;
    }
    // No lock around the dumps: see dump() in snapshot.cpp for why they may run on several threads
    // at once.
    r.snap.netns_cookie = r.socket->netns_cookie();
    read_links(r.snap, *r.socket, r.ns);
    read_addresses(r.snap, *r.socket, r.ns);
    read_routes(r.snap, *r.socket, r.ns);
    read_qdiscs(r.snap, *r.socket, r.ns);
    if (context.nftables) read_tables(context, r);
    ask_hinted_nsids(context, r);
}

}  // namespace nstopo::kernel
