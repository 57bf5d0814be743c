#include "nstopo/import.hpp"

#include <algorithm>
#include <set>

#include "nstopo/error.hpp"
#include "nstopo/names.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo {

namespace {

std::string where_of(const std::string& ns, const std::string& ifname) {
    return VethEnd{ns, ifname}.str();
}

// The settings a file says of a link, without what the kernel decides (ifindex, mark, type) or
// what it gives a link at random (its MAC address, unless the request keeps them).
Interface file_link(const Interface& observed, bool keep_mac) {
    Interface i;
    i.name = observed.name;
    i.kind = observed.kind;
    i.addresses = observed.addresses;
    i.state = observed.state;
    i.mtu = observed.mtu;
    if (i.mtu == default_mtu(i.kind)) i.mtu.reset();
    // A bridge's MTU follows its ports unless someone set it; 1500 is what a new one has.
    if (i.kind == LinkKind::bridge && i.mtu == 1500u) i.mtu.reset();
    if (keep_mac && i.kind != LinkKind::loopback) i.mac = observed.mac;
    i.master = observed.master;
    i.bridge = observed.bridge;
    i.shaping = observed.shaping;
    return i;
}

class Importer {
  public:
    Importer(const Topology& observed, const ImportRequest& request)
        : observed_(observed), request_(request) {
        for (const auto& v : observed.veths)
            if (importable(v.a) && importable(v.b)) {
                paired_.insert(v.a);
                paired_.insert(v.b);
            }
    }

    ImportResult run() {
        out_.topology.name = request_.lab;
        for (const auto& [name, ns] : observed_.namespaces)
            out_.topology.namespaces[name] = import_namespace(ns);
        import_host_ends();
        import_veths();
        normalize(out_.topology);
        return std::move(out_);
    }

  private:
    // A veth end of an imported namespace, or a host end the request names.
    bool importable(const VethEnd& end) const {
        if (!end.in_host()) return observed_.namespaces.contains(end.ns);
        const auto& named = request_.host_interfaces;
        return std::find(named.begin(), named.end(), end.ifname) != named.end();
    }

    void note(const std::string& line) { out_.not_imported.push_back(line); }

    Namespace import_namespace(const Namespace& observed) {
        Namespace ns;
        ns.name = observed.name;
        for (const auto& [name, link] : observed.interfaces)
            if (auto kept = import_link(observed.name, link)) ns.interfaces[name] = *kept;
        detach_lost_ports(ns.interfaces);
        for (const auto& r : observed.routes)
            if (auto kept = import_route(ns, r)) ns.routes.push_back(*kept);
        for (const auto& r : observed.unmodelled_routes)
            note(ns.name + ": route " + r + " (a file's routes are unicast, with one gateway)");
        for (const auto& [id, t] : observed.tables)
            note(ns.name + ": nftables table " + id + " (" + std::to_string(t.rules) +
                 (t.rules == 1 ? " rule" : " rules") +
                 "; a file makes only nstopo's own table, inet nstopo, from `nat:` and "
                 "`nftables:`)");
        for (const auto& key : {kIpv4Forwarding, kIpv6Forwarding})
            if (const auto it = observed.sysctls.find(key); it != observed.sysctls.end())
                ns.sysctls[key] = it->second;
        return ns;
    }

    std::optional<Interface> import_link(const std::string& ns, const Interface& link) {
        const std::string where = where_of(ns, link.name);
        if (link.kind == LinkKind::other) {
            note(where + ": a " +
                 (link.type.empty() ? std::string("link of an unknown") : link.type) +
                 " link (a file makes veths and bridges)");
            return std::nullopt;
        }
        if (link.kind == LinkKind::veth && !paired_.contains(VethEnd{ns, link.name})) {
            note(where +
                 ": a veth whose peer is in no imported namespace (a host link: name it with "
                 "--host-interfaces; else import its namespace too)");
            return std::nullopt;
        }
        Interface i = file_link(link, request_.macs);
        if (i.shaping && !i.shaping->foreign.empty()) {
            note(where + ": " + i.shaping->str() + " (a file makes tbf, `rate:`, and netem only)");
            i.shaping.reset();
        }
        return i;
    }

    // A port of a bridge stays one only when both are imported, and only a veth end can be one.
    static void detach_lost_ports(std::map<std::string, Interface>& links) {
        for (auto& [_, link] : links) {
            if (link.master.empty()) continue;
            const auto bridge = links.find(link.master);
            if (bridge == links.end() || bridge->second.kind != LinkKind::bridge ||
                link.kind != LinkKind::veth)
                link.master.clear();
        }
    }

    std::optional<Route> import_route(const Namespace& ns, const Route& observed) {
        if (!observed.dev || !ns.interfaces.contains(*observed.dev)) {
            note(ns.name + ": route " + observed.str() + " (through a link that is not imported)");
            return std::nullopt;
        }
        Route r = observed;
        if (r.via && only_subnet_with(ns, *r.via) == *r.dev) r.dev.reset();
        return r;
    }

    // The one link of `ns` with an address whose subnet holds `gateway`; "" for none or several
    // (then a route names its device, as the kernel could not choose it from the gateway).
    static std::string only_subnet_with(const Namespace& ns, const IpAddress& gateway) {
        std::string found;
        for (const auto& [name, link] : ns.interfaces)
            for (const auto& a : link.addresses)
                if (a.contains(gateway)) {
                    if (!found.empty() && found != name) return {};
                    found = name;
                }
        return found;
    }

    void import_host_ends() {
        for (const auto& name : request_.host_interfaces) {
            const auto it = observed_.host_interfaces.find(name);
            if (it == observed_.host_interfaces.end())
                throw Error(ErrorKind::usage,
                            "--host-interfaces " + quote(name) + ": the host has no such link");
            if (it->second.kind != LinkKind::veth || !paired_.contains(VethEnd{"", name}))
                throw Error(ErrorKind::usage,
                            "--host-interfaces " + quote(name) +
                                ": not a veth whose peer is in an imported namespace");
            Interface i = file_link(it->second, request_.macs);
            i.master.clear();
            out_.topology.host_interfaces[name] = i;
        }
    }

    bool kept(const VethEnd& end) const {
        if (end.in_host()) return out_.topology.host_interfaces.contains(end.ifname);
        const auto ns = out_.topology.namespaces.find(end.ns);
        return ns != out_.topology.namespaces.end() && ns->second.interfaces.contains(end.ifname);
    }

    void import_veths() {
        for (const auto& v : observed_.veths)
            if (kept(v.a) && kept(v.b)) out_.topology.veths.push_back(Veth{v.a, v.b, {}});
    }

    const Topology& observed_;
    const ImportRequest& request_;
    std::set<VethEnd> paired_;
    ImportResult out_;
};

// Namespace -> the lab whose record names it.
std::map<std::string, std::string> recorded_namespaces(const StateStore& store) {
    std::map<std::string, std::string> owners;
    for (const auto& record : store.load_all().records)
        for (const auto& ns : record.namespaces) owners.emplace(ns, record.lab);
    return owners;
}

std::string owner_of(const Namespace& ns, const std::map<std::string, std::string>& recorded) {
    if (!ns.owner.empty()) return ns.owner;
    const auto it = recorded.find(ns.name);
    return it == recorded.end() ? std::string() : it->second;
}

void require_existing(const std::vector<std::string>& asked, const std::vector<std::string>& all) {
    for (const auto& name : asked)
        if (!std::binary_search(all.begin(), all.end(), name))
            throw Error(ErrorKind::usage,
                        "no namespace " + quote(name) + " to import" + did_you_mean(name, all));
}

}  // namespace

ObserveScope import_scope(const std::vector<std::string>& namespaces,
                          const std::vector<std::string>& host_interfaces) {
    ObserveScope scope;
    scope.namespaces = namespaces;
    scope.host_interfaces = host_interfaces;
    for (const auto& ns : namespaces) scope.sysctls[ns] = {kIpv4Forwarding, kIpv6Forwarding};
    scope.nftables = true;
    return scope;
}

ImportResult imported_topology(const Topology& observed, const ImportRequest& request) {
    return Importer(observed, request).run();
}

ImportResult import_namespaces(Kernel& kernel, const StateStore& store,
                               const ImportRequest& request) {
    const std::vector<std::string> all = kernel.list_namespaces();
    require_existing(request.namespaces, all);
    const bool chosen = !request.namespaces.empty();
    std::vector<std::string> candidates = chosen ? request.namespaces : all;
    std::vector<std::string> wanted, skipped;
    for (const auto& name : candidates) {
        if (const auto problem = namespace_name_problem(name); !problem.empty()) {
            if (chosen) throw Error(ErrorKind::usage, "namespace " + quote(name) + " " + problem);
            skipped.push_back(quote(name) + ": a file cannot name it (" + problem + ")");
            continue;
        }
        wanted.push_back(name);
    }
    const Topology first = kernel.observe(import_scope(wanted, {}));
    const auto recorded = recorded_namespaces(store);
    std::vector<std::string> unowned;
    for (const auto& name : wanted) {
        const auto ns = first.namespaces.find(name);
        if (ns == first.namespaces.end()) continue;  // deleted meanwhile
        if (const auto lab = owner_of(ns->second, recorded); !lab.empty()) {
            if (chosen)
                throw Error(ErrorKind::usage, "namespace " + quote(name) + " is lab " + quote(lab) +
                                                  "'s already (nstopo status " + lab + ")");
            skipped.push_back(name + ": lab " + quote(lab) + "'s");
            continue;
        }
        unowned.push_back(name);
    }
    if (unowned.empty())
        throw Error(ErrorKind::usage, all.empty()
                                          ? "no namespace to import: the netns directory has none"
                                          : "no namespace to import: every one belongs to a lab");
    // Read again with the host ends: the pairing of their veths needs both sides in one scope.
    const Topology observed = request.host_interfaces.empty() && unowned == wanted
                                  ? first
                                  : kernel.observe(import_scope(unowned, request.host_interfaces));
    ImportResult result = imported_topology(observed, request);
    result.skipped = std::move(skipped);
    return result;
}

}  // namespace nstopo
