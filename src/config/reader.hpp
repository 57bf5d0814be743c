// Typed access to a YamlTree for the loader: every mismatch becomes a diagnostic, never a throw.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostics.hpp"
#include "nstopo/model.hpp"
#include "yaml_tree.hpp"

namespace nstopo::config {

using Entries = std::vector<std::pair<NodeId, NodeId>>;

class Reader {
  public:
    Reader(const YamlTree& tree, Diagnostics& diags) : tree_(tree), diags_(diags) {}

    const YamlNode& node(NodeId id) const { return tree_[id]; }
    const std::string& text(NodeId id) const { return tree_[id].text; }
    SourceLocation at(NodeId id) const { return diags_.at(tree_[id].pos); }
    void error(NodeId id, std::string message) const {
        diags_.error(tree_[id].pos, std::move(message));
    }
    void warning(NodeId id, std::string message) const {
        diags_.warning(tree_[id].pos, std::move(message));
    }
    Diagnostics& diagnostics() const { return diags_; }
    NodeId root() const { return tree_.root; }

    // The entries of a map (an empty value counts as an empty map), or nullptr after
    // "SUBJECT must be EXPECTED, got ...".
    const Entries* map(NodeId id, const std::string& subject,
                       const std::string& expected = "a map") const;
    // The items of a list (an empty value counts as an empty list), or nullptr after an error.
    const std::vector<NodeId>* list(NodeId id, const std::string& subject,
                                    const std::string& expected = "a list") const;
    // A scalar's text, or nullptr after an error.
    const std::string* scalar(NodeId id, const std::string& subject,
                              const std::string& expected = "a string") const;

    // The value of `key` in map `id`, if present (and `id` is a map).
    std::optional<NodeId> find(NodeId id, std::string_view key) const;
    // The (key, value) of `key` in map `id`, if present.
    std::optional<std::pair<NodeId, NodeId>> entry(NodeId id, std::string_view key) const;
    // Reports each key of map `id` that is not in `known`: "unknown key 'K' CONTEXT".
    void check_keys(NodeId id, const std::vector<std::string>& known,
                    const std::string& context) const;
    // Reports key `key`: "unknown key 'K' CONTEXT; did you mean 'X'?".
    void unknown_key(NodeId key, const std::vector<std::string>& known,
                     const std::string& context) const;
    // Reports `problem` (from namespace_name_problem, ...) of `name` at `id` as an error, "WHAT
    // name 'NAME' PROBLEM", else its name_warning as a warning. False after an error.
    bool name(NodeId id, const std::string& what, const std::string& name,
              const std::string& problem) const;
    // Reports "SUBJECT must be EXPECTED, got ...".
    void wrong_type(NodeId id, const std::string& subject, const std::string& expected) const;

    // The value of `key` (node `id`) as a bool (true/false, unquoted).
    std::optional<bool> boolean(NodeId id, std::string_view key) const;
    // The value of `key` as `up` or `down`.
    std::optional<LinkState> link_state(NodeId id, std::string_view key) const;
    // The value of `key` as an unquoted decimal integer in [min, max].
    std::optional<std::uint64_t> integer(NodeId id, std::string_view key, std::uint64_t min,
                                         std::uint64_t max) const;

    // The value of `key` as an unquoted number of seconds above 0 and at most `max` ("30",
    // "2.5"; at most three decimals, no sign, no exponent), in milliseconds.
    std::optional<std::chrono::milliseconds> seconds(NodeId id, std::string_view key,
                                                     std::chrono::milliseconds max) const;

  private:
    // What a value is, for "got ...": "a map", "a list", "nothing", "'x'", "the quoted string 'x'".
    std::string describe(NodeId id) const;
    bool expect(NodeId id, NodeKind kind, const std::string& subject,
                const std::string& expected) const;

    const YamlTree& tree_;
    Diagnostics& diags_;
};

// The YAML 1.2 core schema's spellings of true and false.
std::optional<bool> parse_bool(std::string_view text);

// "IPv4" or "IPv6", for messages.
std::string family_name(Family f);

// "`key`": how messages name a key of the format.
std::string code(std::string_view key);

}  // namespace nstopo::config
