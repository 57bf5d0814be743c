#include "fake_kernel.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "nstopo/error.hpp"

namespace nstopo::test {

namespace {

std::string errno_name(int e) {
    const char* name = strerrorname_np(e);
    return name ? name : "errno " + std::to_string(e);
}

std::string label(const std::string& ns) {
    return ns.empty() ? "host" : ns;
}

std::string end_text(const std::string& ns, const std::string& ifname) {
    return VethEnd{ns, ifname}.str();
}

// The kernel's identity of an address on a link: IPv4 by address and prefix length, IPv6 by
// address alone.
bool same_address(const Cidr& x, const Cidr& y) {
    if (x.family() == Family::v6) return x.ip == y.ip;
    return x == y;
}

// Two IPv4 addresses in one subnet, where one is the other's secondary.
bool same_subnet(const Cidr& x, const Cidr& y) {
    return x.family() == Family::v4 && y.family() == Family::v4 && x.prefix_len == y.prefix_len &&
           x.network() == y.network();
}

bool has_ipv4(const std::vector<Cidr>& addresses) {
    return std::any_of(addresses.begin(), addresses.end(),
                       [](const Cidr& c) { return c.family() == Family::v4; });
}

}  // namespace

FakeKernel::FakeKernel() {
    make_space(kHostNamespace);
    place(kHostNamespace, "lo", make_loopback(""));
}

// --- the call protocol --------------------------------------------------------------------------

void FakeKernel::begin(const Call& call) {
    journal_.push_back(call.name + " " + call.args);
    const auto failure = failures_.find(call.name);
    if (failure == failures_.end()) return;
    const int e = failure->second;
    failures_.erase(failure);
    refuse(call, e);
}

void FakeKernel::refuse(const Call& call, int errno_value) {
    journal_.back() += " -> " + errno_name(errno_value);
    std::string operation = call.name;
    std::replace(operation.begin(), operation.end(), '_', ' ');
    throw Error(ErrorKind::kernel, "cannot " + operation, std::nullopt,
                KernelContext{call.ns, operation, call.args, errno_value, {}});
}

void FakeKernel::fail_next(const std::string& call, int errno_value) {
    failures_[call] = errno_value;
}

FakeKernel::Space& FakeKernel::space_or_refuse(const Call& call, const std::string& ns) {
    const auto it = spaces_.find(ns);
    if (it == spaces_.end()) refuse(call, ENOENT);
    return it->second;
}

FakeKernel::Link& FakeKernel::link_or_refuse(const Call& call, const std::string& ns,
                                             const std::string& ifname) {
    auto& links = space_or_refuse(call, ns).links;
    const auto it = links.find(ifname);
    if (it == links.end()) refuse(call, ENODEV);
    return it->second;
}

// --- reading ------------------------------------------------------------------------------------

Topology FakeKernel::observe(const ObserveScope& scope) {
    Topology t;
    for (const auto& name : scope.namespaces) {
        const auto it = spaces_.find(name);
        if (name == kHostNamespace || it == spaces_.end()) continue;
        const auto keys = scope.sysctls.find(name);
        t.namespaces[name] =
            to_model(name, it->second,
                     keys == scope.sysctls.end() ? std::vector<std::string>{} : keys->second);
    }
    const auto& host = spaces_.at(kHostNamespace).links;
    for (const auto& name : scope.host_interfaces)
        if (const auto it = host.find(name); it != host.end())
            t.host_interfaces[name] = to_model(name, it->second);
    if (scope.host_routing) {
        const Space& host_space = spaces_.at(kHostNamespace);
        t.host_routing.routes = host_space.routes;
        for (const auto& r : host_space.routes)
            if (!host_space.by_hand.contains({r.to, r.metric})) t.host_routes.push_back(r);
        for (const auto& [name, link] : host)
            if (!link.addresses.empty()) t.host_routing.addresses[name] = link.addresses;
    }
    // A link's forwarding key goes with the link; the host's tables are read by id.
    const Space& host_space = spaces_.at(kHostNamespace);
    for (const auto& key : scope.host_sysctls) {
        const auto link = ifname_of_forwarding_key(key);
        if (!link || host.contains(*link)) t.host_sysctls[key] = sysctl(kHostNamespace, key);
    }
    for (const auto& id : scope.host_tables)
        if (const auto it = host_space.tables.find(id); it != host_space.tables.end())
            t.host_tables[id] = it->second;
    // A pair appears once, when both of its ends were read.
    for (const auto& [ns, space] : spaces_)
        for (const auto& [ifname, link] : space.links) {
            const VethEnd end{ns, ifname};
            if (!link.peer || !(end < *link.peer)) continue;
            if (t.find_interface(ns, ifname) && t.find_interface(link.peer->ns, link.peer->ifname))
                t.veths.push_back(Veth{end, *link.peer, {}});
        }
    normalize(t);
    age_freed_links();
    return t;
}

Interface FakeKernel::to_model(const std::string& name, const Link& link) const {
    Interface i;
    i.name = name;
    i.kind = link.kind;
    i.addresses = link.addresses;
    i.state = link.state;
    i.mtu = link.mtu;
    i.mac = link.mac;
    i.master = link.master;
    i.bridge = link.bridge;
    i.shaping = link.shaping;
    i.owner = link.owner;
    i.ifindex = link.ifindex;
    return i;
}

Namespace FakeKernel::to_model(const std::string& name, const Space& space,
                               const std::vector<std::string>& sysctl_keys) const {
    Namespace n;
    n.name = name;
    for (const auto& [ifname, link] : space.links) n.interfaces[ifname] = to_model(ifname, link);
    n.routes = space.routes;
    for (const auto& key : sysctl_keys) n.sysctls[key] = sysctl(name, key);
    n.owner = space.links.at("lo").owner;
    n.tables = space.tables;
    n.identity = space.cookie;
    return n;
}

std::vector<std::string> FakeKernel::list_namespaces() {
    std::vector<std::string> names;
    for (const auto& [name, _] : spaces_)
        if (name != kHostNamespace) names.push_back(name);
    return names;
}

// --- namespaces ---------------------------------------------------------------------------------

FakeKernel::Space& FakeKernel::make_space(const std::string& name) {
    Space& space = spaces_[name];
    space.cookie = ++cookies_made_;
    return space;
}

void FakeKernel::place(const std::string& ns, const std::string& ifname, Link link) {
    Space& space = spaces_.at(ns);
    link.ifindex = space.next_ifindex++;
    space.links[ifname] = std::move(link);
}

FakeKernel::Link FakeKernel::make_loopback(const std::string& owner) const {
    Link lo;
    lo.kind = LinkKind::loopback;
    lo.mtu = 65536;
    lo.owner = owner;
    return lo;
}

void FakeKernel::create_namespace(const std::string& name, const std::string& lab) {
    const Call call{"create_namespace", name, name};
    begin(call);
    if (name.empty()) refuse(call, EINVAL);
    if (spaces_.count(name)) refuse(call, EEXIST);
    make_space(name);
    place(name, "lo", make_loopback(lab));
}

void FakeKernel::delete_namespace(const std::string& name) {
    const Call call{"delete_namespace", name, name};
    begin(call);
    if (name.empty()) refuse(call, EINVAL);
    space_or_refuse(call, name);
    free_peers_of(name);
    spaces_.erase(name);
}

// The veth ends elsewhere whose peers live in `ns` go with it, now or after free_delay_ observes.
void FakeKernel::free_peers_of(const std::string& ns) {
    std::vector<VethEnd> peers;
    for (const auto& [_, link] : spaces_.at(ns).links)
        if (link.peer && link.peer->ns != ns) peers.push_back(*link.peer);
    for (const auto& peer : peers) {
        if (free_delay_ <= 0) {
            remove_link(peer);
            continue;
        }
        Link& ghost = spaces_.at(peer.ns).links.at(peer.ifname);
        ghost.peer.reset();
        ghost.frees_after = free_delay_;
    }
}

void FakeKernel::age_freed_links() {
    std::vector<VethEnd> gone;
    for (auto& [ns, space] : spaces_)
        for (auto& [ifname, link] : space.links)
            if (link.frees_after > 0 && --link.frees_after == 0) gone.push_back({ns, ifname});
    for (const auto& end : gone) remove_link(end);
}

// --- links --------------------------------------------------------------------------------------

void FakeKernel::create_veth(const Veth& veth, const std::string& lab) {
    const Call call{"create_veth", veth.a.ns, veth.a.str() + " <-> " + veth.b.str()};
    begin(call);
    for (const auto* end : {&veth.a, &veth.b}) {
        if (!interface_name_problem(end->ifname).empty()) refuse(call, EINVAL);
        if (space_or_refuse(call, end->ns).links.count(end->ifname)) refuse(call, EEXIST);
    }
    if (veth.a == veth.b) refuse(call, EEXIST);
    for (const auto& [end, peer] : {std::pair{veth.a, veth.b}, std::pair{veth.b, veth.a}}) {
        Link link;
        ++macs_made_;
        link.mac = MacAddress({0x02, 0x00, 0x00, static_cast<std::uint8_t>(macs_made_ >> 16),
                               static_cast<std::uint8_t>(macs_made_ >> 8),
                               static_cast<std::uint8_t>(macs_made_)});
        link.owner = lab;
        link.peer = peer;
        place(end.ns, end.ifname, link);
    }
}

void FakeKernel::create_bridge(const std::string& ns, const std::string& ifname,
                               const BridgeOptions& options, const std::string& lab) {
    const Call call{"create_bridge", ns, end_text(ns, ifname)};
    begin(call);
    if (!interface_name_problem(ifname).empty()) refuse(call, EINVAL);
    if (space_or_refuse(call, ns).links.count(ifname)) refuse(call, EEXIST);
    Link link;
    link.kind = LinkKind::bridge;
    ++macs_made_;
    link.mac = MacAddress({0x02, 0x00, 0x01, static_cast<std::uint8_t>(macs_made_ >> 16),
                           static_cast<std::uint8_t>(macs_made_ >> 8),
                           static_cast<std::uint8_t>(macs_made_)});
    link.owner = lab;
    link.bridge = options;
    place(ns, ifname, link);
}

void FakeKernel::set_bridge_options(const std::string& ns, const std::string& ifname,
                                    const BridgeOptions& options) {
    const Call call{"set_bridge_options", ns, end_text(ns, ifname)};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (!link.bridge) refuse(call, EOPNOTSUPP);
    link.bridge = options;
}

// As the kernel: a bridge cannot be a port (ELOOP for itself, EBUSY for another here), a port of
// one bridge moves to another, and lo cannot be a port.
void FakeKernel::set_master(const std::string& ns, const std::string& ifname,
                            const std::string& master) {
    const Call call{"set_master", ns, end_text(ns, ifname) + " " + master};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (!master.empty()) {
        const Link& bridge = link_or_refuse(call, ns, master);
        if (!bridge.bridge) refuse(call, EOPNOTSUPP);
        if (master == ifname) refuse(call, ELOOP);
        if (link.bridge || link.kind == LinkKind::loopback) refuse(call, EINVAL);
    }
    link.master = master;
}

void FakeKernel::delete_link(const std::string& ns, const std::string& ifname) {
    const Call call{"delete_link", ns, end_text(ns, ifname)};
    begin(call);
    const Link& link = link_or_refuse(call, ns, ifname);
    if (link.kind == LinkKind::loopback) refuse(call, EOPNOTSUPP);
    const auto peer = link.peer;
    remove_link({ns, ifname});
    if (peer) remove_link(*peer);
}

void FakeKernel::remove_link(const VethEnd& end) {
    auto& space = spaces_.at(end.ns);
    flush_routes(end.ns, end.ifname, std::nullopt);
    // A bridge's ports are detached when it goes.
    for (auto& [_, port] : space.links)
        if (port.master == end.ifname) port.master.clear();
    space.links.erase(end.ifname);
}

void FakeKernel::flush_routes(const std::string& ns, const std::string& dev,
                              std::optional<Family> only) {
    auto& routes = spaces_.at(ns).routes;
    routes.erase(std::remove_if(routes.begin(), routes.end(),
                                [&](const Route& r) {
                                    return r.dev == dev && (!only || r.family() == *only);
                                }),
                 routes.end());
}

void FakeKernel::set_link_state(const std::string& ns, const std::string& ifname, LinkState s) {
    const Call call{"set_link_state", ns, end_text(ns, ifname) + " " + to_string(s)};
    begin(call);
    link_or_refuse(call, ns, ifname).state = s;
    if (s == LinkState::down) flush_routes(ns, ifname, std::nullopt);
}

void FakeKernel::set_mtu(const std::string& ns, const std::string& ifname, std::uint32_t mtu) {
    const Call call{"set_mtu", ns, end_text(ns, ifname) + " " + std::to_string(mtu)};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (mtu < 68 || mtu > 65535) refuse(call, EINVAL);
    link.mtu = mtu;
}

void FakeKernel::set_mac(const std::string& ns, const std::string& ifname, const MacAddress& mac) {
    const Call call{"set_mac", ns, end_text(ns, ifname) + " " + mac.str()};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (mac.is_zero() || mac.is_multicast()) refuse(call, EADDRNOTAVAIL);
    link.mac = mac;
}

// --- addresses ----------------------------------------------------------------------------------

void FakeKernel::add_address(const std::string& ns, const std::string& ifname, const Cidr& a, Dad) {
    const Call call{"add_address", ns, end_text(ns, ifname) + " " + a.str()};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (std::any_of(link.addresses.begin(), link.addresses.end(),
                    [&](const Cidr& c) { return same_address(c, a); }))
        refuse(call, EEXIST);
    link.addresses.push_back(a);
}

void FakeKernel::delete_address(const std::string& ns, const std::string& ifname, const Cidr& a) {
    const Call call{"delete_address", ns, end_text(ns, ifname) + " " + a.str()};
    begin(call);
    auto& addresses = link_or_refuse(call, ns, ifname).addresses;
    const auto it = std::find(addresses.begin(), addresses.end(), a);
    if (it == addresses.end()) refuse(call, EADDRNOTAVAIL);
    const auto primary = std::find_if(addresses.begin(), addresses.end(),
                                      [&](const Cidr& c) { return same_subnet(c, a); });
    if (a.family() == Family::v4 && primary == it && !promotes_secondaries(ns)) {
        // Without promotion the kernel drops the primary's secondaries with it.
        addresses.erase(std::remove_if(addresses.begin(), addresses.end(),
                                       [&](const Cidr& c) { return same_subnet(c, a); }),
                        addresses.end());
    } else {
        addresses.erase(it);
    }
    if (!has_ipv4(addresses)) flush_routes(ns, ifname, Family::v4);
}

bool FakeKernel::promotes_secondaries(const std::string& ns) const {
    return sysctl(ns, "net.ipv4.conf.all.promote_secondaries") == "1";
}

// --- routes -------------------------------------------------------------------------------------

void FakeKernel::add_route(const std::string& ns, const Route& r) {
    const Call call{"add_route", ns, label(ns) + " " + r.str()};
    begin(call);
    Space& space = space_or_refuse(call, ns);
    if (!r.to.is_network()) refuse(call, EINVAL);
    if (std::any_of(space.routes.begin(), space.routes.end(),
                    [&](const Route& x) { return x.same_key(r); }))
        refuse(call, EEXIST);
    int error = 0;
    const auto dev = route_device(space, r, error);
    if (!dev) refuse(call, error);
    Route added = r;
    added.dev = dev;
    added.where = {};
    space.routes.push_back(added);
    space.by_hand.erase({r.to, r.metric});
}

void FakeKernel::add_route_by_hand(const std::string& ns, const Route& r) {
    Space& space = spaces_.at(ns);
    int error = 0;
    const auto dev = route_device(space, r, error);
    if (!dev) throw std::logic_error("add_route_by_hand: the kernel would refuse " + r.str());
    Route added = r;
    added.dev = dev;
    added.where = {};
    space.routes.push_back(added);
    space.by_hand.insert({r.to, r.metric});
}

// The device a route goes out of, or nullopt with the kernel's errno in `error`.
std::optional<std::string> FakeKernel::route_device(const Space& space, const Route& r,
                                                    int& error) const {
    if (r.dev && !space.links.count(*r.dev)) {
        error = ENODEV;
        return std::nullopt;
    }
    if (!r.via) {
        if (!r.dev) {
            error = EINVAL;
            return std::nullopt;
        }
        if (space.links.at(*r.dev).state != LinkState::up) {
            error = ENETDOWN;
            return std::nullopt;
        }
        return r.dev;
    }
    // The gateway must be on a connected subnet: an address of an up link.
    for (const auto& [ifname, link] : space.links) {
        if (link.state != LinkState::up || (r.dev && *r.dev != ifname)) continue;
        for (const auto& a : link.addresses)
            if (a.contains(*r.via)) return ifname;
    }
    error = ENETUNREACH;
    return std::nullopt;
}

void FakeKernel::delete_route(const std::string& ns, const Route& r) {
    const Call call{"delete_route", ns, label(ns) + " " + r.str()};
    begin(call);
    auto& routes = space_or_refuse(call, ns).routes;
    const auto it = std::find_if(routes.begin(), routes.end(), [&](const Route& x) {
        return x.same_key(r) && (!r.via || x.via == r.via) && (!r.dev || x.dev == r.dev);
    });
    if (it == routes.end()) refuse(call, ESRCH);
    routes.erase(it);
}

// --- sysctls ------------------------------------------------------------------------------------

void FakeKernel::set_sysctl(const std::string& ns, const std::string& key,
                            const std::string& value) {
    const Call call{"set_sysctl", ns, label(ns) + " " + key + "=" + value};
    begin(call);
    Space& space = space_or_refuse(call, ns);
    if (const auto it = sysctl_access_.find(key); it != sysctl_access_.end())
        if (it->second != SysctlAccess::writable)
            refuse(call, it->second == SysctlAccess::missing ? ENOENT : EACCES);
    space.sysctls[key] = value;
}

std::map<std::string, SysctlAccess> FakeKernel::sysctl_access(
    const std::vector<std::string>& keys) {
    std::map<std::string, SysctlAccess> answers;
    for (const auto& key : keys) {
        const auto it = sysctl_access_.find(key);
        answers[key] = it == sysctl_access_.end() ? SysctlAccess::writable : it->second;
    }
    return answers;
}

// --- shaping ------------------------------------------------------------------------------------

std::map<std::string, bool> FakeKernel::qdisc_support(const std::vector<std::string>& kinds) {
    std::map<std::string, bool> answers;
    for (const auto& kind : kinds) {
        const auto it = qdisc_support_.find(kind);
        answers[kind] = it == qdisc_support_.end() || it->second;
    }
    return answers;
}

void FakeKernel::require_qdiscs(const Call& call, const Shaping& s) {
    const auto needs = [&](const char* kind) {
        const auto it = qdisc_support_.find(kind);
        if (it != qdisc_support_.end() && !it->second) refuse(call, ENOENT);
    };
    if (s.rate) needs("tbf");
    if (s.netem) needs("netem");
}

void FakeKernel::add_shaping(const std::string& ns, const std::string& ifname,
                             const Shaping& shaping) {
    const Call call{"add_shaping", ns, end_text(ns, ifname) + " " + shaping.str()};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (link.shaping) refuse(call, EEXIST);
    require_qdiscs(call, shaping);
    link.shaping = shaping;
    ++link.qdiscs_made;
}

// The layout (see Kernel): a TBF root for a rate alone, a netem root otherwise.
void FakeKernel::change_shaping(const std::string& ns, const std::string& ifname,
                                const Shaping& from, const Shaping& to) {
    const Call call{"change_shaping", ns, end_text(ns, ifname) + " " + to.str()};
    begin(call);
    Link& link = link_or_refuse(call, ns, ifname);
    if (!link.shaping) refuse(call, ENOENT);
    require_qdiscs(call, to);
    const bool in_place = from.foreign.empty() && link.shaping->foreign.empty() &&
                          from.netem.has_value() == to.netem.has_value();
    if (!in_place) ++link.qdiscs_made;
    link.shaping = to;
}

void FakeKernel::remove_shaping(const std::string& ns, const std::string& ifname) {
    const Call call{"remove_shaping", ns, end_text(ns, ifname)};
    begin(call);
    link_or_refuse(call, ns, ifname).shaping.reset();
}

void FakeKernel::set_qdisc_by_hand(const std::string& ns, const std::string& ifname,
                                   std::optional<Shaping> shaping) {
    if (!has_link(ns, ifname))
        throw std::logic_error("set_qdisc_by_hand: no link " + end_text(ns, ifname));
    spaces_.at(ns).links.at(ifname).shaping = std::move(shaping);
}

// --- processes -----------------------------------------------------------------------------------

ProcessIdentity FakeKernel::next_identity(int pid) {
    return ProcessIdentity{pid ? pid : next_pid_++, ticks_++};
}

FakeKernel::FakeProcess* FakeKernel::find_process(const ProcessIdentity& id) {
    for (auto& p : processes_)
        if (p.alive && p.id == id) return &p;
    return nullptr;
}

ProcessIdentity FakeKernel::start_process(
    const std::string& ns, const Process& p, const std::string& log_path,
    const std::function<void(const ProcessIdentity&)>& started) {
    const Call call{"start_process", ns, label(ns) + " " + p.name + ": " + p.command_line()};
    begin(call);
    const Space& space = space_or_refuse(call, ns);
    const ProcessIdentity id = next_identity();
    processes_.push_back(
        FakeProcess{id, id.pid, space.cookie, p.name, p.command_line(), log_path, true});
    const StartFate fate = std::exchange(next_start_, StartFate::runs);
    try {
        if (started) started(id);
    } catch (...) {
        processes_.back().alive = false;  // not released: it exits without being executed
        throw;
    }
    if (fate != StartFate::runs) processes_.back().alive = false;
    if (fate == StartFate::nstopo_killed)
        throw Error(ErrorKind::kernel, "nstopo was killed (simulated) while starting " + p.name);
    return id;
}

ProcessState FakeKernel::process_state(const std::string& ns, const ProcessIdentity& id) {
    const FakeProcess* p = find_process(id);
    if (!p) return ProcessState::exited;
    const auto space = spaces_.find(ns);
    return space != spaces_.end() && space->second.cookie == p->cookie ? ProcessState::running
                                                                       : ProcessState::astray;
}

void FakeKernel::stop_process(const std::string& ns, const ProcessIdentity& id) {
    begin(Call{"stop_process", ns, label(ns) + " pid " + std::to_string(id.pid)});
    if (!find_process(id)) return;
    for (auto& p : processes_)
        if (p.alive && p.pgid == id.pid) p.alive = false;
}

void FakeKernel::stop_processes_in(const std::vector<std::string>& namespaces) {
    // Journaled only when it finds something to stop, as it changes nothing otherwise.
    const bool any = std::any_of(namespaces.begin(), namespaces.end(),
                                 [&](const std::string& n) { return processes_in(n) > 0; });
    if (!any) return;
    std::string names;
    for (const auto& n : namespaces) names += (names.empty() ? "" : " ") + n;
    begin(Call{"stop_processes_in", "", names});
    for (const auto& n : namespaces) {
        const auto space = spaces_.find(n);
        if (space == spaces_.end()) continue;
        for (auto& p : processes_)
            if (p.alive && p.cookie == space->second.cookie) p.alive = false;
    }
}

void FakeKernel::kill_process(int pid) {
    for (auto& p : processes_)
        if (p.alive && p.id.pid == pid) p.alive = false;
}

int FakeKernel::fork_daemon(int pid) {
    for (auto& p : processes_)
        if (p.alive && p.id.pid == pid) {
            FakeProcess daemon = p;
            daemon.id = next_identity();
            daemon.pgid = daemon.id.pid;
            daemon.name += "-daemon";
            processes_.push_back(daemon);
            return daemon.id.pid;
        }
    throw std::logic_error("fork_daemon: no live process " + std::to_string(pid));
}

void FakeKernel::reuse_pid(int pid) {
    for (const auto& p : processes_)
        if (p.alive && p.id.pid == pid)
            throw std::logic_error("reuse_pid: " + std::to_string(pid) + " is still live");
    const ProcessIdentity id = next_identity(pid);
    processes_.push_back(FakeProcess{id, pid, spaces_.at(kHostNamespace).cookie, "", "", "", true});
}

int FakeKernel::processes_in(const std::string& ns) const {
    const auto space = spaces_.find(ns);
    if (space == spaces_.end()) return 0;
    return static_cast<int>(std::count_if(processes_.begin(), processes_.end(), [&](const auto& p) {
        return p.alive && p.cookie == space->second.cookie;
    }));
}

int FakeKernel::live_processes() const {
    return static_cast<int>(
        std::count_if(processes_.begin(), processes_.end(), [](const auto& p) { return p.alive; }));
}

std::string FakeKernel::command_of(const std::string& ns, const std::string& name) const {
    const auto space = spaces_.find(ns);
    for (const auto& p : processes_)
        if (p.alive && p.name == name && space != spaces_.end() && p.cookie == space->second.cookie)
            return p.command;
    return "";
}

std::string FakeKernel::log_of(const std::string& ns, const std::string& name) const {
    const auto space = spaces_.find(ns);
    for (const auto& p : processes_)
        if (p.alive && p.name == name && space != spaces_.end() && p.cookie == space->second.cookie)
            return p.log;
    return "";
}

void FakeKernel::set_sysctl_by_hand(const std::string& ns, const std::string& key,
                                    const std::string& value) {
    spaces_.at(ns).sysctls[key] = value;
}

std::string FakeKernel::sysctl(const std::string& ns, const std::string& key) const {
    const auto space = spaces_.find(ns);
    if (space == spaces_.end()) return "0";
    const auto it = space->second.sysctls.find(key);
    return it == space->second.sysctls.end() ? "0" : it->second;
}

// --- setup by hand and inspection ---------------------------------------------------------------

void FakeKernel::add_unmarked_namespace(const std::string& name) {
    if (name.empty() || spaces_.count(name))
        throw std::logic_error("add_unmarked_namespace: '" + name + "' exists");
    make_space(name);
    place(name, "lo", make_loopback(""));
}

void FakeKernel::add_link(const std::string& ns, const std::string& ifname, LinkKind kind,
                          const std::string& owner) {
    const auto space = spaces_.find(ns);
    if (space == spaces_.end() || space->second.links.count(ifname))
        throw std::logic_error("add_link: no namespace '" + ns + "' or '" + ifname + "' exists");
    Link link;
    link.kind = kind;
    link.owner = owner;
    place(ns, ifname, link);
}

void FakeKernel::set_mark(const std::string& ns, const std::string& ifname,
                          const std::string& lab) {
    if (!has_link(ns, ifname)) throw std::logic_error("set_mark: no link " + end_text(ns, ifname));
    spaces_.at(ns).links.at(ifname).owner = lab;
}

bool FakeKernel::has_namespace(const std::string& name) const {
    return !name.empty() && spaces_.count(name) > 0;
}

bool FakeKernel::has_link(const std::string& ns, const std::string& ifname) const {
    const auto space = spaces_.find(ns);
    return space != spaces_.end() && space->second.links.count(ifname) > 0;
}

std::vector<Cidr> FakeKernel::addresses(const std::string& ns, const std::string& ifname) const {
    if (!has_link(ns, ifname)) return {};
    return spaces_.at(ns).links.at(ifname).addresses;
}

}  // namespace nstopo::test
