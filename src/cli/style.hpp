// Colour for the terminal: only when the stream is a terminal and NO_COLOR is unset.
#pragma once

#include <cstdio>
#include <string>

#include "nstopo/plan.hpp"

namespace nstopo {

namespace ansi {
inline constexpr const char* kGreen = "\033[32m";
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kYellow = "\033[33m";
inline constexpr const char* kBold = "\033[1m";
inline constexpr const char* kDim = "\033[2m";
}  // namespace ansi

struct Style {
    bool color = false;
    static Style for_stream(std::FILE* f);
    std::string paint(const std::string& text, const char* ansi) const;
    // describe(o), coloured by its effect (green create, red remove, yellow change; dim implied).
    std::string operation(const Operation& o) const;
};

}  // namespace nstopo
