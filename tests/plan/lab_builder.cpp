#include "lab_builder.hpp"

#include <algorithm>
#include <stdexcept>

namespace nstopo::test {

namespace {

Cidr parse_cidr(const std::string& text) {
    const auto c = Cidr::parse(text);
    if (!c) throw std::invalid_argument("bad CIDR in test: " + text);
    return *c;
}

std::map<std::string, Interface>& links_of(Topology& t, const std::string& ns) {
    if (ns == kHostNamespace) return t.host_interfaces;
    const auto it = t.namespaces.find(ns);
    if (it == t.namespaces.end()) throw std::invalid_argument("no namespace in test: " + ns);
    return it->second.interfaces;
}

}  // namespace

VethEnd parse_end(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return {kHostNamespace, text};
    return {text.substr(0, slash), text.substr(slash + 1)};
}

LabBuilder::LabBuilder(std::string lab) {
    t_.name = std::move(lab);
    t_.where = {t_.name + ".yaml", 0, 0};
}

SourceLocation LabBuilder::next_location() {
    return {t_.name + ".yaml", ++line_, 1};
}

Interface& LabBuilder::link(const std::string& end) {
    const VethEnd e = parse_end(end);
    auto& links = links_of(t_, e.ns);
    const auto it = links.find(e.ifname);
    if (it == links.end()) throw std::invalid_argument("no link in test: " + end);
    return it->second;
}

LabBuilder& LabBuilder::ns(const std::string& name) {
    Namespace n;
    n.name = name;
    n.where = next_location();
    Interface lo;
    lo.name = "lo";
    lo.kind = LinkKind::loopback;
    lo.where = n.where;
    n.interfaces["lo"] = lo;
    n.sysctls = {{kIpv4Forwarding, "0"},
                 {kIpv6Forwarding, "0"},
                 {"net.ipv4.conf.all.promote_secondaries", "1"}};
    t_.namespaces[name] = n;
    return *this;
}

LabBuilder& LabBuilder::forwarding(const std::string& ns, bool on) {
    auto& sysctls = t_.namespaces.at(ns).sysctls;
    sysctls[kIpv4Forwarding] = on ? "1" : "0";
    sysctls[kIpv6Forwarding] = on ? "1" : "0";
    return *this;
}

LabBuilder& LabBuilder::sysctl(const std::string& ns, const std::string& key,
                               const std::string& value) {
    t_.namespaces.at(ns).sysctls[key] = value;
    return *this;
}

LabBuilder& LabBuilder::veth(const std::string& a, const std::string& b) {
    const Veth v{parse_end(a), parse_end(b), next_location()};
    for (const auto* end : {&v.a, &v.b}) {
        Interface i;
        i.name = end->ifname;
        i.kind = LinkKind::veth;
        i.where = v.where;
        links_of(t_, end->ns)[end->ifname] = i;
    }
    t_.veths.push_back(v);
    return *this;
}

LabBuilder& LabBuilder::bridge(const std::string& at, const std::vector<std::string>& ports,
                               BridgeOptions options) {
    const VethEnd end = parse_end(at);
    auto& links = links_of(t_, end.ns);
    Interface i;
    i.name = end.ifname;
    i.kind = LinkKind::bridge;
    i.bridge = options;
    i.where = next_location();
    links[end.ifname] = i;
    for (const auto& port : ports) links.at(port).master = end.ifname;
    return *this;
}

LabBuilder& LabBuilder::address(const std::string& end, const std::string& cidr) {
    link(end).addresses.push_back(parse_cidr(cidr));
    return *this;
}

LabBuilder& LabBuilder::state(const std::string& end, LinkState s) {
    link(end).state = s;
    return *this;
}

LabBuilder& LabBuilder::mtu(const std::string& end, std::uint32_t mtu) {
    link(end).mtu = mtu;
    return *this;
}

LabBuilder& LabBuilder::mac(const std::string& end, const std::string& mac) {
    link(end).mac = MacAddress::parse(mac).value();
    return *this;
}

LabBuilder& LabBuilder::route(const std::string& ns, const std::string& to, const std::string& via,
                              std::optional<std::string> dev, std::optional<std::uint32_t> metric) {
    Route r;
    r.via = via.empty() ? std::nullopt : IpAddress::parse(via);
    if (!via.empty() && !r.via) throw std::invalid_argument("bad gateway in test: " + via);
    const Family family = r.via ? r.via->family() : Family::v4;
    r.to = to == "default" ? default_route(family) : parse_cidr(to);
    r.dev = std::move(dev);
    r.metric = metric.value_or(default_metric(r.to.family()));
    r.where = next_location();
    (ns == kHostNamespace ? t_.host_routes : t_.namespaces.at(ns).routes).push_back(r);
    return *this;
}

Shaping rate_of(std::uint64_t bits_per_second) {
    Shaping s;
    s.rate = bits_per_second;
    return s;
}

Topology LabBuilder::build() const {
    Topology t = t_;
    normalize(t);
    return t;
}

Topology empty_lab(const std::string& lab) {
    Topology t;
    t.name = lab;
    return t;
}

Interface& link_in(Topology& t, const std::string& end) {
    const VethEnd e = parse_end(end);
    return links_of(t, e.ns).at(e.ifname);
}

void drop_namespace(Topology& t, const std::string& name) {
    std::vector<Veth> kept;
    for (const auto& v : t.veths) {
        if (v.a.ns != name && v.b.ns != name) {
            kept.push_back(v);
            continue;
        }
        for (const auto* end : {&v.a, &v.b})
            if (end->ns != name) links_of(t, end->ns).erase(end->ifname);
    }
    t.veths = kept;
    t.namespaces.erase(name);
}

void rename_end(Topology& t, const std::string& end, const std::string& new_name) {
    const VethEnd old_end = parse_end(end);
    auto& links = links_of(t, old_end.ns);
    auto node = links.extract(old_end.ifname);
    node.key() = new_name;
    node.mapped().name = new_name;
    links.insert(std::move(node));
    for (auto& v : t.veths)
        for (auto* e : {&v.a, &v.b})
            if (*e == old_end) e->ifname = new_name;
    normalize(t);
}

LabClaims recorded_state(const Topology& t) {
    LabClaims o;
    for (const auto& [name, _] : t.namespaces) o.owned_namespaces.insert(name);
    for (const auto& [name, _] : t.host_interfaces) o.owned_host_interfaces.insert(name);
    o.host_routes = t.host_routes;
    for (const auto& [id, _] : t.host_tables) o.host_tables.insert(id);
    // The fake kernel's sysctls are "0" until written.
    for (const auto& [key, value] : t.host_sysctls) o.host_sysctls[key] = {"0", value};
    return o;
}

}  // namespace nstopo::test
