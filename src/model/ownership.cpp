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
    if (!n.owner.empty()) return n.owner == lab_;
    return claims_.owned_namespaces.contains(n.name) ||
           (declared && claims_.adopt_namespaces.contains(n.name));
}

bool Ownership::owns_host_link(const Interface& i) const {
    if (!i.owner.empty()) return i.owner == lab_;
    return claims_.owned_host_interfaces.contains(i.name);
}

bool Ownership::marked_by_other_lab(const std::string& mark_owner) const {
    return !mark_owner.empty() && mark_owner != lab_;
}

bool Ownership::is_up(const Namespace& n) const {
    return claims_.owned_namespaces.contains(n.name) && n.owner == lab_;
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
