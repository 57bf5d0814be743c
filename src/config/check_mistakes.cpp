// Warnings for mistakes the kernel takes without complaint but that leave a lab unable to do what
// its author most likely meant: two ends of a veth that share no subnet, one subnet on several
// links of a namespace that no bridge joins, and routes through a namespace that does not forward.
#include <algorithm>
#include <iterator>
#include <tuple>

#include "check.hpp"
#include "reader.hpp"

namespace nstopo::config {

namespace {

std::string line_note(const SourceLocation& where) {
    return " (line " + std::to_string(where.line) + ")";
}

std::vector<Cidr> of_family(const std::vector<Cidr>& addresses, Family f) {
    std::vector<Cidr> out;
    std::copy_if(addresses.begin(), addresses.end(), std::back_inserter(out),
                 [f](const Cidr& c) { return c.family() == f; });
    return out;
}

std::string joined(const std::vector<Cidr>& addresses) {
    std::string out;
    for (const auto& a : addresses) out += (out.empty() ? "" : ", ") + a.str();
    return out;
}

bool share_a_subnet(const std::vector<Cidr>& x, const std::vector<Cidr>& y) {
    for (const auto& a : x)
        for (const auto& b : y)
            if (a.overlaps(b)) return true;
    return false;
}

// (1) Both ends have addresses of a family, and no address of one is in a subnet of the other.
void check_veth_subnets(const Veth& v, const Topology& t, Diagnostics& diags) {
    const Interface* a = t.find_interface(v.a.ns, v.a.ifname);
    const Interface* b = t.find_interface(v.b.ns, v.b.ifname);
    if (!a || !b) return;
    for (const Family f : {Family::v4, Family::v6}) {
        const auto on_a = of_family(a->addresses, f);
        const auto on_b = of_family(b->addresses, f);
        if (on_a.empty() || on_b.empty() || share_a_subnet(on_a, on_b)) continue;
        diags.warning(v.where, "the ends of this veth share no " + family_name(f) +
                                   " subnet: " + quote(v.a.str()) + " has " + joined(on_a) + ", " +
                                   quote(v.b.str()) + " has " + joined(on_b) +
                                   "; they cannot reach each other directly");
    }
}

// A located address of one link of a namespace.
struct LinkAddress {
    const Cidr* cidr;
    SourceLocation where;
    std::string link;
};

// (2) Two links of one namespace that are neither bridges nor bridge ports with addresses in
// one subnet: without a bridge between them the kernel sends the whole subnet out of one.
void check_spread_subnet(const std::string& ns_name, const DraftNamespace& draft,
                         const Namespace& ns, Diagnostics& diags) {
    std::vector<LinkAddress> seen;
    const auto add = [&](const std::string& name, const DraftInterface& link) {
        const auto it = ns.interfaces.find(name);
        if (name == "lo" || it == ns.interfaces.end() || !it->second.master.empty()) return;
        for (std::size_t i = 0; i < link.iface.addresses.size(); ++i)
            seen.push_back({&link.iface.addresses[i], link.address_where[i], name});
    };
    for (const auto& [name, link] : draft.interfaces) add(name, link);
    for (const auto& [name, bridge] : draft.bridges) add(name, bridge.link);
    std::stable_sort(seen.begin(), seen.end(), [](const LinkAddress& x, const LinkAddress& y) {
        return std::tie(x.where.line, x.where.column) < std::tie(y.where.line, y.where.column);
    });
    for (std::size_t j = 0; j < seen.size(); ++j)
        for (std::size_t i = 0; i < j; ++i) {
            if (seen[i].link == seen[j].link || !seen[i].cidr->overlaps(*seen[j].cidr)) continue;
            diags.warning(seen[j].where,
                          seen[j].cidr->str() + " on " + quote(ns_name + "/" + seen[j].link) +
                              " is in the subnet of " + seen[i].cidr->str() + " on " +
                              quote(ns_name + "/" + seen[i].link) + line_note(seen[i].where) +
                              ": two links of one namespace share a subnet without a bridge "
                              "joining them (`bridges:` or `lans:`), so the kernel sends the "
                              "whole subnet out of one of them");
            break;
        }
}

// The lab namespace (not `except`) with address `ip` on one of its links, if any.
const Namespace* holder_of(const Topology& t, const IpAddress& ip, const std::string& except) {
    for (const auto& [name, ns] : t.namespaces) {
        if (name == except) continue;
        for (const auto& [_, link] : ns.interfaces)
            for (const auto& a : link.addresses)
                if (a.ip == ip) return &ns;
    }
    return nullptr;
}

bool forwards(const Namespace& ns, Family f) {
    const auto& key = f == Family::v4 ? kIpv4Forwarding : kIpv6Forwarding;
    const auto it = ns.sysctls.find(key);
    return it != ns.sysctls.end() && it->second == "1";
}

// Whether `to` lies inside a subnet of `ns` itself: traffic for it ends there.
bool ends_in(const Namespace& ns, const Cidr& to) {
    for (const auto& [_, link] : ns.interfaces)
        for (const auto& a : link.addresses)
            if (a.prefix_len <= to.prefix_len && a.contains(to.ip)) return true;
    return false;
}

// (3) A route whose gateway is a namespace that does not forward, to somewhere beyond it.
void check_gateway_forwards(const std::string& ns_name, const DraftNamespace& draft,
                            const Topology& t, Diagnostics& diags) {
    for (const auto& r : draft.routes) {
        if (!r.route.via) continue;
        const Namespace* gateway = holder_of(t, *r.route.via, ns_name);
        if (!gateway || forwards(*gateway, r.route.family()) || ends_in(*gateway, r.route.to))
            continue;
        diags.warning(r.via_where.known() ? r.via_where : r.route.where,
                      "the route to " + (r.route.to.is_default() ? "default" : r.route.to.str()) +
                          " goes through " + quote(gateway->name) + line_note(gateway->where) +
                          ", whose " + family_name(r.route.family()) +
                          " forwarding is off: it will drop the traffic; set `forwarding: true` "
                          "there");
    }
}

}  // namespace

void check_mistakes(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    for (const auto& v : completed.veths) check_veth_subnets(v, completed, diags);
    for (const auto& [name, ns] : draft.namespaces) {
        const auto it = completed.namespaces.find(name);
        if (it == completed.namespaces.end()) continue;
        check_spread_subnet(name, ns, it->second, diags);
        check_gateway_forwards(name, ns, completed, diags);
    }
}

}  // namespace nstopo::config
