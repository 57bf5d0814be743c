// What the planner needs observed.
#include <algorithm>

#include "nstopo/plan.hpp"

namespace nstopo {

namespace {

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

}  // namespace

ObserveScope scope_for(const Topology& desired, const LabClaims& claims) {
    ObserveScope scope;
    for (const auto& [name, ns] : desired.namespaces) {
        scope.namespaces.push_back(name);
        if (ns.sysctls.empty()) continue;
        auto& keys = scope.sysctls[name];
        for (const auto& [key, _] : ns.sysctls) keys.push_back(key);
    }
    scope.namespaces.insert(scope.namespaces.end(), claims.owned_namespaces.begin(),
                            claims.owned_namespaces.end());
    scope.namespaces.insert(scope.namespaces.end(), claims.adopt_namespaces.begin(),
                            claims.adopt_namespaces.end());

    for (const auto& [name, link] : desired.host_interfaces) {
        scope.host_interfaces.push_back(name);
        if (!link.addresses.empty()) scope.host_routing = true;
    }
    scope.host_interfaces.insert(scope.host_interfaces.end(), claims.owned_host_interfaces.begin(),
                                 claims.owned_host_interfaces.end());
    if (!desired.host_routes.empty() || !claims.host_routes.empty()) scope.host_routing = true;
    for (const auto& v : desired.veths)
        for (const auto* end : {&v.a, &v.b})
            if (end->in_host()) scope.host_interfaces.push_back(end->ifname);
    // The uplink's `out` (that it exists, and whose it is), the host tables and sysctls the lab
    // declares or changed, and the forwarding a link made now copies (its previous value).
    if (desired.uplink) scope.host_interfaces.push_back(desired.uplink->out);
    for (const auto& [id, _] : desired.host_tables) scope.host_tables.push_back(id);
    scope.host_tables.insert(scope.host_tables.end(), claims.host_tables.begin(),
                             claims.host_tables.end());
    for (const auto& [key, _] : desired.host_sysctls) scope.host_sysctls.push_back(key);
    for (const auto& [key, _] : claims.host_sysctls) scope.host_sysctls.push_back(key);
    if (!desired.host_sysctls.empty()) scope.host_sysctls.push_back(kIpv4DefaultForwarding);

    scope.namespaces = sorted_unique(std::move(scope.namespaces));
    scope.host_interfaces = sorted_unique(std::move(scope.host_interfaces));
    scope.host_tables = sorted_unique(std::move(scope.host_tables));
    scope.host_sysctls = sorted_unique(std::move(scope.host_sysctls));
    scope.expected_veths = desired.veths;
    return scope;
}

}  // namespace nstopo
