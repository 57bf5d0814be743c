#include "sessions.hpp"

#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <netlink/object.h>
#include <netlink/route/link.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <functional>

#include "dump_requests.hpp"

namespace nstopo::kernel {

Sessions::Sessions(const NetnsDir& dir) : dir_(dir), procs_(kProcInstanceSlots) {
    const Op op{"", "open", "the host namespace"};
    host_fd_.reset(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!host_fd_) fail(op, errno, "cannot open /proc/thread-self/ns/net");
    host_.socket = NlSocket::connect_here(op);
    host_.id = netns_id_of(host_fd_);
}

NlSocket& Sessions::socket(const Op& op) {
    return *session(op).socket;
}

Sessions::Session& Sessions::session(const Op& op) {
    if (op.ns.empty()) return host_;
    const auto id = dir_.id_of(op.ns);
    if (!id) {
        named_.erase(op.ns);
        fail(op, ENOENT, "namespace " + op.ns + " does not exist");
    }
    auto it = named_.find(op.ns);
    if (it != named_.end() && it->second.id == *id) return it->second;
    if (it != named_.end()) spdlog::debug("namespace {} was re-created; reconnecting", op.ns);
    named_.erase(op.ns);
    return named_.emplace(op.ns, connect(op)).first->second;
}

// The socket is made inside the namespace: setns on this thread around the connect only.
Sessions::Session Sessions::connect(const Op& op) {
    const Fd ns = dir_.open(op, op.ns);
    Session s;
    s.id = netns_id_of(ns);
    const EnterNetns inside(ns, op);
    s.socket = NlSocket::connect_here(op);
    return s;
}

NlSocket* Sessions::cached(const std::string& ns) {
    const auto it = named_.find(ns);
    if (it == named_.end()) return nullptr;
    if (dir_.id_of(ns) == it->second.id) return it->second.socket.get();
    named_.erase(it);
    return nullptr;
}

NamespaceSysctls Sessions::sysctls_for(const std::string& ns, std::size_t namespaces) {
    constexpr std::size_t kDirectUpTo = 32;
    if (std::max(namespaces, named_.size()) <= kDirectUpTo) return NamespaceSysctls(nullptr, 0);
    return NamespaceSysctls(&procs_, std::hash<std::string>{}(ns));
}

void Sessions::adopt(const std::string& ns, std::unique_ptr<NlSocket> socket, NetnsId id) {
    named_.erase(ns);
    named_.emplace(ns, Session{std::move(socket), id, {}});
}

void Sessions::drop(const std::string& ns) {
    named_.erase(ns);
}

void Sessions::drop_vanished() {
    for (auto it = named_.begin(); it != named_.end();) {
        if (dir_.id_of(it->first) == it->second.id) {
            ++it;
            continue;
        }
        spdlog::debug("namespace {} is gone or re-created; closing its socket", it->first);
        it = named_.erase(it);
    }
}

namespace {
void keep_link_index(nl_object* obj, void* index) {
    *static_cast<int*>(index) = rtnl_link_get_ifindex(reinterpret_cast<rtnl_link*>(obj));
}
}  // namespace

int Sessions::ifindex(const Op& op, const std::string& ifname) {
    Session& s = session(op);
    if (const auto it = s.ifindex.find(ifname); it != s.ifindex.end()) return it->second;
    // Asking for one link by name makes the kernel settle its pending link events first
    // (rtnl_getlink -> linkwatch_sync_dev), and for a veth whose carrier just came up that walks
    // the namespace's whole IPv6 routing tree (rt6_sync_up): a cost in the number of links, per
    // request. After a run of misses (links just created), one dump of the namespace's links
    // learns them all instead; the run it waits for grows with the namespace, so dumps stay
    // linear in total.
    if (++s.misses_since_dump >= std::max<std::size_t>(kMissesBeforeDump, s.ifindex.size() / 8)) {
        learn_by_dump(op, s);
        if (const auto it = s.ifindex.find(ifname); it != s.ifindex.end()) return it->second;
        fail(op, ENODEV, "no link named " + ifname);
    }
    nl_msg* raw = nullptr;
    if (rtnl_link_build_get_request(0, ifname.c_str(), &raw) < 0) fail(op, ENOMEM);
    const MsgPtr msg(raw);
    int index = 0;
    s.socket->request(op, msg.get(),
                      [&](nl_msg* reply) { nl_msg_parse(reply, keep_link_index, &index); });
    if (index <= 0) fail(op, ENODEV, "no link named " + ifname);
    s.ifindex[ifname] = index;
    return index;
}

void Sessions::learn_by_dump(const Op& op, Session& s) {
    const Op list{op.ns, "list", "links"};
    s.socket->consistently(list, [&] {
        s.ifindex.clear();
        s.socket->dump(list, link_dump_request(list).get(), [&](nl_msg* msg) {
            nlmsghdr* hdr = nlmsg_hdr(msg);
            nlattr* name = nlmsg_find_attr(hdr, sizeof(ifinfomsg), IFLA_IFNAME);
            if (name == nullptr) return;
            const auto* ifi = static_cast<const ifinfomsg*>(nlmsg_data(hdr));
            s.ifindex[nla_get_string(name)] = ifi->ifi_index;
        });
    });
    s.misses_since_dump = 0;
}

void Sessions::learn_ifindexes(const std::string& ns,
                               std::unordered_map<std::string, int> by_name) {
    if (ns.empty()) {
        host_.ifindex = std::move(by_name);
        return;
    }
    if (const auto it = named_.find(ns); it != named_.end())
        it->second.ifindex = std::move(by_name);
}

void Sessions::forget_ifindexes() {
    host_.ifindex.clear();
    for (auto& [_, s] : named_) s.ifindex.clear();
}

}  // namespace nstopo::kernel
