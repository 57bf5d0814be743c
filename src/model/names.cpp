#include "nstopo/names.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <utility>

namespace nstopo {

namespace {

// Quoted texts longer than kQuoteMax are cut to kQuoteShown bytes.
constexpr std::size_t kQuoteMax = 64;
constexpr std::size_t kQuoteShown = 40;

bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// `i` moved back to the start of the UTF-8 sequence it falls in, so a cut never splits one.
std::size_t char_boundary(std::string_view s, std::size_t i) {
    while (i > 0 && i < s.size() && is_utf8_continuation(s[i])) --i;
    return i;
}

// One character of a name: its code point and how many bytes it takes. A byte that starts no
// UTF-8 sequence stands for itself (code = the byte, size 1): names read from the kernel or a
// command line need not be UTF-8.
struct Utf8Char {
    char32_t code;
    std::size_t size;
    bool valid() const { return size > 1 || code < 0x80; }
};

Utf8Char char_at(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (size == 1 || i + size > s.size()) return {lead, 1};
    char32_t code = lead & (0x7fu >> size);
    for (std::size_t k = 1; k < size; ++k) {
        if (!is_utf8_continuation(s[i + k])) return {lead, 1};
        code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    }
    return {code, size};
}

// C0 controls, DEL and C1 controls (U+0080-U+009F; ECMA-48 gives U+009B the meaning of ESC [):
// a terminal acts on them instead of printing them.
bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

// Calls fn(character, offset) for each character of `s` until fn returns true; true if it did.
template <typename Fn>
bool any_char(std::string_view s, Fn fn) {
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Char c = char_at(s, i);
        if (fn(c, i)) return true;
        i += c.size;
    }
    return false;
}

// Bidirectional formatting characters: marks (U+200E, U+200F), embeddings and overrides
// (U+202A-U+202E) and isolates (U+2066-U+2069). They reorder the text around them on screen.
bool is_bidi_control(char32_t c) {
    return c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

enum class Script : std::uint8_t { other, latin, cyrillic, greek };

// Kept simple: ASCII letters are Latin, and every character of the Cyrillic (U+0400-U+04FF) or
// Greek (U+0370-U+03FF) block counts as a letter of that script.
Script script_of(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Script::latin;
    if (c >= 0x0400 && c <= 0x04ff) return Script::cyrillic;
    if (c >= 0x0370 && c <= 0x03ff) return Script::greek;
    return Script::other;
}

// Cyrillic and Greek letters that look like a Latin one in common fonts, by code point.
constexpr std::pair<char32_t, char> kLookAlikes[] = {
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'},
    {0x039a, 'K'}, {0x039c, 'M'}, {0x039d, 'N'}, {0x039f, 'O'}, {0x03a1, 'P'}, {0x03a4, 'T'},
    {0x03a5, 'Y'}, {0x03a7, 'X'}, {0x03b1, 'a'}, {0x03b9, 'i'}, {0x03ba, 'k'}, {0x03bd, 'v'},
    {0x03bf, 'o'}, {0x03c1, 'p'}, {0x03c5, 'u'}, {0x03c7, 'x'}, {0x0405, 'S'}, {0x0406, 'I'},
    {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041a, 'K'}, {0x041c, 'M'},
    {0x041d, 'H'}, {0x041e, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'},
    {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043e, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04ae, 'Y'},
    {0x04af, 'y'}, {0x04bb, 'h'}, {0x04cf, 'l'},
};
static_assert(std::is_sorted(std::begin(kLookAlikes), std::end(kLookAlikes)));

// The Latin letter `c` looks like, or 0.
char latin_look_alike(char32_t c) {
    const auto* end = std::end(kLookAlikes);
    const auto* it =
        std::lower_bound(std::begin(kLookAlikes), end, c,
                         [](const auto& entry, char32_t v) { return entry.first < v; });
    return it != end && it->first == c ? it->second : '\0';
}

// "Cyrillic", "Greek" or "Cyrillic and Greek": the scripts `name` mixes with ASCII letters, or "".
std::string mixed_scripts(std::string_view name) {
    bool latin = false, cyrillic = false, greek = false;
    any_char(name, [&](Utf8Char c, std::size_t) {
        const Script script = script_of(c.code);
        latin = latin || script == Script::latin;
        cyrillic = cyrillic || script == Script::cyrillic;
        greek = greek || script == Script::greek;
        return false;
    });
    if (!latin) return {};
    if (cyrillic && greek) return "Cyrillic and Greek";
    return cyrillic ? "Cyrillic" : greek ? "Greek" : "";
}

// The kernel's isspace() (lib/ctype.c) also counts 0xa0, the Latin-1 no-break space, and
// dev_valid_name refuses an interface name with any byte it counts. In UTF-8, 0xa0 is a trailing
// byte of many characters (U+00A0, U+00E0 'à', U+0420 'Р', ...). The offset of the first such
// character, or npos.
std::size_t kernel_space_at(std::string_view s) {
    std::size_t at = std::string_view::npos;
    any_char(s, [&](Utf8Char c, std::size_t i) {
        const bool found = s.substr(i, c.size).find('\xa0') != std::string_view::npos;
        if (found) at = i;
        return found;
    });
    return at;
}

std::string kernel_space_problem(std::string_view s, std::size_t at) {
    const Utf8Char c = char_at(s, at);
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c.code));
    const std::string what =
        c.valid() ? std::string(code) + ", whose UTF-8 form holds the byte 0xa0" : "the byte 0xa0";
    return "contains " + what + ", a space to the kernel (dev_valid_name refuses it)";
}

// "all" and "default" name the kernel's own directories in /proc/sys/net/ipv{4,6}/conf: it refuses
// to register a device so named (sysctl_dev_name_is_allowed, include/net/ip.h).
bool is_reserved_interface_name(const std::string& name) {
    return name == "all" || name == "default";
}

bool has_space_or_nul(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) {
        return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
               c == '\f';
    });
}

std::string too_long(std::size_t size, std::size_t limit) {
    return "is " + std::to_string(size) + " bytes long (at most " + std::to_string(limit) + ")";
}

bool lab_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// How many edits still look like a typo of `candidate`.
std::size_t typo_budget(std::string_view candidate) {
    return std::clamp<std::size_t>(candidate.size() / 3, 1, 2);
}

}  // namespace

std::string namespace_name_problem(const std::string& name) {
    if (name.empty()) return "is empty";
    if (name == "." || name == "..") return "'" + name + "' is not a usable name";
    if (name.find('/') != std::string::npos) return "contains '/'";
    if (has_space_or_nul(name)) return "contains whitespace or a NUL byte";
    if (has_control_character(name)) return "contains a control character";
    // `nstopo exec -x`, `nstopo destroy -x`, `ip -n -x`: every command line taking the name as
    // an argument would read it as an option.
    if (name.front() == '-')
        return "starts with '-', which a command line would take for an option";
    if (name.size() > kMaxNamespaceName) return too_long(name.size(), kMaxNamespaceName);
    return {};
}

std::string interface_name_problem(const std::string& name) {
    if (name.empty()) return "is empty";
    if (name == "." || name == "..") return "'" + name + "' is not a usable name";
    if (is_reserved_interface_name(name))
        return "'" + name +
               "' is reserved: /proc/sys/net/ipv4/conf has its own 'all' and 'default', and the "
               "kernel refuses a device so named";
    if (name.find('/') != std::string::npos) return "contains '/'";
    if (name.find(':') != std::string::npos) return "contains ':'";
    // dev_prep_valid_name: a '%' makes the name a pattern ("eth%d") the kernel fills with a free
    // number, or refuses; the link would never have the name the file gave it.
    if (name.find('%') != std::string::npos)
        return "contains '%', which the kernel reads as a pattern for a free number";
    if (has_space_or_nul(name)) return "contains whitespace or a NUL byte";
    if (const auto at = kernel_space_at(name); at != std::string::npos)
        return kernel_space_problem(name, at);
    if (has_control_character(name)) return "contains a control character";
    if (name.size() > kMaxInterfaceName) return too_long(name.size(), kMaxInterfaceName);
    return {};
}

std::string process_name_problem(const std::string& name) {
    return lab_name_problem(name);
}

std::string lab_name_problem(const std::string& name) {
    if (name.size() > kMaxLabName) return too_long(name.size(), kMaxLabName);
    if (auto problem = namespace_name_problem(name); !problem.empty()) return problem;
    const auto bad = std::find_if_not(name.begin(), name.end(), lab_name_char);
    if (bad == name.end()) return {};
    // Quote the whole character, never half of one.
    const auto end = std::find_if_not(std::next(bad), name.end(), is_utf8_continuation);
    return "contains " + quote(std::string(bad, end)) +
           "; use only letters, digits, '_', '.' and '-'";
}

bool has_control_character(std::string_view s) {
    return any_char(s, [](Utf8Char c, std::size_t) { return is_control(c.code); });
}

std::size_t unprintable_length(std::string_view s, std::size_t i) {
    const Utf8Char c = char_at(s, i);
    return is_control(c.code) || is_bidi_control(c.code) ? c.size : 0;
}

std::string name_warning(const std::string& name) {
    char32_t bidi = 0;
    any_char(name, [&](Utf8Char c, std::size_t) {
        if (is_bidi_control(c.code)) bidi = c.code;
        return bidi != 0;
    });
    if (bidi != 0) {
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(bidi));
        return "holds the bidirectional control " + std::string(code) +
               ", which can make it print as another name";
    }
    if (const auto scripts = mixed_scripts(name); !scripts.empty())
        return "mixes Latin letters with " + scripts +
               " ones, some of which look like Latin letters";
    return {};
}

std::string look_alike_skeleton(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        const Utf8Char c = char_at(name, i);
        if (const char latin = latin_look_alike(c.code); latin != '\0')
            out += latin;
        else
            out.append(name, i, c.size);
        i += c.size;
    }
    return out;
}

std::string quote(std::string_view s) {
    const auto shown = s.size() > kQuoteMax ? char_boundary(s, kQuoteShown) : s.size();
    std::string out = "'";
    for (std::size_t i = 0; i < shown;) {
        const Utf8Char c = char_at(s, i);
        char buf[16];
        if (!c.valid() || (c.size == 1 && is_control(c.code))) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c.code));
            out += buf;
        } else if (unprintable_length(s, i) != 0) {
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c.code));
            out += buf;
        } else {
            out.append(s, i, c.size);
        }
        i += c.size;
    }
    if (shown < s.size()) out += "...";
    return out + "'";
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    const auto longer = std::max(a.size(), b.size());
    if (longer - std::min(a.size(), b.size()) > limit) return limit + 1;
    // One row of the classic table, indexed by position in `b`.
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
        }
    }
    return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string* best = nullptr;
    std::size_t best_distance = 0;
    bool tie = false;
    for (const auto& c : candidates) {
        const auto budget = typo_budget(c);
        const auto d = edit_distance(word, c, budget);
        if (d > budget) continue;
        if (!best || d < best_distance) {
            best = &c;
            best_distance = d;
            tie = false;
        } else if (d == best_distance) {
            tie = true;
        }
    }
    if (!best || tie) return {};
    return "; did you mean '" + *best + "'?";
}

}  // namespace nstopo
