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
    CHECK(graph_dot(lab("pair")) ==
          "graph \"pair\" {\n"
          "  graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.5, ranksep=0.9];\n"
          "  node [fontname=\"Helvetica\", fontsize=12, margin=\"0.15,0.08\"];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\"];\n"
          "  \"ns01\" [shape=box, style=\"rounded,filled\", fillcolor=\"#e3eefa\", "
          "color=\"#4a78a8\", label=<<b>ns01</b>>];\n"
          "  \"ns02\" [shape=box, style=\"rounded,filled\", fillcolor=\"#e3eefa\", "
          "color=\"#4a78a8\", label=<<b>ns02</b>>];\n"
          "  \"ns01\" -- \"ns02\" [label=\"ns01-veth0 192.168.0.1/24\\nns02-veth0 "
          "192.168.0.2/24\"];\n"
          "}\n");
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
    CHECK(dot.find("\"x<y\" [shape=box") != std::string::npos);
    CHECK(dot.find("label=<<b>x&lt;y</b>>") != std::string::npos);
}
