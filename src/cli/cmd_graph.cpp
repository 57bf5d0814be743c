// nstopo graph FILE: the lab drawn as Mermaid, DOT or SVG; no root, no kernel.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "command.hpp"
#include "graph.hpp"
#include "graph_render.hpp"
#include "nstopo/error.hpp"

namespace nstopo::cli {

namespace {

struct GraphArgs {
    std::string file;
    std::string format = "mermaid";
};

int run_graph(Context& ctx, const GraphArgs& a) {
    const Topology t = ctx.load(a.file);
    if (a.format == "mermaid") std::fputs(graph_mermaid(t).c_str(), stdout);
    if (a.format == "dot") std::fputs(graph_dot(t).c_str(), stdout);
    if (a.format == "svg") std::fputs(render_with_dot(graph_dot(t), "svg").c_str(), stdout);
    return exit_code::ok;
}

}  // namespace

Runner define_graph(CLI::App& app) {
    auto a = std::make_shared<GraphArgs>();
    app.add_option("FILE", a->file, "Topology file")->required()->check(CLI::ExistingFile);
    app.add_option("--format", a->format, "mermaid, dot or svg (svg needs Graphviz)")
        ->capture_default_str()
        ->check(CLI::IsMember({"mermaid", "dot", "svg"}));
    return [a](Context& ctx) { return run_graph(ctx, *a); };
}

}  // namespace nstopo::cli
