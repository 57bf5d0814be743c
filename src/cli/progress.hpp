// How apply and destroy show their work as it happens: one line per operation (piped, -v,
// --no-progress), or, on a terminal, one line that is redrawn in place with the stage or plan
// phase, the operations done of the plan's total, and the time since the run began.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "nstopo/execute.hpp"
#include "style.hpp"

namespace nstopo {

// The updating line. Each update() returns the text to write, or "" when redrawing now would only
// flicker (less than `interval` since the last draw, same phase, not the last operation). The
// text starts with '\r' and ends by erasing the rest of the terminal's line; it is at most
// `width - 1` characters wide, so that it never wraps.
class ProgressLine {
  public:
    using Clock = std::chrono::steady_clock;
    ProgressLine(std::string verb, std::size_t width, Clock::time_point start,
                 std::chrono::milliseconds interval = std::chrono::milliseconds(50));

    std::string stage(Stage s, std::size_t total, Clock::time_point now);
    std::string operation(const Operation& o, Clock::time_point now);
    // What ends the line: erased when the run succeeded (the summary takes its place), kept and
    // ended with a newline when it failed (the error follows on a line of its own). "" if the
    // line was never drawn.
    std::string finish(bool succeeded) const;

    // "apply: routes 12/40, 0.3 s" (no control characters).
    std::string text(Clock::time_point now) const;

  private:
    std::string draw(Clock::time_point now);

    std::string verb_;
    std::size_t width_;
    Clock::time_point start_;
    std::chrono::milliseconds interval_;
    std::string phase_;
    std::size_t done_ = 0;
    std::size_t total_ = 0;
    bool drawn_ = false;
    Clock::time_point last_draw_{};
};

enum class ProgressMode {
    none,      // -q: nothing
    lines,     // one line per operation, as the plan prints it (coloured on a terminal)
    plain,     // the same, never coloured: no control character at all (--no-progress)
    updating,  // one updating line (a terminal)
};

// ExecuteOptions whose hooks print to `out` in `mode`; `verb` names the run ("apply"). In
// updating mode the line is finished when the last copy of the returned options is destroyed:
// erased after a success, kept after an exception.
ExecuteOptions progress_options(ProgressMode mode, const std::string& verb, std::FILE* out);

// The terminal's width in columns for `out`, or 80.
std::size_t terminal_width(std::FILE* out);

}  // namespace nstopo
