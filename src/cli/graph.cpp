#include "graph.hpp"

#include <fmt/format.h>

#include <vector>

#include "xml.hpp"

namespace nstopo {

namespace {

// "switch br0 (hub) 10.0.1.254/24: sw1-p1 sw1-p2", one line per bridge of these links.
void add_bridge_lines(const std::map<std::string, Interface>& links,
                      std::vector<std::string>& lines) {
    for (const auto& [name, link] : links) {
        if (link.kind != LinkKind::bridge) continue;
        std::string line = "switch " + name;
        if (link.bridge && link.bridge->hub()) line += " (hub)";
        if (link.bridge && link.bridge->stp) line += " (stp)";
        for (const auto& a : link.addresses) line += " " + a.str();
        std::vector<std::string> ports;
        for (const auto& [port, p] : links)
            if (p.master == name) ports.push_back(port);
        line += ":";
        for (const auto& port : ports) line += " " + port;
        lines.push_back(line);
    }
}

// What a node shows under its name: forwarding, bridges with their ports, loopback addresses,
// routes.
std::vector<std::string> node_details(const Namespace& ns) {
    std::vector<std::string> lines;
    if (ns.forwarding()) lines.emplace_back("forwarding");
    add_bridge_lines(ns.interfaces, lines);
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
// the host namespace is "host".
std::map<std::string, std::string> mermaid_ids(const Topology& t) {
    std::map<std::string, std::string> ids{{kHostNamespace, "host"}};
    for (const auto& [name, _] : t.namespaces) ids[name] = "n" + std::to_string(ids.size() - 1);
    return ids;
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

std::string dot_escaped(const std::string& s) {
    std::string out;
    for (const char c : s)
        out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out;
}

std::string dot_id(const std::string& s) {
    return "\"" + dot_escaped(s) + "\"";
}

// How a node is drawn: hosts rounded and blue, routers square and amber, the host namespace grey
// and dashed.
struct Look {
    const char* fill;
    const char* border;
    const char* style;  // the HTML table's style: "rounded", "dashed" or ""
};
constexpr Look kHostLook{"#e3eefa", "#4a78a8", "rounded"};
constexpr Look kRouterLook{"#fde7c3", "#b8860b", ""};
constexpr Look kRootLook{"#eeeeee", "#777777", "dashed"};

// A row per veth end, the edge's port: "ns01-veth0  192.168.0.1/24".
std::string port_rows(const std::map<std::string, Interface>& links) {
    std::string rows;
    for (const auto& [name, link] : links) {
        if (link.kind != LinkKind::veth) continue;
        std::vector<std::string> addresses;
        for (const auto& a : link.addresses) addresses.push_back(a.str());
        rows += fmt::format(
            "<tr><td port=\"{}\" border=\"1\" bgcolor=\"#ffffff\"><font point-size=\"9\">"
            "<b>{}</b>&#160;{}</font></td></tr>",
            xml_escaped(name), xml_escaped(name), xml_escaped(join(addresses, " ")));
    }
    return rows;
}

// A node as an HTML-like table: its name, its details, then one row (and port) per veth end.
std::string dot_node(const std::string& name, const std::vector<std::string>& details,
                     const std::map<std::string, Interface>& links, const Look& look) {
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
    label += port_rows(links) + "</table>";
    return fmt::format("  {} [label=<{}>];\n", dot_id(name), label);
}

std::string dot_end(const VethEnd& end) {
    return dot_id(end.in_host() ? "host" : end.ns) + ":" + dot_id(end.ifname);
}

}  // namespace

std::string graph_mermaid(const Topology& t) {
    const auto ids = mermaid_ids(t);
    std::string out = "flowchart LR\n";
    if (has_host(t)) {
        std::vector<std::string> lines{"host"};
        add_bridge_lines(t.host_interfaces, lines);
        out += "  host((\"" + mermaid_text(join(lines, "<br/>")) + "\"))\n";
    }
    for (const auto& [name, ns] : t.namespaces) out += "  " + mermaid_node(ids.at(name), ns) + "\n";
    for (const auto& v : t.veths) {
        const std::string label = end_label(t, v.a) + "<br/>" + end_label(t, v.b);
        out += fmt::format("  {} ---|\"{}\"| {}\n", ids.at(v.a.ns), mermaid_text(label),
                           ids.at(v.b.ns));
    }
    return out;
}

std::string graph_dot(const Topology& t) {
    std::string out = "graph " + dot_id(t.name) + " {\n";
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.8];\n";
    out += "  node [shape=plain, fontname=\"Helvetica\", fontsize=12];\n";
    out += "  edge [color=\"#555555\", penwidth=1.5];\n";
    if (has_host(t)) {
        std::vector<std::string> details{"root namespace"};
        add_bridge_lines(t.host_interfaces, details);
        out += dot_node("host", details, t.host_interfaces, kRootLook);
    }
    for (const auto& [name, ns] : t.namespaces)
        out += dot_node(name, node_details(ns), ns.interfaces,
                        ns.forwarding() ? kRouterLook : kHostLook);
    for (const auto& v : t.veths) out += "  " + dot_end(v.a) + " -- " + dot_end(v.b) + ";\n";
    return out + "}\n";
}

}  // namespace nstopo
