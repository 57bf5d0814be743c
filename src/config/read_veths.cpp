#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kEndKeys = {"namespace", "interface"};

// "NAMESPACE/INTERFACE", or "INTERFACE" for an end in the host.
std::optional<VethEnd> end_from_text(const Reader& r, NodeId id) {
    const auto& t = r.text(id);
    const auto slash = t.find('/');
    if (slash == std::string::npos) return VethEnd{kHostNamespace, t};
    if (t.find('/', slash + 1) != std::string::npos) {
        r.error(id,
                "veth end " + quote(t) +
                    " has more than one '/'; write NAMESPACE/INTERFACE, or INTERFACE for the host");
        return std::nullopt;
    }
    if (slash == 0) {
        r.error(id, "veth end " + quote(t) + " has an empty namespace; write " +
                        quote(t.substr(1)) + " for an end in the host");
        return std::nullopt;
    }
    return VethEnd{t.substr(0, slash), t.substr(slash + 1)};
}

// {namespace: NS, interface: IF}; no namespace means the host.
std::optional<VethEnd> end_from_map(const Reader& r, NodeId id) {
    r.check_keys(id, kEndKeys, "in veth end");
    VethEnd end;
    const auto ns = r.find(id, "namespace");
    if (ns && r.node(*ns).kind != NodeKind::null) {
        const auto* name = r.scalar(*ns, code("namespace"), "a namespace name");
        if (!name) return std::nullopt;
        if (name->empty()) {
            r.error(*ns, "namespace name is empty; leave `namespace` out for an end in the host");
            return std::nullopt;
        }
        end.ns = *name;
    }
    const auto ifname = r.find(id, "interface");
    if (!ifname) {
        r.error(id, "a veth end needs `interface`");
        return std::nullopt;
    }
    const auto* name = r.scalar(*ifname, code("interface"), "an interface name");
    if (!name) return std::nullopt;
    end.ifname = *name;
    return end;
}

}  // namespace

std::optional<VethEnd> read_veth_end(const Reader& r, NodeId id) {
    std::optional<VethEnd> end;
    if (r.node(id).kind == NodeKind::scalar)
        end = end_from_text(r, id);
    else if (r.node(id).kind == NodeKind::map)
        end = end_from_map(r, id);
    else
        r.wrong_type(id, "a veth end", "NAMESPACE/INTERFACE, INTERFACE or a map");
    if (!end) return std::nullopt;
    if (!r.name(id, "interface", end->ifname, interface_name_problem(end->ifname)))
        return std::nullopt;
    if (end->ifname == "lo") {
        r.error(id, "a veth end cannot be named 'lo'; that name belongs to the loopback device");
        return std::nullopt;
    }
    return end;
}

namespace {

std::optional<DraftVeth> read_veth(const Reader& r, NodeId id) {
    const auto* ends = r.list(id, "a veth", "a list of two ends");
    if (!ends) return std::nullopt;
    if (ends->size() != 2) {
        r.error(id, "a veth must have exactly 2 ends, got " + std::to_string(ends->size()));
        return std::nullopt;
    }
    const NodeId a_id = (*ends)[0], b_id = (*ends)[1];
    const auto a = read_veth_end(r, a_id);
    const auto b = read_veth_end(r, b_id);
    if (!a || !b) return std::nullopt;
    return DraftVeth{Veth{*a, *b, r.at(id)}, r.at(a_id), r.at(b_id)};
}

}  // namespace

void read_veths(const Reader& r, NodeId id, Draft& draft) {
    const auto* items = r.list(id, code("veths"), "a list of veths");
    if (!items) return;
    for (const NodeId item : *items)
        if (auto veth = read_veth(r, item)) draft.veths.push_back(std::move(*veth));
}

}  // namespace nstopo::config
