// Drawing a DOT graph with Graphviz's `dot` program (Debian package graphviz).
#pragma once

#include <string>

namespace nstopo {

// Runs `dot -T<format>` with `dot_text` on its standard input and returns what it prints.
// Error(usage) naming the package when `dot` is not installed; Error(bug) if it fails otherwise.
std::string render_with_dot(const std::string& dot_text, const std::string& format);

}  // namespace nstopo
