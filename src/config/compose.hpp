// Files that build on others: `extends:`, `vars:` (and the command line's --set) and `remove:`,
// resolved into the one tree the readers see. Every node keeps the position it was written at,
// in its own file, so each diagnostic after this points where the value was written.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "diagnostics.hpp"
#include "yaml_tree.hpp"

namespace nstopo::config {

// The keys compose() takes out of the document: the readers never see them.
inline constexpr const char* kExtendsKey = "extends";
inline constexpr const char* kVarsKey = "vars";
inline constexpr const char* kRemoveKey = "remove";

// The tree of the file `main` (already parsed, positions in source 0) with what it extends
// merged under it, its `remove:` applied and every `${NAME}` replaced. `set` (--set NAME=VALUE)
// wins over every `vars:`. nullopt only when nothing usable is left; errors are in `diags`.
std::optional<YamlTree> compose(YamlTree main, const std::map<std::string, std::string>& set,
                                Diagnostics& diags);

// Whether `name` may name a variable: a letter or `_`, then letters, digits and `_`, at most
// 64 bytes.
bool variable_name_ok(const std::string& name);

}  // namespace nstopo::config
