#include "nstopo/ownership.hpp"

namespace nstopo {

std::string link_mark(const std::string& lab) {
    return kLinkMarkPrefix + lab;
}

std::string lab_from_mark(const std::string& ifalias) {
    if (ifalias.size() <= kLinkMarkPrefix.size() || ifalias.rfind(kLinkMarkPrefix, 0) != 0)
        return {};
    return ifalias.substr(kLinkMarkPrefix.size());
}

bool Ownership::owns_namespace(const Namespace& n, bool declared) const {
    if (marked_by_other_lab(n.owner)) return false;
    if (declared && claims_.adopt_namespaces.contains(n.name)) return true;
    if (!claims_.owned_namespaces.contains(n.name)) return false;
    const auto& ids = claims_.identities.namespaces;
    const auto id = ids.find(n.name);
    if (id != ids.end() && id->second != 0 && n.identity != 0) return id->second == n.identity;
    return n.owner == lab_;
}

bool Ownership::owns_host_link(const Interface& i, bool peer_in_lab) const {
    if (marked_by_other_lab(i.owner) || !claims_.owned_host_interfaces.contains(i.name))
        return false;
    const auto& ids = claims_.identities.host_interfaces;
    const auto id = ids.find(i.name);
    if (id != ids.end() && id->second != 0 && i.ifindex != 0) return id->second == i.ifindex;
    return i.owner == lab_ || peer_in_lab;
}

bool Ownership::marked_by_other_lab(const std::string& mark_owner) const {
    return !mark_owner.empty() && mark_owner != lab_;
}

bool Ownership::is_up(const Namespace& n) const {
    return claims_.owned_namespaces.contains(n.name) && owns_namespace(n, true) && n.owner == lab_;
}

int widest_lab_prefix(Family f) {
    return f == Family::v4 ? kWidestLabPrefixV4 : kWidestLabPrefixV6;
}

bool narrow_enough_for_a_lab(const Cidr& subnet) {
    return subnet.prefix_len >= widest_lab_prefix(subnet.family());
}

bool wears_mark_of(const Namespace& n, const std::string& lab) {
    return !lab.empty() && n.owner == lab;
}

std::vector<ClaimConflict> conflicting_claims(const Topology& desired,
                                              const std::map<std::string, LabClaims>& others) {
    std::vector<ClaimConflict> found;
    for (const auto& [lab, other] : others) {
        for (const auto& [name, ns] : desired.namespaces)
            if (other.owned_namespaces.contains(name))
                found.push_back({"namespace", name, lab, ns.where});
        for (const auto& [name, link] : desired.host_interfaces)
            if (other.owned_host_interfaces.contains(name))
                found.push_back({"host interface", name, lab, link.where});
    }
    return found;
}

}  // namespace nstopo
