#include "graph.hpp"

#include <fmt/format.h>

#include <optional>
#include <set>
#include <vector>

#include "xml.hpp"

namespace nstopo {

namespace {

// A bridge, drawn as a switch node of its own with its ports; the veths of its ports end there.
struct Switch {
    std::string ns;  // its namespace; kHostNamespace for a host bridge
    const Interface* bridge = nullptr;
    std::vector<std::string> ports;  // in name order
    const Lan* lan = nullptr;        // the LAN whose switch this is, if any
    // Its namespace holds nothing but bridges and their ports (no address but the bridges', no
    // route, no forwarding, no program): a switch, not drawn as a namespace of its own.
    bool alone = false;
};

bool only_switches(const Namespace& ns) {
    if (ns.forwarding() || !ns.routes.empty() || !ns.processes.empty()) return false;
    for (const auto& [name, link] : ns.interfaces) {
        if (link.kind == LinkKind::loopback && link.addresses.empty()) continue;
        if (link.kind != LinkKind::bridge && link.master.empty()) return false;
        if (link.kind != LinkKind::bridge && !link.addresses.empty()) return false;
    }
    return true;
}

void add_switches(const Topology& t, const std::string& ns,
                  const std::map<std::string, Interface>& links, bool alone,
                  std::vector<Switch>& out) {
    for (const auto& [name, link] : links) {
        if (link.kind != LinkKind::bridge) continue;
        Switch s{ns, &link, {}, nullptr, alone};
        for (const auto& [port, p] : links)
            if (p.master == name) s.ports.push_back(port);
        if (const auto lan = t.lans.find(ns); lan != t.lans.end() && name == kLanBridge)
            s.lan = &lan->second;
        out.push_back(std::move(s));
    }
}

// Every bridge of the lab: host bridges first, then by namespace and name.
std::vector<Switch> switches_of(const Topology& t) {
    std::vector<Switch> out;
    add_switches(t, kHostNamespace, t.host_interfaces, false, out);
    for (const auto& [name, ns] : t.namespaces)
        add_switches(t, name, ns.interfaces, only_switches(ns), out);
    return out;
}

// "lan1/br0", or "host/br0" for a host bridge: no namespace name holds a '/'.
std::string switch_key(const std::string& ns, const std::string& bridge) {
    return (ns.empty() ? std::string("host") : ns) + "/" + bridge;
}

// The bridge `end` is a port of, if any.
std::optional<std::string> master_of(const Topology& t, const VethEnd& end) {
    const Interface* i = t.find_interface(end.ns, end.ifname);
    if (!i || i->master.empty()) return std::nullopt;
    return i->master;
}

// What a switch node shows: its name (the LAN's, or the namespace's when the namespace is only a
// switch), its mode and addresses.
std::vector<std::string> switch_lines(const Switch& s) {
    std::vector<std::string> lines;
    const std::string& name = s.bridge->name;
    if (s.lan)
        lines.push_back("LAN " + s.lan->name);
    else if (s.alone)
        lines.push_back(s.ns);
    std::string line = "switch " + (s.alone ? name : VethEnd{s.ns, name}.str());
    if (s.ns.empty()) line += " (host)";
    if (s.bridge->bridge && s.bridge->bridge->hub()) line += " (hub)";
    if (s.bridge->bridge && s.bridge->bridge->stp) line += " (stp)";
    lines.push_back(line);
    for (const auto& a : s.bridge->addresses) lines.push_back(a.str());
    return lines;
}

// What a node shows under its name: forwarding, bridges with their ports, loopback addresses,
// routes.
std::vector<std::string> node_details(const Namespace& ns) {
    std::vector<std::string> lines;
    if (ns.forwarding()) lines.emplace_back("forwarding");
    if (const auto lo = ns.interfaces.find("lo"); lo != ns.interfaces.end())
        for (const auto& a : lo->second.addresses) lines.push_back("lo " + a.str());
    for (const auto& r : ns.routes) {
        std::string line = r.to.is_default() ? "default" : r.to.str();
        if (r.via) line += " via " + r.via->str();
        if (r.dev) line += " dev " + *r.dev;
        if (r.metric != default_metric(r.family())) line += " metric " + std::to_string(r.metric);
        lines.push_back(line);
    }
    return lines;
}

// One end of a veth as its edge label shows it: "ns01-veth0 192.168.0.1/24".
std::string end_label(const Topology& t, const VethEnd& end) {
    std::string s = end.ifname;
    if (const Interface* i = t.find_interface(end.ns, end.ifname))
        for (const auto& a : i->addresses) s += " " + a.str();
    return s;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
    return out;
}

bool has_host(const Topology& t) {
    for (const auto& v : t.veths)
        if (v.a.in_host() || v.b.in_host()) return true;
    return !t.host_interfaces.empty();
}

// Mermaid node ids: n0, n1, ... in name order (names may hold characters Mermaid ids cannot);
// the host namespace is "host"; switches s0, s1, ... by switch_key.
std::map<std::string, std::string> mermaid_ids(const Topology& t, const std::vector<Switch>& ss) {
    std::map<std::string, std::string> ids{{kHostNamespace, "host"}};
    for (const auto& [name, _] : t.namespaces) ids[name] = "n" + std::to_string(ids.size() - 1);
    for (std::size_t i = 0; i < ss.size(); ++i)
        ids[switch_key(ss[i].ns, ss[i].bridge->name)] = "s" + std::to_string(i);
    return ids;
}

// The node a veth end is drawn at: its bridge's switch, else its namespace (by key of `ids`).
std::string node_key(const Topology& t, const VethEnd& end) {
    if (const auto master = master_of(t, end)) return switch_key(end.ns, *master);
    return end.ns;
}

// The namespaces drawn as nodes: all but those that are only switches.
std::set<std::string> drawn_namespaces(const Topology& t, const std::vector<Switch>& ss) {
    std::set<std::string> names;
    for (const auto& [name, _] : t.namespaces) names.insert(name);
    for (const auto& s : ss)
        if (s.alone) names.erase(s.ns);
    return names;
}

std::string mermaid_text(const std::string& s) {
    std::string out;
    for (const char c : s) out += c == '"' ? std::string("#quot;") : std::string(1, c);
    return out;
}

std::string mermaid_node(const std::string& id, const Namespace& ns) {
    std::vector<std::string> lines{ns.name};
    for (const auto& d : node_details(ns)) lines.push_back(d);
    const std::string label = "\"" + mermaid_text(join(lines, "<br/>")) + "\"";
    return ns.forwarding() ? id + "{{" + label + "}}" : id + "[" + label + "]";
}

// A switch as Mermaid's subroutine box, with its ports listed: [["LAN lan1<br/>switch br0<br/>
// ports h1-eth0 h2-eth0"]].
std::string mermaid_switch(const std::string& id, const Switch& s) {
    auto lines = switch_lines(s);
    lines.push_back("ports " + (s.ports.empty() ? std::string("-") : join(s.ports, " ")));
    return id + "[[\"" + mermaid_text(join(lines, "<br/>")) + "\"]]";
}

std::string dot_escaped(const std::string& s) {
    std::string out;
    for (const char c : s)
        out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out;
}

std::string dot_id(const std::string& s) {
    return "\"" + dot_escaped(s) + "\"";
}

// How a node is drawn: hosts rounded and blue, routers square and amber, switches green, the host
// namespace grey and dashed.
struct Look {
    const char* fill;
    const char* border;
    const char* style;  // the HTML table's style: "rounded", "dashed" or ""
};
constexpr Look kHostLook{"#e3eefa", "#4a78a8", "rounded"};
constexpr Look kRouterLook{"#fde7c3", "#b8860b", ""};
constexpr Look kRootLook{"#eeeeee", "#777777", "dashed"};
constexpr Look kSwitchLook{"#e4f2e4", "#3d8b3d", ""};

std::string port_row(const std::string& name, const Interface& link) {
    std::vector<std::string> addresses;
    for (const auto& a : link.addresses) addresses.push_back(a.str());
    return fmt::format(
        "<tr><td port=\"{}\" border=\"1\" bgcolor=\"#ffffff\"><font point-size=\"9\">"
        "<b>{}</b>&#160;{}</font></td></tr>",
        xml_escaped(name), xml_escaped(name), xml_escaped(join(addresses, " ")));
}

// A row per veth end that is no bridge port, the edge's port: "ns01-veth0  192.168.0.1/24".
std::string port_rows(const std::map<std::string, Interface>& links) {
    std::string rows;
    for (const auto& [name, link] : links)
        if (link.kind == LinkKind::veth && link.master.empty()) rows += port_row(name, link);
    return rows;
}

// A node as an HTML-like table: its name, its details, then `rows` (one per edge's port).
std::string dot_node(const std::string& id, const std::string& name,
                     const std::vector<std::string>& details, const std::string& rows,
                     const Look& look) {
    std::string label = fmt::format(
        "<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"2\" "
        "bgcolor=\"{}\" color=\"{}\"{}><tr><td><b>{}</b></td></tr>",
        look.fill, look.border, *look.style ? fmt::format(" style=\"{}\"", look.style) : "",
        xml_escaped(name));
    std::vector<std::string> escaped;
    escaped.reserve(details.size());
    for (const auto& d : details) escaped.push_back(xml_escaped(d));
    if (!escaped.empty())
        label += "<tr><td><font point-size=\"9\">" + join(escaped, "<br/>") + "</font></td></tr>";
    label += rows + "</table>";
    return fmt::format("  {} [label=<{}>];\n", dot_id(id), label);
}

// A switch: its first line as the title, the rest as details, a row per port.
std::string dot_switch(const Topology& t, const Switch& s) {
    const auto lines = switch_lines(s);
    const auto& links = s.ns.empty() ? t.host_interfaces : t.namespaces.at(s.ns).interfaces;
    std::string rows;
    for (const auto& port : s.ports) rows += port_row(port, links.at(port));
    return dot_node(switch_key(s.ns, s.bridge->name), lines.front(),
                    std::vector<std::string>(lines.begin() + 1, lines.end()), rows, kSwitchLook);
}

std::string dot_end(const Topology& t, const VethEnd& end) {
    if (const auto master = master_of(t, end))
        return dot_id(switch_key(end.ns, *master)) + ":" + dot_id(end.ifname);
    return dot_id(end.in_host() ? "host" : end.ns) + ":" + dot_id(end.ifname);
}

}  // namespace

std::string graph_mermaid(const Topology& t) {
    const auto switches = switches_of(t);
    const auto ids = mermaid_ids(t, switches);
    std::string out = "flowchart LR\n";
    if (has_host(t)) out += "  host((\"host\"))\n";
    for (const auto& name : drawn_namespaces(t, switches))
        out += "  " + mermaid_node(ids.at(name), t.namespaces.at(name)) + "\n";
    for (const auto& s : switches) {
        const auto& id = ids.at(switch_key(s.ns, s.bridge->name));
        out += "  " + mermaid_switch(id, s) + "\n";
        if (!s.alone) out += fmt::format("  {} -.- {}\n", ids.at(s.ns), id);
    }
    for (const auto& v : t.veths) {
        const std::string label = end_label(t, v.a) + "<br/>" + end_label(t, v.b);
        out += fmt::format("  {} ---|\"{}\"| {}\n", ids.at(node_key(t, v.a)), mermaid_text(label),
                           ids.at(node_key(t, v.b)));
    }
    return out;
}

std::string graph_dot(const Topology& t) {
    const auto switches = switches_of(t);
    std::string out = "graph " + dot_id(t.name) + " {\n";
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.8];\n";
    out += "  node [shape=plain, fontname=\"Helvetica\", fontsize=12];\n";
    out += "  edge [color=\"#555555\", penwidth=1.5];\n";
    if (has_host(t))
        out +=
            dot_node("host", "host", {"root namespace"}, port_rows(t.host_interfaces), kRootLook);
    for (const auto& name : drawn_namespaces(t, switches)) {
        const auto& ns = t.namespaces.at(name);
        out += dot_node(name, name, node_details(ns), port_rows(ns.interfaces),
                        ns.forwarding() ? kRouterLook : kHostLook);
    }
    for (const auto& s : switches) {
        out += dot_switch(t, s);
        if (!s.alone)
            out += "  " + dot_id(s.ns.empty() ? "host" : s.ns) + " -- " +
                   dot_id(switch_key(s.ns, s.bridge->name)) + " [style=dashed];\n";
    }
    for (const auto& v : t.veths) out += "  " + dot_end(t, v.a) + " -- " + dot_end(t, v.b) + ";\n";
    return out + "}\n";
}

}  // namespace nstopo
