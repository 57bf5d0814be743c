#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "check.hpp"

namespace nstopo::config {

namespace {

bool is_up(const Namespace& ns, const std::string& ifname) {
    const auto it = ns.interfaces.find(ifname);
    return it != ns.interfaces.end() && it->second.state == LinkState::up;
}

// A set of subnets that answers "is this address in one of them" in a lookup per prefix length
// present, not a scan of every subnet.
class SubnetSet {
  public:
    void add(const Cidr& c) {
        subnets_.insert(c.network());
        lengths_.insert(c.prefix_len);
    }
    bool contains(const IpAddress& a) const {
        for (const int len : lengths_)
            if (len <= a.max_prefix() && subnets_.count(Cidr{a, len}.network()) != 0) return true;
        return false;
    }
    // The subnets of `family`, for a diagnostic.
    std::set<Cidr> of(Family family) const {
        std::set<Cidr> out;
        for (const auto& c : subnets_)
            if (c.family() == family) out.insert(c);
        return out;
    }

  private:
    std::set<Cidr> subnets_;
    std::set<int> lengths_;
};

// What a namespace's gateways are checked against, gathered once per namespace: a router with
// hundreds of links and routes used to gather it again for every route (quadratic).
// - the subnets a gateway may be in: those of the up interfaces' addresses, and the destinations
//   of routes without a gateway through such an interface; per interface and all together;
// - the namespace's own addresses;
// - the first and last addresses of the IPv4 subnets of up interfaces, by subnet.
class OnLink {
  public:
    explicit OnLink(const Namespace& ns) {
        for (const auto& [name, link] : ns.interfaces) {
            for (const auto& a : link.addresses) own_.insert(a.ip);
            if (link.state != LinkState::up) continue;
            for (const auto& a : link.addresses) add(name, a);
            for (const auto& a : link.addresses) add_ends(a);
        }
        for (const auto& r : ns.routes)
            if (!r.via && r.dev && is_up(ns, *r.dev)) add(*r.dev, r.to);
    }

    bool is_own_address(const IpAddress& ip) const { return own_.count(ip) != 0; }
    // The subnet whose broadcast address `ip` is.
    std::optional<Cidr> broadcast_of(const IpAddress& ip) const { return find(broadcasts_, ip); }
    // The subnet whose network (lowest) address `ip` is.
    std::optional<Cidr> network_of(const IpAddress& ip) const { return find(networks_, ip); }
    // The subnets through `dev` (through any up interface when not given).
    const SubnetSet& through(const std::optional<std::string>& dev) const {
        if (!dev) return any_;
        const auto it = by_dev_.find(*dev);
        return it == by_dev_.end() ? none_ : it->second;
    }

  private:
    void add(const std::string& dev, const Cidr& subnet) {
        by_dev_[dev].add(subnet);
        any_.add(subnet);
    }
    // fib_add_ifaddr gives an IPv4 subnet shorter than /31 a broadcast route for its last address
    // (a /31 or /32 has none: RFC 3021).
    void add_ends(const Cidr& address) {
        if (address.family() != Family::v4 || address.prefix_len >= 31) return;
        broadcasts_.emplace(address.last(), address.network());
        networks_.emplace(address.network().ip, address.network());
    }
    static std::optional<Cidr> find(const std::map<IpAddress, Cidr>& m, const IpAddress& ip) {
        const auto it = m.find(ip);
        return it == m.end() ? std::nullopt : std::optional<Cidr>(it->second);
    }

    std::set<IpAddress> own_;
    std::map<IpAddress, Cidr> broadcasts_;
    std::map<IpAddress, Cidr> networks_;
    std::map<std::string, SubnetSet> by_dev_;
    SubnetSet any_;
    SubnetSet none_;
};

std::string subnet_list(const std::set<Cidr>& subnets) {
    std::string out;
    for (const auto& s : subnets) out += (out.empty() ? "" : ", ") + s.str();
    return out.empty() ? "none" : out;
}

// A gateway at either end of an IPv4 subnet. The broadcast address is an error: its broadcast
// route makes fib_check_nh refuse the route ("Nexthop has invalid gateway"). The network address
// is a warning only: since Linux 5.14 the kernel has no broadcast route for it and takes it as a
// host's address ("ip: Treat IPv4 segment's lowest address as unicast"), so the route works where
// a neighbour holds it; older kernels refuse the route, and it is most often a slip for the
// gateway's own address.
void check_subnet_ends(const DraftRoute& dr, const OnLink& on_link, Diagnostics& diags) {
    const IpAddress& gw = *dr.route.via;
    const std::string via = "`via` " + gw.str();
    if (const auto subnet = on_link.broadcast_of(gw))
        diags.error(dr.via_where, via + " is the broadcast address of " + subnet->str() +
                                      "; the kernel would refuse the route with \"Nexthop has "
                                      "invalid gateway\"");
    else if (const auto net = on_link.network_of(gw))
        diags.warning(dr.via_where, via + " is the network address of " + net->str() +
                                        "; only Linux 5.14 and later take it as a host's address, "
                                        "older kernels refuse the route");
}

// DECISION: a gateway outside every directly connected subnet is an error, not a warning. The
// kernel refuses such a route ("Nexthop has invalid gateway"), so letting it through would only
// make `apply` fail halfway, after the namespaces and links were made.
// `place`: "namespace 'x'", or "the lab's host ends" for a host route.
void check_gateway(const DraftRoute& dr, const std::string& place, const OnLink& on_link,
                   Diagnostics& diags) {
    const Route& r = dr.route;
    const IpAddress& gw = *r.via;
    const std::string via = "`via` " + gw.str();
    if (gw.is_v6_link_local()) {
        // On-link by definition, but only with a device to say which link.
        if (!r.dev)
            diags.error(dr.via_where, via + " is an IPv6 link-local address; it needs `dev`");
        return;
    }
    if (on_link.is_own_address(gw)) {
        diags.error(dr.via_where, via + " is an address of " + place + " itself");
        return;
    }
    const SubnetSet& subnets = on_link.through(r.dev);
    if (subnets.contains(gw)) {
        check_subnet_ends(dr, on_link, diags);
        return;
    }
    const std::string scope = r.dev ? quote(*r.dev) : "an up interface of " + place;
    diags.error(dr.via_where,
                via + " is not in a subnet of " + scope +
                    " (subnets: " + subnet_list(subnets.of(gw.family())) +
                    "); the kernel would refuse the route with \"Nexthop has invalid gateway\"");
}

// False after a diagnostic when `dev` is not an up interface of the namespace.
bool check_dev(const DraftRoute& dr, const Namespace& ns, const std::string& place,
               Diagnostics& diags) {
    const auto& dev = *dr.route.dev;
    const auto it = ns.interfaces.find(dev);
    if (it == ns.interfaces.end()) {
        std::vector<std::string> names;
        for (const auto& [name, _] : ns.interfaces) names.push_back(name);
        diags.error(dr.dev_where, "`dev` " + quote(dev) + " is not an interface of " + place +
                                      did_you_mean(dev, names));
        return false;
    }
    if (it->second.state == LinkState::down) {
        diags.error(dr.dev_where,
                    "`dev` " + quote(dev) +
                        " is down; the kernel refuses a route through a down interface");
        return false;
    }
    return true;
}

void check_route_keys_unique(const std::vector<DraftRoute>& routes, Diagnostics& diags) {
    std::map<std::pair<Cidr, std::uint32_t>, int> first_line;
    for (const auto& dr : routes) {
        const auto& r = dr.route;
        const auto [it, inserted] = first_line.emplace(std::pair(r.to, r.metric), r.where.line);
        if (inserted) continue;
        diags.error(r.where, "a route to " + r.to.str() + " with metric " +
                                 std::to_string(r.metric) + " is already declared at line " +
                                 std::to_string(it->second));
    }
}

void check_routes_of(const std::vector<DraftRoute>& routes, const Namespace& ns,
                     const std::string& place, Diagnostics& diags) {
    const OnLink on_link(ns);
    check_route_keys_unique(routes, diags);
    for (const auto& dr : routes) {
        if (dr.route.dev && !check_dev(dr, ns, place, diags)) continue;
        if (dr.route.via) check_gateway(dr, place, on_link, diags);
    }
}

}  // namespace

void check_routes(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    for (const auto& [name, dns] : draft.namespaces)
        check_routes_of(dns.routes, completed.namespaces.at(name), "namespace " + quote(name),
                        diags);
    // A host route goes through the lab's host ends: its gateway must be in one of their subnets.
    Namespace host;
    host.interfaces = completed.host_interfaces;
    check_routes_of(draft.host_routes, host, "the lab's host ends", diags);
}

}  // namespace nstopo::config
