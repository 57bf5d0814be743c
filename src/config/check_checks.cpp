// Checks of `checks:` against the completed lab.
#include <algorithm>

#include "check.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo::config {

namespace {

std::vector<Cidr> addresses_of(const std::map<std::string, Interface>& links) {
    std::vector<Cidr> out;
    for (const auto& [_, link] : links)
        out.insert(out.end(), link.addresses.begin(), link.addresses.end());
    return out;
}

// Every address of the lab: its namespaces' and its host interfaces'.
std::vector<Cidr> lab_addresses(const Topology& t) {
    std::vector<Cidr> out = addresses_of(t.host_interfaces);
    for (const auto& [_, ns] : t.namespaces) {
        const auto more = addresses_of(ns.interfaces);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

// False after a diagnostic when `from` is no namespace of the lab.
bool check_from(const DraftCheck& d, const Topology& t, Diagnostics& diags) {
    const std::string& from = d.check.from;
    if (t.namespaces.contains(from)) return true;
    std::vector<std::string> names;
    for (const auto& [name, _] : t.namespaces) names.push_back(name);
    // DECISION: no checks from the host; they would send traffic from the machine itself.
    const std::string hint = from == "host"
                                 ? "; checks start in lab namespaces only, never in the host"
                                 : did_you_mean(from, names);
    diags.error(d.from_where,
                "namespace " + quote(from) + " of check is not declared under `namespaces`" + hint);
    return false;
}

// The echo is bound to `source`: the kernel refuses an address the namespace does not have.
void check_source(const DraftCheck& d, const Namespace& ns, Diagnostics& diags) {
    const auto addrs = addresses_of(ns.interfaces);
    const IpAddress& source = *d.check.source;
    if (std::any_of(addrs.begin(), addrs.end(), [&](const Cidr& a) { return a.ip == source; }))
        return;
    diags.error(d.source_where,
                "`source` " + source.str() + " is not an address of namespace " + quote(ns.name));
}

// DECISION: checks send traffic only inside the lab: `to` must be a loopback address (which
// never leaves the namespace), an address of the lab, or lie in a subnet of one of its addresses
// (its loopback addresses included) that is no wider than a lab may take (ownership.hpp): an
// address 10.0.0.1/1 does not make 8.8.8.8 the lab's.
void check_target(const DraftCheck& d, const std::vector<Cidr>& lab, Diagnostics& diags) {
    const IpAddress& to = d.check.to;
    if (to.is_loopback()) return;
    const auto in = [&](const Cidr& a) { return a.ip == to || a.contains(to); };
    const auto hit = std::find_if(lab.begin(), lab.end(), [&](const Cidr& a) {
        return a.ip == to || (narrow_enough_for_a_lab(a) && a.contains(to));
    });
    if (hit != lab.end()) return;
    const auto wide = std::find_if(lab.begin(), lab.end(), in);
    if (wide != lab.end()) {
        diags.error(d.to_where, "`to` " + to.str() + " is only in " + wide->network().str() +
                                    ", which is wider than a lab may take (/" +
                                    std::to_string(widest_lab_prefix(to.family())) +
                                    "); checks only send traffic inside the lab");
        return;
    }
    diags.error(d.to_where, "`to` " + to.str() +
                                " is outside every subnet of the lab; checks only send traffic "
                                "inside the lab");
}

}  // namespace

void check_checks(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    const auto lab = lab_addresses(completed);
    for (const auto& d : draft.checks) {
        check_target(d, lab, diags);
        if (!check_from(d, completed, diags)) continue;
        if (d.check.source) check_source(d, completed.namespaces.at(d.check.from), diags);
    }
}

}  // namespace nstopo::config
