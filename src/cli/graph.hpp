// `nstopo graph`: a lab as a picture. Namespaces are nodes (routers, those with forwarding on, as
// hexagons; the host's own namespace dashed), veths are edges labelled with both ends' interface
// names and addresses. Pure functions from a Topology to text.
#pragma once

#include <string>

#include "nstopo/model.hpp"

namespace nstopo {

// A Mermaid flowchart (renders inside Markdown on the common code hosts).
std::string graph_mermaid(const Topology& t);
// A Graphviz DOT graph (`dot -Tsvg` draws it).
std::string graph_dot(const Topology& t);

}  // namespace nstopo
