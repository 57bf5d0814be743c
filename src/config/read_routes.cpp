#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kRouteKeys = {"to", "via", "dev", "metric"};
constexpr std::uint64_t kMaxMetric = 4294967295;

std::optional<IpAddress> read_gateway(const Reader& r, NodeId id) {
    const auto* text = r.scalar(id, code("via"), "an address");
    if (!text) return std::nullopt;
    const auto ip = IpAddress::parse(*text);
    if (!ip)
        r.error(id, "`via` " + quote(*text) + " is not an IPv4 or IPv6 address");
    else if (ip->is_multicast() || ip->is_unspecified())
        r.error(id, "`via` " + ip->str() + " is not a unicast address");
    else
        return ip;
    return std::nullopt;
}

// `to`: a network, a bare address (a host route), or `default`, whose family is the gateway's.
std::optional<Cidr> read_destination(const Reader& r, NodeId id, bool has_via,
                                     const std::optional<IpAddress>& gateway) {
    const auto* text = r.scalar(id, code("to"), "a prefix, an address or default");
    if (!text) return std::nullopt;
    if (*text == "default") {
        if (!has_via)
            r.error(id, "`to: default` needs `via` to know the family; write 0.0.0.0/0 or ::/0");
        if (!gateway) return std::nullopt;
        return default_route(gateway->family());
    }
    const auto to = Cidr::parse(*text, true);
    if (!to) {
        r.error(id, "invalid route destination " + quote(*text) + ": " +
                        Cidr::parse_error(*text, true));
        return std::nullopt;
    }
    if (!to->is_network()) {
        r.error(id, to->str() + " has host bits set; did you mean " + to->network().str() + "?");
        return std::nullopt;
    }
    return to;
}

// The parts every route needs: `to`, and `via` or `dev`.
bool check_route_has_target(const Reader& r, NodeId id) {
    const bool to = r.find(id, "to").has_value();
    const bool nexthop = r.find(id, "via") || r.find(id, "dev");
    if (!to) r.error(id, "a route needs `to`");
    if (!nexthop) r.error(id, "a route needs `via` or `dev`");
    return to && nexthop;
}

// `via` and `dev` into `d`; false if either is present but unusable.
bool read_nexthop(const Reader& r, NodeId id, DraftRoute& d) {
    bool ok = true;
    if (const auto via = r.find(id, "via")) {
        d.route.via = read_gateway(r, *via);
        d.via_where = r.at(*via);
        ok = d.route.via.has_value();
    }
    if (const auto dev = r.find(id, "dev")) {
        const auto* name = r.scalar(*dev, code("dev"), "an interface name");
        if (name) d.route.dev = *name;
        d.dev_where = r.at(*dev);
        ok = ok && name;
    }
    return ok;
}

}  // namespace

std::optional<DraftRoute> read_route(const Reader& r, NodeId id) {
    if (!r.map(id, "a route")) return std::nullopt;
    r.check_keys(id, kRouteKeys, "in route");
    DraftRoute d;
    d.route.where = r.at(id);
    const bool has_target = check_route_has_target(r, id);
    const bool nexthop_ok = read_nexthop(r, id, d);
    const auto metric_node = r.find(id, "metric");
    const auto metric =
        metric_node ? r.integer(*metric_node, "metric", 0, kMaxMetric) : std::nullopt;
    const auto to = r.find(id, "to");
    const auto dest =
        to ? read_destination(r, *to, r.find(id, "via").has_value(), d.route.via) : std::nullopt;
    if (!has_target || !nexthop_ok || (metric_node && !metric) || !dest) return std::nullopt;
    if (d.route.via && d.route.via->family() != dest->family()) {
        r.error(*r.find(id, "via"), "`via` " + d.route.via->str() + " is " +
                                        family_name(d.route.via->family()) + " but `to` " +
                                        dest->str() + " is " + family_name(dest->family()));
        return std::nullopt;
    }
    d.route.to = *dest;
    d.route.metric = metric ? static_cast<std::uint32_t>(*metric) : default_metric(dest->family());
    // The kernel stores an IPv6 route asked for with metric 0 under its default, 1024
    // (IP6_RT_PRIO_USER): say what the kernel will hold, so the lab observes equal to its file.
    if (dest->family() == Family::v6 && d.route.metric == 0)
        d.route.metric = default_metric(Family::v6);
    return d;
}

}  // namespace nstopo::config
