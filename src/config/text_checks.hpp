// Checks on the raw bytes of a topology file, before any parsing (hostile input).
#pragma once

#include <string_view>

#include "diagnostics.hpp"

namespace nstopo::config {

// The length of the valid UTF-8 sequence that starts at s[i]; 0 if the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// False after a diagnostic when `text` is over kMaxTopologyFileBytes, holds a NUL byte or is not
// valid UTF-8.
bool check_text(std::string_view text, Diagnostics& diags);

}  // namespace nstopo::config
