// "Did you mean ...?": the known word nearest to a misspelt one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nstopo::config {

// Case-insensitive Levenshtein distance, or a number above `limit` once it is certain to exceed it.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// "; did you mean 'X'?" when exactly one candidate is close enough to `word` to be a likely typo
// (at most 1 edit for short candidates, 2 for longer ones), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nstopo::config
