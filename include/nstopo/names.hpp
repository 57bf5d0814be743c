// Names: the rules every lab, namespace and interface name follows, and how a name someone wrote
// is quoted and suggested in messages. The one place for these rules: the loader, the state
// directory, the kernel layer and the command line all ask here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nstopo {

// A lab's name goes into a 64-byte ifalias with a prefix, and into file names of the state
// directory: letters, digits, '_', '.' and '-', at most kMaxLabName bytes, not "." or "..".
inline constexpr std::size_t kMaxLabName = 32;
// A namespace's name becomes a path under the netns directory: non-empty, not "." or "..", no
// '/', NUL or whitespace, at most kMaxNamespaceName bytes.
inline constexpr std::size_t kMaxNamespaceName = 64;
// An interface's name: non-empty, at most kMaxInterfaceName (IFNAMSIZ - 1) bytes, not "." or
// "..", no '/', ':', NUL or whitespace.
inline constexpr std::size_t kMaxInterfaceName = 15;

// Empty when the name is valid, else why not, to follow "NAME " in a message ("contains '/'",
// "is 33 bytes long (at most 32)", ...).
std::string lab_name_problem(const std::string& name);
std::string namespace_name_problem(const std::string& name);
std::string interface_name_problem(const std::string& name);

// `s` in single quotes for a message: control bytes escaped as \xNN, a long text shortened at a
// character boundary. Everything a user named that a message repeats goes through this.
std::string quote(std::string_view s);

// Case-insensitive Levenshtein distance, or a number above `limit` once it is certain to exceed it.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// "; did you mean 'X'?" when exactly one candidate is close enough to `word` to be a likely typo
// (at most 1 edit for short candidates, 2 for longer ones), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nstopo
