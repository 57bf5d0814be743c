#include <algorithm>
#include <set>

#include "check.hpp"
#include "suggest.hpp"

namespace nstopo::config {

namespace {

bool is_up(const Namespace& ns, const std::string& ifname) {
    const auto it = ns.interfaces.find(ifname);
    return it != ns.interfaces.end() && it->second.state == LinkState::up;
}

// The subnets a gateway of `family` may be in: those of the up interfaces' addresses (only `dev`'s
// when given), and the destinations of routes without a gateway through such an interface.
std::set<Cidr> connected_subnets(const Namespace& ns, const std::optional<std::string>& dev,
                                 Family family) {
    std::set<Cidr> subnets;
    for (const auto& [name, link] : ns.interfaces) {
        if (link.state != LinkState::up || (dev && *dev != name)) continue;
        for (const auto& a : link.addresses)
            if (a.family() == family) subnets.insert(a.network());
    }
    for (const auto& r : ns.routes) {
        if (r.via || !r.dev || !is_up(ns, *r.dev) || (dev && *dev != *r.dev)) continue;
        if (r.family() == family) subnets.insert(r.to);
    }
    return subnets;
}

bool is_own_address(const Namespace& ns, const IpAddress& ip) {
    return std::any_of(ns.interfaces.begin(), ns.interfaces.end(), [&](const auto& link) {
        const auto& addrs = link.second.addresses;
        return std::any_of(addrs.begin(), addrs.end(), [&](const Cidr& a) { return a.ip == ip; });
    });
}

std::string subnet_list(const std::set<Cidr>& subnets) {
    std::string out;
    for (const auto& s : subnets) out += (out.empty() ? "" : ", ") + s.str();
    return out.empty() ? "none" : out;
}

// DECISION: a gateway outside every directly connected subnet is an error, not a warning. The
// kernel refuses such a route ("Nexthop has invalid gateway"), so letting it through would only
// make `apply` fail halfway, after the namespaces and links were made.
void check_gateway(const DraftRoute& dr, const Namespace& ns, Diagnostics& diags) {
    const Route& r = dr.route;
    const IpAddress& gw = *r.via;
    const std::string via = "`via` " + gw.str();
    if (gw.is_v6_link_local()) {
        // On-link by definition, but only with a device to say which link.
        if (!r.dev)
            diags.error(dr.via_where, via + " is an IPv6 link-local address; it needs `dev`");
        return;
    }
    if (is_own_address(ns, gw)) {
        diags.error(dr.via_where,
                    via + " is an address of namespace " + quote(ns.name) + " itself");
        return;
    }
    const auto subnets = connected_subnets(ns, r.dev, gw.family());
    if (std::any_of(subnets.begin(), subnets.end(), [&](const Cidr& s) { return s.contains(gw); }))
        return;
    const std::string scope =
        r.dev ? quote(*r.dev) : "an up interface of namespace " + quote(ns.name);
    diags.error(dr.via_where,
                via + " is not in a subnet of " + scope + " (subnets: " + subnet_list(subnets) +
                    "); the kernel would refuse the route with \"Nexthop has invalid gateway\"");
}

// False after a diagnostic when `dev` is not an up interface of the namespace.
bool check_dev(const DraftRoute& dr, const Namespace& ns, Diagnostics& diags) {
    const auto& dev = *dr.route.dev;
    const auto it = ns.interfaces.find(dev);
    if (it == ns.interfaces.end()) {
        std::vector<std::string> names;
        for (const auto& [name, _] : ns.interfaces) names.push_back(name);
        diags.error(dr.dev_where, "`dev` " + quote(dev) + " is not an interface of namespace " +
                                      quote(ns.name) + did_you_mean(dev, names));
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

void check_route_keys_unique(const DraftNamespace& ns, Diagnostics& diags) {
    std::map<std::pair<Cidr, std::uint32_t>, int> first_line;
    for (const auto& dr : ns.routes) {
        const auto& r = dr.route;
        const auto [it, inserted] = first_line.emplace(std::pair(r.to, r.metric), r.where.line);
        if (inserted) continue;
        diags.error(r.where, "a route to " + r.to.str() + " with metric " +
                                 std::to_string(r.metric) + " is already declared at line " +
                                 std::to_string(it->second));
    }
}

}  // namespace

void check_routes(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    for (const auto& [name, dns] : draft.namespaces) {
        const Namespace& ns = completed.namespaces.at(name);
        check_route_keys_unique(dns, diags);
        for (const auto& dr : dns.routes) {
            if (dr.route.dev && !check_dev(dr, ns, diags)) continue;
            if (dr.route.via) check_gateway(dr, ns, diags);
        }
    }
}

}  // namespace nstopo::config
