// `nstopo graph`: the exact Mermaid and DOT text of real labs.
#include <catch2/catch.hpp>

#include "graph.hpp"
#include "nstopo/config.hpp"

using namespace nstopo;

namespace {

Topology lab(const std::string& name) {
    auto r = load_topology_file(std::string(NSTOPO_TOPOLOGIES_DIR) + "/" + name + ".yaml");
    REQUIRE(r.ok());
    return std::move(*r.topology);
}

}  // namespace

TEST_CASE("mermaid: pair") {
    CHECK(graph_mermaid(lab("pair")) ==
          "flowchart LR\n"
          "  n0[\"ns01\"]\n"
          "  n1[\"ns02\"]\n"
          "  n0 ---|\"ns01-veth0 192.168.0.1/24<br/>ns02-veth0 192.168.0.2/24\"| n1\n");
}

TEST_CASE("dot: pair") {
    // Each namespace a table: its name, then one row per veth end, which is the edge's port.
    const std::string node =
        "[label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"2\" "
        "bgcolor=\"#e3eefa\" color=\"#4a78a8\" style=\"rounded\"><tr><td><b>NS</b></td></tr>"
        "<tr><td port=\"NS-veth0\" border=\"1\" bgcolor=\"#ffffff\"><font point-size=\"9\">"
        "<b>NS-veth0</b>&#160;192.168.0.N/24</font></td></tr></table>>];\n";
    auto node_of = [&](const std::string& ns, const std::string& n) {
        std::string s = node;
        for (std::size_t at; (at = s.find("NS")) != std::string::npos;) s.replace(at, 2, ns);
        s.replace(s.find(".N/"), 3, "." + n + "/");
        return "  \"" + ns + "\" " + s;
    };
    CHECK(graph_dot(lab("pair")) ==
          "graph \"pair\" {\n"
          "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.8];\n"
          "  node [shape=plain, fontname=\"Helvetica\", fontsize=12];\n"
          "  edge [color=\"#555555\", penwidth=1.5];\n" +
              node_of("ns01", "1") + node_of("ns02", "2") +
              "  \"ns01\":\"ns01-veth0\" -- \"ns02\":\"ns02-veth0\";\n"
              "}\n");
}

TEST_CASE("dot: routers amber and square, the host namespace grey and dashed") {
    const auto two = graph_dot(lab("two-routers"));
    CHECK(two.find("  \"router01\" [label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" "
                   "cellpadding=\"2\" bgcolor=\"#fde7c3\" color=\"#b8860b\"><tr><td><b>router01"
                   "</b></td></tr><tr><td><font point-size=\"9\">forwarding<br/>10.0.0.0/24 via "
                   "172.16.0.2</font></td></tr>") != std::string::npos);
    CHECK(two.find("  \"router01\":\"gw01-veth1\" -- \"router02\":\"gw02-veth0\";\n") !=
          std::string::npos);
    const auto host = graph_dot(lab("host-link"));
    CHECK(host.find("  \"host\" [label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"2\" "
                    "cellpadding=\"2\" bgcolor=\"#eeeeee\" color=\"#777777\" style=\"dashed\">"
                    "<tr><td><b>host</b></td></tr><tr><td><font point-size=\"9\">root namespace"
                    "</font></td></tr>") != std::string::npos);
    CHECK(host.find("  \"host\":\"veth0\" -- \"netns1\":\"veth1\";\n") != std::string::npos);
}

TEST_CASE("mermaid: routers are hexagons with their routes, the host a circle") {
    const auto two = graph_mermaid(lab("two-routers"));
    CHECK(two.find("  n2{{\"router01<br/>forwarding<br/>10.0.0.0/24 via 172.16.0.2\"}}\n") !=
          std::string::npos);
    CHECK(two.find("  n0[\"ns01<br/>default via 192.168.0.254\"]\n") != std::string::npos);
    const auto host = graph_mermaid(lab("host-link"));
    CHECK(host ==
          "flowchart LR\n"
          "  host((\"host\"))\n"
          "  n0[\"netns1\"]\n"
          "  host ---|\"veth0 10.1.1.2/24<br/>veth1 10.1.1.1/24\"| n0\n");
}

TEST_CASE("dot: names that need quoting stay inside their quotes") {
    Topology t;
    t.name = "a\"b";
    Namespace ns;
    ns.name = "x<y";
    t.namespaces[ns.name] = ns;
    const auto dot = graph_dot(t);
    CHECK(dot.find("graph \"a\\\"b\" {") == 0);
    CHECK(dot.find("  \"x<y\" [label=<") != std::string::npos);
    CHECK(dot.find("<b>x&lt;y</b>") != std::string::npos);
}

TEST_CASE("mermaid: a LAN is one switch node with its ports, where its members' veths end") {
    const auto g = graph_mermaid(lab("hub-vs-switch"));
    CHECK(
        g.find("  s0[[\"LAN hub<br/>switch br0 (hub)<br/>ports h4-eth0 h5-eth0 spy2-eth0\"]]\n") !=
        std::string::npos);
    CHECK(g.find("  s1[[\"LAN switch<br/>switch br0<br/>ports h1-eth0 h2-eth0 spy1-eth0\"]]\n") !=
          std::string::npos);
    CHECK(g.find("  n0 ---|\"eth0 10.0.1.1/24<br/>h1-eth0\"| s1\n") != std::string::npos);
    CHECK(g.find("  n5 ---|\"eth0 10.0.1.3/24<br/>spy1-eth0\"| s1\n") != std::string::npos);
    // The switch namespaces hold nothing else: no node of their own (n4 is hub, n7 switch).
    CHECK(g.find("n4") == std::string::npos);
    CHECK(g.find("n7") == std::string::npos);
    CHECK(g.find(" -.- ") == std::string::npos);
}

TEST_CASE("dot: a switch node has a row per port, a bridge beside other links hangs off its node") {
    const auto office = graph_dot(lab("office-lan"));
    CHECK(office.find("  \"sw-lab/br0\" [label=<<table border=\"1\" cellborder=\"0\" "
                      "cellspacing=\"2\" cellpadding=\"2\" bgcolor=\"#e4f2e4\" color=\"#3d8b3d\">"
                      "<tr><td><b>LAN sw-lab</b></td></tr><tr><td><font point-size=\"9\">switch "
                      "br0</font></td></tr><tr><td port=\"printer-eth0\" border=\"1\" "
                      "bgcolor=\"#ffffff\"><font point-size=\"9\"><b>printer-eth0</b>&#160;"
                      "</font></td></tr>") != std::string::npos);
    // sw-office is written out by hand, but is only a switch too: titled by its namespace.
    CHECK(office.find("<tr><td><b>sw-office</b></td></tr><tr><td><font point-size=\"9\">switch "
                      "br0</font></td></tr>") != std::string::npos);
    CHECK(office.find("  \"pc1\":\"eth0\" -- \"sw-office/br0\":\"p-pc1\";\n") != std::string::npos);
    CHECK(office.find("  \"router\":\"eth1\" -- \"sw-lab/br0\":\"router-eth1\";\n") !=
          std::string::npos);
    CHECK(office.find("  \"sw-office\" [") == std::string::npos);

    auto r = load_topology_text(R"(name: r
namespaces:
  r:
    forwarding: true
    interfaces: { up: { addresses: [10.0.9.1/24] } }
    bridges: { br0: { ports: [p1], addresses: [10.0.1.254/24] } }
  h1: { interfaces: { eth0: { addresses: [10.0.1.1/24] } } }
  h9: { interfaces: { eth0: { addresses: [10.0.9.2/24] } } }
veths:
  - [h1/eth0, r/p1]
  - [h9/eth0, r/up]
)",
                                "r.yaml");
    REQUIRE(r.ok());
    const auto dot = graph_dot(*r.topology);
    CHECK(dot.find("<tr><td><b>switch r/br0</b></td></tr><tr><td><font point-size=\"9\">"
                   "10.0.1.254/24</font></td></tr><tr><td port=\"p1\"") != std::string::npos);
    CHECK(dot.find("  \"r\" -- \"r/br0\" [style=dashed];\n") != std::string::npos);
    CHECK(dot.find("  \"h1\":\"eth0\" -- \"r/br0\":\"p1\";\n") != std::string::npos);
    // The router keeps its own rows for its other links, none for the port.
    CHECK(dot.find("<td port=\"up\"") != std::string::npos);
    const auto mermaid = graph_mermaid(*r.topology);
    CHECK(mermaid.find("  s0[[\"switch r/br0<br/>10.0.1.254/24<br/>ports p1\"]]\n  n2 -.- s0\n") !=
          std::string::npos);
}
