#include "style.hpp"

#include <unistd.h>

#include <cstdlib>

namespace nstopo {

Style Style::for_stream(std::FILE* f) {
    const char* no_color = std::getenv("NO_COLOR");
    return Style{isatty(fileno(f)) == 1 && (no_color == nullptr || *no_color == '\0')};
}

std::string Style::paint(const std::string& text, const char* ansi) const {
    return color ? std::string(ansi) + text + "\033[0m" : text;
}

std::string Style::operation(const Operation& o) const {
    std::string line = describe(o);
    if (o.implied()) return paint(line, ansi::kDim);
    switch (traits_of(o.action).effect) {
        case Effect::create:
            return paint(line, ansi::kGreen);
        case Effect::remove:
            return paint(line, ansi::kRed);
        case Effect::change:
            return paint(line, ansi::kYellow);
    }
    return line;
}

}  // namespace nstopo
