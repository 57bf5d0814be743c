// Helpers shared by the config tests.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "nstopo/config.hpp"

namespace nstopo::testing {

using Lines = std::vector<std::string>;

// Raw string literals in the tests start with a newline for readability; the file does not.
inline std::string yaml(std::string_view text) {
    if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
    return std::string(text);
}

inline std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

// "FILE:LINE:COL: error: MESSAGE" for each diagnostic of loading `text` as `file`.
inline Lines errors(std::string_view text, const std::string& file = "t.yaml") {
    const auto r = load_topology_text(yaml(text), file);
    Lines out;
    for (const auto& d : r.diagnostics) out.push_back(first_line(format_diagnostic(d)));
    CHECK(r.ok() == out.empty());
    return out;
}

// "FILE:LINE:COL: warning: MESSAGE" for each diagnostic of `text`, which must load: warnings only.
inline Lines warnings(std::string_view text, const std::string& file = "t.yaml") {
    const auto r = load_topology_text(yaml(text), file);
    Lines out;
    for (const auto& d : r.diagnostics) out.push_back(first_line(format_diagnostic(d)));
    INFO(::Catch::Detail::stringify(out));
    CHECK(r.ok());
    return out;
}

// The topology of `text`, which must load without diagnostics.
inline Topology loaded(std::string_view text, const std::string& file = "t.yaml") {
    auto r = load_topology_text(yaml(text), file);
    std::string all;
    for (const auto& d : r.diagnostics) all += format_diagnostic(d);
    INFO(all);
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.ok());
    return std::move(*r.topology);
}

inline Cidr cidr(const char* s) {
    return *Cidr::parse(s, true);
}
inline IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

}  // namespace nstopo::testing
