#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "check.hpp"

namespace nstopo::config {

namespace {

bool written_before(const SourceLocation& x, const SourceLocation& y) {
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
}

// "interface 'ns01/eth0'", or "host interface 'veth0'".
std::string end_label(const VethEnd& end) {
    return (end.in_host() ? "host interface " : "interface ") + quote(end.str());
}

std::vector<std::string> namespace_names(const Draft& draft) {
    std::vector<std::string> names;
    for (const auto& [name, _] : draft.namespaces) names.push_back(name);
    return names;
}

void check_end_namespace(const Draft& draft, const VethEnd& end, const SourceLocation& where,
                         Diagnostics& diags) {
    if (end.in_host() || draft.namespaces.contains(end.ns)) return;
    diags.error(where, "namespace " + quote(end.ns) + " of veth end " + quote(end.str()) +
                           " is not declared under `namespaces`" +
                           did_you_mean(end.ns, namespace_names(draft)));
}

// Remembers the veth line of each end; reports an end seen before.
void check_end_unused(const VethEnd& end, const SourceLocation& where, int veth_line,
                      std::map<VethEnd, int>& first_use, Diagnostics& diags) {
    const auto [it, inserted] = first_use.emplace(end, veth_line);
    if (inserted) return;
    diags.error(where, end_label(end) + " is already an end of the veth at line " +
                           std::to_string(it->second));
}

// An interface and one of its addresses, for the uniqueness check.
struct PlacedAddress {
    IpAddress ip;
    SourceLocation where;
    std::string owner;  // end_label of its interface
};

void collect_addresses(const std::string& ns, const std::map<std::string, DraftInterface>& links,
                       std::vector<PlacedAddress>& out) {
    for (const auto& [name, link] : links)
        for (std::size_t i = 0; i < link.iface.addresses.size(); ++i)
            out.push_back(
                {link.iface.addresses[i].ip, link.address_where[i], end_label(VethEnd{ns, name})});
}

void collect_bridge_addresses(const std::string& ns,
                              const std::map<std::string, DraftBridge>& bridges,
                              std::vector<PlacedAddress>& out) {
    std::map<std::string, DraftInterface> links;
    for (const auto& [name, b] : bridges) links.emplace(name, b.link);
    collect_addresses(ns, links, out);
}

void check_listed(const std::string& ns, const std::map<std::string, DraftInterface>& links,
                  const std::set<VethEnd>& ends, Diagnostics& diags) {
    for (const auto& [name, link] : links) {
        const VethEnd end{ns, name};
        if (name == "lo" || ends.contains(end)) continue;
        diags.error(link.iface.where, "no veth creates " + end_label(end) +
                                          "; add one to `veths` or remove this entry");
    }
}

}  // namespace

std::string check_lab_name(const Draft& draft, Diagnostics& diags) {
    if (draft.name) {
        if (const auto problem = lab_name_problem(*draft.name); !problem.empty())
            diags.error(draft.name_where, name_message("lab", *draft.name, problem));
        return *draft.name;
    }
    auto name = std::filesystem::path(diags.file()).stem().string();
    if (const auto problem = lab_name_problem(name); !problem.empty())
        diags.error(Pos{1, 1}, name_message("lab", name, problem) +
                                   " (the name comes from the file name; set `name:`)");
    return name;
}

void check_look_alike_namespaces(const Draft& draft, Diagnostics& diags) {
    std::vector<const DraftNamespace*> in_file_order;
    for (const auto& [_, ns] : draft.namespaces) in_file_order.push_back(&ns);
    std::stable_sort(in_file_order.begin(), in_file_order.end(),
                     [](const DraftNamespace* x, const DraftNamespace* y) {
                         return written_before(x->where, y->where);
                     });
    std::map<std::string, const DraftNamespace*> first;
    for (const DraftNamespace* ns : in_file_order) {
        const auto [it, inserted] = first.emplace(look_alike_skeleton(ns->name), ns);
        if (inserted) continue;
        diags.warning(ns->where, "namespace name " + quote(ns->name) + " looks like namespace " +
                                     quote(it->second->name) + " (line " +
                                     std::to_string(it->second->where.line) + ")");
    }
}

void check_veths(const Draft& draft, Diagnostics& diags) {
    std::map<VethEnd, int> first_use;
    for (const auto& v : draft.veths) {
        check_end_namespace(draft, v.veth.a, v.a_where, diags);
        check_end_namespace(draft, v.veth.b, v.b_where, diags);
        if (v.veth.a == v.veth.b) {
            diags.error(v.b_where, "both ends of the veth are " + quote(v.veth.a.str()));
            continue;
        }
        check_end_unused(v.veth.a, v.a_where, v.veth.where.line, first_use, diags);
        check_end_unused(v.veth.b, v.b_where, v.veth.where.line, first_use, diags);
    }
}

void check_listed_interfaces(const Draft& draft, Diagnostics& diags) {
    std::set<VethEnd> ends;
    for (const auto& v : draft.veths) {
        ends.insert(v.veth.a);
        ends.insert(v.veth.b);
    }
    for (const auto& [name, ns] : draft.namespaces) check_listed(name, ns.interfaces, ends, diags);
    check_listed(kHostNamespace, draft.host_interfaces, ends, diags);
}

void check_unique_addresses(const Draft& draft, Diagnostics& diags) {
    std::vector<PlacedAddress> all;
    for (const auto& [name, ns] : draft.namespaces) {
        collect_addresses(name, ns.interfaces, all);
        collect_bridge_addresses(name, ns.bridges, all);
    }
    collect_addresses(kHostNamespace, draft.host_interfaces, all);
    collect_bridge_addresses(kHostNamespace, draft.host_bridges, all);
    // In file order, so the second of two is the one reported.
    std::stable_sort(all.begin(), all.end(), [](const PlacedAddress& x, const PlacedAddress& y) {
        return written_before(x.where, y.where);
    });
    std::map<IpAddress, const PlacedAddress*> first;
    for (const auto& a : all) {
        const auto [it, inserted] = first.emplace(a.ip, &a);
        if (inserted) continue;
        diags.error(a.where, "address " + a.ip.str() + " is already assigned to " +
                                 it->second->owner + " (line " +
                                 std::to_string(it->second->where.line) + ")");
    }
}

}  // namespace nstopo::config
