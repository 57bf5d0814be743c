// A YAML document as a small tree of nodes with positions, built from yaml-cpp's parser events.
//
// Why not YAML::Node: the loader needs every map key with its position (yaml-cpp's map lookup keeps
// only the first of duplicate keys, silently), whether a scalar was quoted (`"true"` is a string,
// `true` a bool), and a bound on the work aliases can cause. Building the tree from events gives
// all three in one pass: duplicate keys are reported here, an alias is the id of the node it names
// (no copy), and the size the document would have with every alias expanded is counted as it is
// read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostics.hpp"

namespace nstopo::config {

using NodeId = std::uint32_t;

enum class NodeKind : std::uint8_t { null, scalar, list, map };

struct YamlNode {
    NodeKind kind = NodeKind::null;
    bool plain = false;         // a scalar written without quotes or tag: may be a bool or a number
    Pos pos;                    // a null map value has its key's position
    std::string text;           // scalar
    std::vector<NodeId> items;  // list
    std::vector<std::pair<NodeId, NodeId>> entries;  // map: (scalar key, value), in file order;
                                                     // the first of duplicate keys only
};

// "nothing", "a string", "a list", "a map": for messages.
std::string kind_name(NodeKind k);

struct YamlTree {
    std::vector<YamlNode> nodes;
    NodeId root = 0;
    const YamlNode& operator[](NodeId id) const { return nodes[id]; }
};

// A map or list nested deeper than this is refused (a topology needs about 7 levels).
inline constexpr std::size_t kMaxYamlDepth = 64;

// Parses the one YAML document of `text`. Reports duplicate and non-string keys and carries on;
// returns nullopt, with a diagnostic, when there is no usable document: a syntax error, no
// document, more than one, nesting beyond kMaxYamlDepth, more than kMaxTopologyNodes nodes.
std::optional<YamlTree> parse_yaml(std::string_view text, Diagnostics& diags);

}  // namespace nstopo::config
