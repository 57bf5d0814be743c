#include "graph.hpp"

#include <fmt/format.h>

#include <vector>

#include "xml.hpp"

namespace nstopo {

namespace {

// What a node shows under its name: forwarding, loopback addresses, routes.
std::vector<std::string> node_details(const Namespace& ns) {
    std::vector<std::string> lines;
    if (ns.forwarding()) lines.push_back("forwarding");
    if (const auto lo = ns.interfaces.find("lo"); lo != ns.interfaces.end())
        for (const auto& a : lo->second.addresses) lines.push_back("lo " + a.str());
    for (const auto& r : ns.routes) {
        std::string line = r.to.is_default() ? "default" : r.to.str();
        if (r.via) line += " via " + r.via->str();
        if (r.dev) line += " dev " + *r.dev;
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

std::string dot_node(const Namespace& ns) {
    std::vector<std::string> details;
    for (const auto& d : node_details(ns)) details.push_back(xml_escaped(d));
    std::string label = "<b>" + xml_escaped(ns.name) + "</b>";
    if (!details.empty())
        label += "<br/><font point-size=\"9\">" + join(details, "<br/>") + "</font>";
    const char* look = ns.forwarding()
                           ? "shape=hexagon, style=filled, fillcolor=\"#fde7c3\", color=\"#b8860b\""
                           : "shape=box, style=\"rounded,filled\", fillcolor=\"#e3eefa\", "
                             "color=\"#4a78a8\"";
    return fmt::format("  {} [{}, label=<{}>];\n", dot_id(ns.name), look, label);
}

std::string dot_node_name(const std::string& ns) {
    return ns.empty() ? dot_id("host") : dot_id(ns);
}

}  // namespace

std::string graph_mermaid(const Topology& t) {
    const auto ids = mermaid_ids(t);
    std::string out = "flowchart LR\n";
    if (has_host(t)) out += "  host((\"host\"))\n";
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
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.5, ranksep=0.9];\n";
    out += "  node [fontname=\"Helvetica\", fontsize=12, margin=\"0.15,0.08\"];\n";
    out +=
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\"];\n";
    if (has_host(t))
        out += "  " + dot_id("host") +
               " [shape=box, style=\"filled,dashed\", fillcolor=\"#eeeeee\", "
               "label=<<b>host</b><br/><font point-size=\"9\">root namespace</font>>];\n";
    for (const auto& [_, ns] : t.namespaces) out += dot_node(ns);
    for (const auto& v : t.veths)
        out += fmt::format(
            "  {} -- {} [label={}];\n", dot_node_name(v.a.ns), dot_node_name(v.b.ns),
            "\"" + dot_escaped(end_label(t, v.a)) + "\\n" + dot_escaped(end_label(t, v.b)) + "\"");
    return out + "}\n";
}

}  // namespace nstopo
