#include "nstopo/model.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <tuple>
#include <utility>

namespace nstopo {

std::string SourceLocation::str() const {
    if (!known()) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string to_string(LinkState s) {
    return s == LinkState::up ? "up" : "down";
}

std::string to_string(LinkKind k) {
    switch (k) {
        case LinkKind::veth:
            return "veth";
        case LinkKind::loopback:
            return "loopback";
        case LinkKind::bridge:
            return "bridge";
        case LinkKind::other:
            return "other";
    }
    return "other";
}

std::string VethEnd::str() const {
    return in_host() ? ifname : ns + "/" + ifname;
}

Veth Veth::canonical() const {
    Veth v = *this;
    if (v.b < v.a) std::swap(v.a, v.b);
    return v;
}

namespace {
// A veth's ends in the order canonical() puts them, without copying them.
std::pair<const VethEnd&, const VethEnd&> ordered_ends(const Veth& v) {
    if (v.b < v.a) return {v.b, v.a};
    return {v.a, v.b};
}
}  // namespace

bool Veth::same_pair(const Veth& o) const {
    return ordered_ends(*this) == ordered_ends(o);
}

bool Interface::operator==(const Interface& o) const {
    return std::tie(name, kind, addresses, state, mtu, mac, master, bridge, shaping, owner) ==
           std::tie(o.name, o.kind, o.addresses, o.state, o.mtu, o.mac, o.master, o.bridge,
                    o.shaping, o.owner);
}

bool fulfils(const Route& have, const Route& want) {
    return have.via == want.via && (!want.dev || have.dev == want.dev);
}

std::uint32_t default_metric(Family f) {
    return f == Family::v4 ? 0 : 1024;
}

std::optional<std::uint32_t> default_mtu(LinkKind k) {
    switch (k) {
        case LinkKind::veth:
            return 1500;
        case LinkKind::loopback:
            return 65536;
        case LinkKind::bridge:  // follows its ports; a bridge without ports has 1500
        case LinkKind::other:
            return std::nullopt;
    }
    return std::nullopt;
}

namespace {
// A sysctl's value as a number; -1 when it is not set or not a number.
long sysctl_number(const std::map<std::string, std::string>& sysctls, const std::string& key) {
    const auto it = sysctls.find(key);
    if (it == sysctls.end()) return -1;
    try {
        return std::stol(it->second);
    } catch (const std::exception&) {
        return -1;
    }
}
}  // namespace

Dad dad_for(const Namespace& ns, const std::string& ifname) {
    const std::string conf = "net.ipv6.conf.";
    long link = sysctl_number(ns.sysctls, conf + ifname + ".accept_dad");
    if (link < 0) link = sysctl_number(ns.sysctls, kIpv6DefaultAcceptDad);
    const long all = sysctl_number(ns.sysctls, conf + "all.accept_dad");
    return link >= 1 || all >= 1 ? Dad::detect : Dad::skip;
}

std::string Check::label() const {
    return name.empty() ? str() : name;
}

std::string Check::str() const {
    std::string s = from + " -> " + to.str();
    if (tcp) s += " tcp " + std::to_string(*tcp);
    if (source) s += " from " + source->str();
    if (via) s += " via " + via->str();
    return s;
}

std::string Route::str() const {
    std::string s = to.is_default() ? "default" : to.str();
    if (to.is_default() && to.family() == Family::v6) s += " (IPv6)";
    if (via) s += " via " + via->str();
    if (dev) s += " dev " + *dev;
    s += " metric " + std::to_string(metric);
    return s;
}

bool Route::operator==(const Route& o) const {
    return std::tie(to, via, dev, metric) == std::tie(o.to, o.via, o.dev, o.metric);
}

bool sysctl_shapes_new_links(const std::string& key) {
    return key.rfind("net.ipv4.conf.default.", 0) == 0 ||
           key.rfind("net.ipv6.conf.default.", 0) == 0;
}

bool Namespace::forwarding() const {
    const auto it = sysctls.find(kIpv4Forwarding);
    return it != sysctls.end() && it->second == "1";
}

bool Namespace::operator==(const Namespace& o) const {
    return std::tie(name, interfaces, routes, sysctls, processes, tables, owner) ==
           std::tie(o.name, o.interfaces, o.routes, o.sysctls, o.processes, o.tables, o.owner);
}

namespace {

// An argument as a shell would need it to read it back: bare when it is plain, else in single
// quotes.
std::string shell_word(const std::string& arg) {
    const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
    });
    if (plain) return arg;
    std::string out = "'";
    for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

// FNV-1a, 64 bits.
void Digest::add(const std::string& field) {
    mix(std::to_string(field.size()) + ":");
    mix(field);
}

std::string Digest::hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
    return out;
}

void Digest::mix(const std::string& bytes) {
    for (const unsigned char c : bytes) h_ = (h_ ^ c) * 1099511628211ull;
}

std::string Process::command_line() const {
    std::string out;
    for (const auto& arg : command) out += (out.empty() ? "" : " ") + shell_word(arg);
    return out;
}

std::string Process::definition_hash() const {
    Digest d;
    d.add("command");
    for (const auto& arg : command) d.add(arg);
    d.add("directory");
    d.add(directory);
    d.add("user");
    d.add(user);
    d.add("env");
    for (const auto& [k, v] : env) {
        d.add(k);
        d.add(v);
    }
    d.add("mounts");
    for (const auto& [target, source] : mounts) {
        d.add(target);
        d.add(source);
    }
    d.add(mounts_digest);
    return d.hex();
}

bool Process::operator==(const Process& o) const {
    return std::tie(name, command, directory, user, env, mounts, mounts_digest) ==
           std::tie(o.name, o.command, o.directory, o.user, o.env, o.mounts, o.mounts_digest);
}

std::string process_exit_file(const std::string& log) {
    const std::string_view suffix = ".log";
    if (log.size() > suffix.size() &&
        std::string_view(log).substr(log.size() - suffix.size()) == suffix)
        return log.substr(0, log.size() - suffix.size()) + ".exit";
    return log + ".exit";
}

std::string to_string(ProcessState s) {
    switch (s) {
        case ProcessState::running:
            return "running";
        case ProcessState::exited:
            return "exited";
        case ProcessState::astray:
            return "astray";
    }
    return "exited";
}

const Interface* Topology::find_interface(const std::string& ns, const std::string& ifname) const {
    const std::map<std::string, Interface>* links = &host_interfaces;
    if (ns != kHostNamespace) {
        const auto n = namespaces.find(ns);
        if (n == namespaces.end()) return nullptr;
        links = &n->second.interfaces;
    }
    const auto i = links->find(ifname);
    return i == links->end() ? nullptr : &i->second;
}

Interface* Topology::find_interface(const std::string& ns, const std::string& ifname) {
    return const_cast<Interface*>(std::as_const(*this).find_interface(ns, ifname));
}

const Veth* Topology::find_veth(const VethEnd& end) const {
    for (const auto& v : veths)
        if (v.has_end(end)) return &v;
    return nullptr;
}

namespace {
// Called O(n log n) times when a lab's veths are sorted: compares in place, copies nothing.
bool veth_less(const Veth& x, const Veth& y) {
    return ordered_ends(x) < ordered_ends(y);
}

bool same_pairs_in_order(const std::vector<Veth>& x, const std::vector<Veth>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](const Veth& a, const Veth& b) { return a.same_pair(b); });
}
}  // namespace

bool Topology::operator==(const Topology& o) const {
    if (std::tie(name, namespaces, host_interfaces, host_routes, uplink, host_tables,
                 host_sysctls) != std::tie(o.name, o.namespaces, o.host_interfaces, o.host_routes,
                                           o.uplink, o.host_tables, o.host_sysctls))
        return false;
    if (veths.size() != o.veths.size()) return false;
    // Normalized topologies (see normalize) have their veths in order already.
    const auto sorted = [](const std::vector<Veth>& v) {
        return std::is_sorted(v.begin(), v.end(), veth_less);
    };
    if (sorted(veths) && sorted(o.veths)) return same_pairs_in_order(veths, o.veths);
    auto x = veths, y = o.veths;
    std::sort(x.begin(), x.end(), veth_less);
    std::sort(y.begin(), y.end(), veth_less);
    return same_pairs_in_order(x, y);
}

void normalize(Interface& i) {
    std::sort(i.addresses.begin(), i.addresses.end());
    i.addresses.erase(std::unique(i.addresses.begin(), i.addresses.end()), i.addresses.end());
}

namespace {
void normalize_routes(std::vector<Route>& routes) {
    std::stable_sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) {
        return std::tie(a.to, a.metric) < std::tie(b.to, b.metric);
    });
    routes.erase(std::unique(routes.begin(), routes.end(),
                             [](const Route& a, const Route& b) { return a.same_key(b); }),
                 routes.end());
}
}  // namespace

void normalize(Namespace& n) {
    for (auto& [_, i] : n.interfaces) normalize(i);
    normalize_routes(n.routes);
}

void normalize(Topology& t) {
    for (auto& [_, n] : t.namespaces) normalize(n);
    for (auto& [_, i] : t.host_interfaces) normalize(i);
    normalize_routes(t.host_routes);
    if (t.uplink) {
        auto& s = t.uplink->subnets;
        std::sort(s.begin(), s.end());
        s.erase(std::unique(s.begin(), s.end()), s.end());
    }
    std::stable_sort(t.veths.begin(), t.veths.end(), veth_less);
}

std::string ipv4_forwarding_key(const std::string& ifname) {
    std::string level = ifname;
    std::replace(level.begin(), level.end(), '.', '/');
    return "net.ipv4.conf." + level + ".forwarding";
}

std::optional<std::string> ifname_of_forwarding_key(const std::string& key) {
    static constexpr std::string_view kPrefix = "net.ipv4.conf.";
    static constexpr std::string_view kSuffix = ".forwarding";
    if (key.size() <= kPrefix.size() + kSuffix.size() || !key.starts_with(kPrefix) ||
        !key.ends_with(kSuffix))
        return std::nullopt;
    std::string level = key.substr(kPrefix.size(), key.size() - kPrefix.size() - kSuffix.size());
    if (level.find('.') != std::string::npos) return std::nullopt;
    std::replace(level.begin(), level.end(), '/', '.');
    return level;
}

std::string lan_plain_port(const VethEnd& member) {
    return member.ns + "-" + member.ifname;
}

std::string lan_hashed_port(const VethEnd& member) {
    std::uint32_t hash = 2166136261U;  // FNV-1a, 32 bits
    for (const char c : member.str()) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619U;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "p-";
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xfU];
    return out;
}

}  // namespace nstopo
