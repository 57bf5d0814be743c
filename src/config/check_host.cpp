// Checks of the host side of a lab: what a file may do to the host's own routing (host-end
// addresses and host routes).
#include "check.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo::config {

// DECISION: an address on a host end adds a connected route to the host's main table; a subnet
// wider than a lab may take (ownership.hpp: /16, /48) would take traffic the host routes
// elsewhere (200.0.0.1/1 is half the internet). Overlaps with the host's own addresses and routes
// are the planner's to refuse: only the kernel knows them.
namespace {
void check_wide(const std::string& name, const DraftInterface& link, Diagnostics& diags) {
    for (std::size_t i = 0; i < link.iface.addresses.size(); ++i) {
        const Cidr& a = link.iface.addresses[i];
        if (narrow_enough_for_a_lab(a)) continue;
        diags.error(link.address_where[i],
                    "host-end address " + a.str() + " on " + quote(name) + " is wider than /" +
                        std::to_string(widest_lab_prefix(a.family())) +
                        ": its subnet would take from the host traffic it routes elsewhere");
    }
}
}  // namespace

void check_host_addresses(const Draft& draft, Diagnostics& diags) {
    for (const auto& [name, link] : draft.host_interfaces) check_wide(name, link, diags);
    for (const auto& [name, b] : draft.host_bridges) check_wide(name, b.link, diags);
    // DECISION: a host route is held to the same width as a host end's subnet, for the same
    // reason (a default route through the lab would take all the host's traffic).
    for (const auto& dr : draft.host_routes) {
        const Cidr& to = dr.route.to;
        if (narrow_enough_for_a_lab(to)) continue;
        diags.error(dr.route.where, "host route to " + to.str() + " is wider than /" +
                                        std::to_string(widest_lab_prefix(to.family())) +
                                        ": it would take from the host traffic it routes "
                                        "elsewhere");
    }
}

}  // namespace nstopo::config
