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
// directory: letters, digits, '_', '.' and '-', at most kMaxLabName bytes, not "." or "..", not
// starting with '-' (`nstopo destroy -x` would be an option).
inline constexpr std::size_t kMaxLabName = 32;
// A namespace's name becomes a path under the netns directory: non-empty, not "." or "..", no
// '/', NUL, whitespace or control character, not starting with '-', at most kMaxNamespaceName
// bytes.
inline constexpr std::size_t kMaxNamespaceName = 64;
// An interface's name, as the kernel's dev_valid_name and register_netdevice take it: non-empty,
// at most kMaxInterfaceName (IFNAMSIZ - 1) bytes, not ".", "..", "all" or "default", no '/', ':',
// '%', NUL, whitespace (the kernel's isspace(): 0x09-0x0d, 0x20 and 0xa0, also as a byte of a
// UTF-8 character) or control character.
inline constexpr std::size_t kMaxInterfaceName = 15;

// Empty when the name is valid, else why not, to follow "NAME " in a message ("contains '/'",
// "is 33 bytes long (at most 32)", ...).
std::string lab_name_problem(const std::string& name);
std::string namespace_name_problem(const std::string& name);
std::string interface_name_problem(const std::string& name);
// A process name (`processes:`) follows the lab name's rules: it is a file name under the state
// directory (its log) and a word of `nstopo logs NS/PROCESS`.
std::string process_name_problem(const std::string& name);

// Empty when a name shows what it is, else why a reader may take it for another (to follow
// "NAME " in a warning): it holds a bidirectional formatting character, or it mixes ASCII letters
// with characters of the Cyrillic (U+0400-U+04FF) or Greek (U+0370-U+03FF) block, which hold
// look-alikes of Latin letters ("nѕ01" with a Cyrillic "ѕ"). The kernel takes such names and
// nothing breaks, so these are warnings, not problems.
std::string name_warning(const std::string& name);

// `name` with the common Cyrillic and Greek look-alikes of Latin letters replaced by those
// letters: two names with the same skeleton look the same on screen.
std::string look_alike_skeleton(std::string_view name);

// Whether `s` holds a control character: C0 (below 0x20), DEL, or C1 (U+0080-U+009F, or a byte
// 0x80-0x9f outside any UTF-8 sequence). Names with one are refused: plan, status and graph print
// names as they are, and a terminal would act on these instead of printing them.
bool has_control_character(std::string_view s);

// How many bytes of the character at s[i] must not reach a terminal as they are (a control
// character, or a bidirectional formatting character: U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069, which reorder the text around them on screen); 0 for a printable one.
std::size_t unprintable_length(std::string_view s, std::size_t i);

// `s` in single quotes for a message: C0 controls, DEL and bytes that are not UTF-8 escaped as
// \xNN, the other unprintable characters as \uNNNN, a long text shortened at a character
// boundary. Everything a user named that a message repeats goes through this.
std::string quote(std::string_view s);

// Case-insensitive Levenshtein distance, or a number above `limit` once it is certain to exceed it.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// "; did you mean 'X'?" when exactly one candidate is close enough to `word` to be a likely typo
// (at most 1 edit for short candidates, 2 for longer ones), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nstopo
