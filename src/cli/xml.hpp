// Text inside XML (JUnit reports, SVG, Graphviz HTML-like labels).
#pragma once

#include <string>
#include <string_view>

namespace nstopo {

// `text` with &, <, > and " replaced by their entities: safe in element text and in attributes.
inline std::string xml_escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else
            out += c;
    }
    return out;
}

}  // namespace nstopo
