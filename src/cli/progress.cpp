#include "progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <exception>

namespace nstopo {

namespace {

constexpr const char* kEraseToEnd = "\033[K";

// Writes the line on `out` and ends it when the options holding it are gone.
struct UpdatingLine {
    UpdatingLine(const std::string& verb, std::FILE* to)
        : line(verb, terminal_width(to), ProgressLine::Clock::now()), out(to) {}
    UpdatingLine(const UpdatingLine&) = delete;
    UpdatingLine& operator=(const UpdatingLine&) = delete;

    ProgressLine line;
    std::FILE* out;
    int exceptions_at_start = std::uncaught_exceptions();

    void write(const std::string& text) const {
        if (text.empty()) return;
        std::fputs(text.c_str(), out);
        std::fflush(out);
    }
    ~UpdatingLine() { write(line.finish(std::uncaught_exceptions() <= exceptions_at_start)); }
};

}  // namespace

ProgressLine::ProgressLine(std::string verb, std::size_t width, Clock::time_point start,
                           std::chrono::milliseconds interval)
    : verb_(std::move(verb)), width_(width), start_(start), interval_(interval) {}

std::string ProgressLine::text(Clock::time_point now) const {
    const double seconds = std::chrono::duration<double>(now - start_).count();
    return fmt::format("{}: {} {}/{}, {:.1f} s", verb_, phase_, done_, total_, seconds);
}

std::string ProgressLine::draw(Clock::time_point now) {
    drawn_ = true;
    last_draw_ = now;
    std::string t = text(now);
    if (width_ > 1 && t.size() > width_ - 1) t.resize(width_ - 1);
    return "\r" + t + kEraseToEnd;
}

std::string ProgressLine::stage(Stage s, std::size_t total, Clock::time_point now) {
    total_ = total;
    if (s == Stage::executing) done_ = 0;
    phase_ = s == Stage::executing ? "starting" : to_string(s);
    return draw(now);
}

std::string ProgressLine::operation(const Operation& o, Clock::time_point now) {
    ++done_;
    std::string phase = to_string(phase_of(o.action));
    const bool changed = phase != phase_;
    phase_ = std::move(phase);
    if (changed || done_ == total_ || now - last_draw_ >= interval_) return draw(now);
    return {};
}

std::string ProgressLine::finish(bool succeeded) const {
    if (!drawn_) return {};
    return succeeded ? std::string("\r") + kEraseToEnd : "\n";
}

std::size_t terminal_width(std::FILE* out) {
    winsize ws{};
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

ExecuteOptions progress_options(ProgressMode mode, const std::string& verb, std::FILE* out) {
    ExecuteOptions o;
    if (mode == ProgressMode::lines || mode == ProgressMode::plain) {
        const Style style = mode == ProgressMode::plain ? Style{} : Style::for_stream(out);
        o.on_operation = [style, out](const Operation& op) {
            std::fputs((style.operation(op) + "\n").c_str(), out);
            std::fflush(out);
        };
    } else if (mode == ProgressMode::updating) {
        auto line = std::make_shared<UpdatingLine>(verb, out);
        o.on_stage = [line](Stage s, const Plan& plan) {
            line->write(line->line.stage(s, plan.operations.size(), ProgressLine::Clock::now()));
        };
        o.on_operation = [line](const Operation& op) {
            line->write(line->line.operation(op, ProgressLine::Clock::now()));
        };
    }
    return o;
}

}  // namespace nstopo
