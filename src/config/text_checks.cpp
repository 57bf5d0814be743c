#include "text_checks.hpp"

#include <algorithm>
#include <cstdio>

namespace nstopo::config {

namespace {

unsigned byte_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]);
}

// The offset of the first NUL byte or invalid UTF-8 sequence, or npos.
std::size_t first_bad_byte(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto n = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

Pos position_of(std::string_view text, std::size_t offset) {
    const auto before = text.substr(0, offset);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const auto last_nl = before.rfind('\n');
    const auto column = last_nl == std::string_view::npos ? offset + 1 : offset - last_nl;
    return {static_cast<int>(line), static_cast<int>(column)};
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const unsigned lead = byte_at(s, i);
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned low = 0x80, high = 0xbf;  // range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 3;
        if (lead == 0xe0) low = 0xa0;   // no overlong forms
        if (lead == 0xed) high = 0x9f;  // no UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 4;
        if (lead == 0xf0) low = 0x90;
        if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const unsigned b = byte_at(s, i + k);
        if (b < (k == 1 ? low : 0x80) || b > (k == 1 ? high : 0xbf)) return 0;
    }
    return n;
}

bool check_text(std::string_view text, Diagnostics& diags) {
    if (text.size() > kMaxTopologyFileBytes) {
        diags.error(Pos{1, 1}, "file too large: more than " +
                                   std::to_string(kMaxTopologyFileBytes) + " bytes");
        return false;
    }
    const auto bad = first_bad_byte(text);
    if (bad == std::string_view::npos) return true;
    if (text[bad] == '\0') {
        diags.error(position_of(text, bad), "the file contains a NUL byte");
        return false;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", byte_at(text, bad));
    diags.error(position_of(text, bad),
                std::string("the file is not valid UTF-8 (byte ") + hex + ")");
    return false;
}

}  // namespace nstopo::config
