// `host: uplink:`: reading it, checking it against the lab, and what it makes on the host.
#include <algorithm>
#include <set>

#include "check.hpp"
#include "nstopo/names.hpp"
#include "nstopo/nftables.hpp"
#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kUplinkKeys = {"out", "subnets"};

void read_out(const Reader& r, NodeId id, DraftUplink& d) {
    const auto* name = r.scalar(id, code("out"), "a host interface name");
    if (!name) return;
    d.out_where = r.at(id);
    if (r.name(id, "interface", *name, interface_name_problem(*name))) d.uplink.out = *name;
}

// DECISION: IPv4 only. Linux forwards IPv6 only with the host-wide switch
// (net.ipv6.conf.all.forwarding, checked by ip6_forward for every packet), which also turns
// every interface of the host into a router (no more router advertisements accepted); the
// uplink changes nothing host-wide.
void read_subnet(const Reader& r, NodeId id, DraftUplink& d) {
    const auto* text = r.scalar(id, "an uplink subnet", "a prefix");
    if (!text) return;
    const auto subnet = Cidr::parse(*text);
    if (!subnet) {
        r.error(id, "invalid uplink subnet " + quote(*text) + ": " + Cidr::parse_error(*text));
    } else if (subnet->family() != Family::v4) {
        r.error(id, "uplink subnet " + subnet->str() +
                        " is IPv6; the uplink masquerades IPv4 only (Linux forwards IPv6 only "
                        "with the host-wide net.ipv6.conf.all.forwarding, which nstopo does not "
                        "turn on)");
    } else if (!subnet->is_network()) {
        r.error(id, subnet->str() + " has host bits set; did you mean " + subnet->network().str() +
                        "?");
    } else {
        d.uplink.subnets.push_back(*subnet);
        d.subnet_where.push_back(r.at(id));
    }
}

// `inner` equals `outer` or lies inside it.
bool inside(const Cidr& inner, const Cidr& outer) {
    return inner.family() == outer.family() && outer.prefix_len <= inner.prefix_len &&
           outer.contains(inner.ip);
}

// Every subnet of an address of the lab: its namespaces' links and its host ends.
std::vector<Cidr> lab_subnets(const Topology& t) {
    std::vector<Cidr> out;
    const auto add = [&](const Interface& link) {
        for (const auto& a : link.addresses) out.push_back(a.network());
    };
    for (const auto& [ns_name, ns] : t.namespaces)
        for (const auto& [ifname, link] : ns.interfaces) add(link);
    for (const auto& [ifname, link] : t.host_interfaces) add(link);
    return out;
}

// The host end whose subnet holds `a`, or "".
std::string host_end_holding(const Topology& t, const IpAddress& a) {
    for (const auto& [name, link] : t.host_interfaces)
        for (const auto& c : link.addresses)
            if (c.network().contains(a)) return name;
    return {};
}

// The host ends the host reaches `subnet` through: the one whose subnet holds it, else those the
// host routes that lead into it go through. Packets from the subnet arrive on these, so they are
// the links whose forwarding the uplink needs (with `out`, where the replies arrive).
std::set<std::string> host_ends_towards(const Topology& t, const Cidr& subnet) {
    std::set<std::string> ends;
    for (const auto& [name, link] : t.host_interfaces)
        for (const auto& c : link.addresses)
            if (inside(subnet, c.network())) ends.insert(name);
    if (!ends.empty()) return ends;
    for (const auto& r : t.host_routes) {
        if (!r.to.overlaps(subnet)) continue;
        const std::string end = r.dev ? *r.dev : r.via ? host_end_holding(t, *r.via) : "";
        if (!end.empty()) ends.insert(end);
    }
    return ends;
}

std::string listed(const std::vector<Cidr>& subnets) {
    std::set<std::string> names;
    for (const auto& s : subnets) names.insert(s.str());
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text.empty() ? "none" : text;
}

}  // namespace

void read_uplink(const Reader& r, NodeId key, NodeId value, Draft& draft) {
    if (!r.map(value, code("uplink"), "a map with `out` and `subnets`")) return;
    r.check_keys(value, kUplinkKeys, "in `uplink`");
    DraftUplink d;
    d.uplink.where = r.at(key);
    const auto out = r.find(value, "out");
    const auto subnets = r.find(value, "subnets");
    if (!out)
        r.error(value, "`uplink` needs `out`: the host interface the lab's traffic leaves by");
    if (!subnets) r.error(value, "`uplink` needs `subnets`: the lab subnets to masquerade");
    if (out) read_out(r, *out, d);
    if (subnets) {
        const auto* items = r.list(*subnets, code("subnets"), "a list of prefixes");
        if (items && items->empty()) r.error(*subnets, "`subnets` lists no subnet");
        if (items)
            for (const NodeId item : *items) read_subnet(r, item, d);
    }
    draft.uplink = std::move(d);
}

void check_uplink(const Draft& draft, Topology& completed, Diagnostics& diags) {
    if (!draft.uplink || draft.uplink->uplink.out.empty()) return;
    const DraftUplink& d = *draft.uplink;
    bool ok = true;
    if (completed.host_interfaces.contains(d.uplink.out)) {
        diags.error(d.out_where, "`out` " + quote(d.uplink.out) +
                                     " is a host end of this lab; the uplink leaves by one of "
                                     "the host's own interfaces (such as eth0)");
        ok = false;
    }
    const std::vector<Cidr> own = lab_subnets(completed);
    std::set<std::string> forwarding = {d.uplink.out};
    for (std::size_t i = 0; i < d.uplink.subnets.size(); ++i) {
        const Cidr& s = d.uplink.subnets[i];
        if (std::none_of(own.begin(), own.end(), [&](const Cidr& c) { return inside(s, c); })) {
            diags.error(d.subnet_where[i], "uplink subnet " + s.str() +
                                               " is not the lab's: no address of the lab is in "
                                               "it (the lab's subnets: " +
                                               listed(own) + ")");
            ok = false;
            continue;
        }
        const auto ends = host_ends_towards(completed, s);
        if (ends.empty()) {
            diags.error(d.subnet_where[i],
                        "uplink subnet " + s.str() +
                            " is not reachable from the host through the lab: no host end is in "
                            "it and no `host: routes` entry leads to it, so the replies could "
                            "not come back");
            ok = false;
        }
        forwarding.insert(ends.begin(), ends.end());
    }
    if (!ok) return;
    completed.uplink = d.uplink;
    auto& subnets = completed.uplink->subnets;
    std::sort(subnets.begin(), subnets.end());
    subnets.erase(std::unique(subnets.begin(), subnets.end()), subnets.end());
    for (const auto& link : forwarding) completed.host_sysctls[ipv4_forwarding_key(link)] = "1";
    NftTable table = uplink_table(completed.name, *completed.uplink);
    completed.host_tables.emplace(table.id(), std::move(table));
}

}  // namespace nstopo::config
