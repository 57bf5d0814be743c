#include "diagnostics.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "text_checks.hpp"

namespace nstopo::config {

namespace {

// Lines longer than this are shown as a window of kWindowBytes around the column.
constexpr std::size_t kLongLine = 200;
constexpr std::size_t kWindowBytes = 160;
constexpr std::size_t kWindowLead = 80;  // bytes shown before the column

bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// `i` moved back to the start of the UTF-8 sequence it falls in, so a cut never splits one.
std::size_t char_boundary(std::string_view s, std::size_t i) {
    while (i > 0 && i < s.size() && is_utf8_continuation(s[i])) --i;
    return i;
}

bool position_less(const Diagnostic& x, const Diagnostic& y) {
    return std::tie(x.where.line, x.where.column) < std::tie(y.where.line, y.where.column);
}

// The most files one load reads: the loaded one and those it extends, all together.
constexpr std::size_t kMaxSources = 64;

bool same_diagnostic(const Diagnostic& x, const Diagnostic& y) {
    return x.where.file == y.where.file && x.where.line == y.where.line &&
           x.where.column == y.where.column && x.message == y.message;
}

// `line` with each byte of a control character (but tab) and of an invalid UTF-8 sequence
// replaced by '?', so printing it cannot upset a terminal. The same length: columns still match.
std::string printable(std::string_view line) {
    std::string out(line);
    for (std::size_t i = 0; i < out.size();) {
        const auto n = utf8_sequence_length(out, i);
        const auto bad = n == 0 ? 1 : out[i] == '\t' ? 0 : unprintable_length(out, i);
        if (bad == 0) {
            i += n;
            continue;
        }
        out.replace(i, bad, bad, '?');
        i += bad;
    }
    return out;
}

// Calls `fn(diagnostic, line text)` for each diagnostic of [first, last), which are sorted by
// line: one pass over the text however many diagnostics there are.
template <typename It, typename Fn>
void for_each_source_line(It first, It last, std::string_view text, Fn fn) {
    std::size_t start = 0;
    int line = 1;
    for (auto it = first; it != last; ++it) {
        Diagnostic& d = *it;
        if (!d.where.known()) continue;
        while (line < d.where.line && start < text.size()) {
            const auto nl = text.find('\n', start);
            start = nl == std::string_view::npos ? text.size() : nl + 1;
            ++line;
        }
        if (line != d.where.line) continue;
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto content = text.substr(start, end - start);
        if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
        fn(d, content);
    }
}

void cut_to_limit(std::vector<Diagnostic>& ds, const std::string& file) {
    if (ds.size() <= kMaxDiagnostics) return;
    ds.resize(kMaxDiagnostics);
    Diagnostic more;
    more.where.file = file;
    more.message =
        "too many errors; only the first " + std::to_string(kMaxDiagnostics) + " are shown";
    ds.push_back(std::move(more));
}

// Blanks that put a caret under byte `column` (1-based) of `line`: tabs stay tabs, a multi-byte
// character counts once.
std::string caret_padding(std::string_view line, int column) {
    std::string pad;
    for (int i = 0; i + 1 < column; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        if (idx < line.size() && line[idx] == '\t') {
            pad += '\t';
        } else if (idx >= line.size() || !is_utf8_continuation(line[idx])) {
            pad += ' ';
        }
    }
    return pad;
}

}  // namespace

void Diagnostics::add(Severity severity, const SourceLocation& where, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.where = where;
    d.message = std::move(message);
    items_.push_back(std::move(d));
}

void Diagnostics::error(const SourceLocation& where, std::string message) {
    add(Severity::error, where, std::move(message));
}

void Diagnostics::error_with_line(const SourceLocation& where, std::string message,
                                  std::string_view source_line) {
    add(Severity::error, where, std::move(message));
    attach_source_line(items_.back(), source_line);
}

void Diagnostics::warning(const SourceLocation& where, std::string message) {
    add(Severity::warning, where, std::move(message));
}

bool Diagnostics::has_errors() const {
    const auto error = [](const Diagnostic& d) { return d.severity == Severity::error; };
    return std::any_of(items_.begin(), items_.end(), error) ||
           std::any_of(finished_.begin(), finished_.end(), error);
}

std::optional<std::uint16_t> Diagnostics::add_source(std::string file, std::string text) {
    if (files_.size() >= kMaxSources) return std::nullopt;
    files_.push_back(std::move(file));
    texts_.push_back(std::move(text));
    return static_cast<std::uint16_t>(files_.size() - 1);
}

void Diagnostics::adopt(std::vector<Diagnostic> finished) {
    for (auto& d : finished) finished_.push_back(std::move(d));
}

std::size_t Diagnostics::source_of(const std::string& file) const {
    return static_cast<std::size_t>(std::find(files_.begin(), files_.end(), file) - files_.begin());
}

std::vector<Diagnostic> Diagnostics::finish(std::string_view text) && {
    auto ds = std::move(items_);
    // By file (the loaded one first, then those it extends, in the order they were read), then
    // by position in it.
    const auto order = [this](const Diagnostic& x, const Diagnostic& y) {
        const auto sx = source_of(x.where.file), sy = source_of(y.where.file);
        return sx != sy ? sx < sy : position_less(x, y);
    };
    std::stable_sort(ds.begin(), ds.end(), order);
    ds.erase(std::unique(ds.begin(), ds.end(), same_diagnostic), ds.end());
    for (auto first = ds.begin(); first != ds.end();) {
        const auto source = source_of(first->where.file);
        const auto last = std::find_if(first, ds.end(), [&](const Diagnostic& d) {
            return source_of(d.where.file) != source;
        });
        if (source < files_.size())
            for_each_source_line(first, last, source == 0 ? text : texts_[source - 1],
                                 attach_source_line);
        first = last;
    }
    for (auto& d : finished_) ds.push_back(std::move(d));
    std::stable_sort(ds.begin(), ds.end(), order);
    cut_to_limit(ds, file());
    return ds;
}

void attach_source_line(Diagnostic& d, std::string_view line) {
    const auto column = static_cast<std::size_t>(std::max(d.where.column, 1));
    if (line.size() <= kLongLine) {
        d.source_line = printable(line);
        d.caret_column = d.where.column;
        return;
    }
    const auto first = char_boundary(line, column > kWindowLead ? column - 1 - kWindowLead : 0);
    const auto last = char_boundary(line, std::min(line.size(), first + kWindowBytes));
    const std::string lead = first > 0 ? "..." : "";
    d.source_line = lead + printable(line.substr(first, last - first));
    if (last < line.size()) d.source_line += "...";
    d.caret_column = static_cast<int>(column - first + lead.size());
}

std::string name_message(const std::string& what, const std::string& name,
                         const std::string& problem) {
    if (name.empty()) return what + " name is empty";
    // The model's problems for "." and ".." quote the name themselves.
    const std::string named = "'" + name + "' ";
    const auto rest = problem.starts_with(named) ? problem.substr(named.size()) : problem;
    return what + " name " + quote(name) + " " + rest;
}

}  // namespace nstopo::config

namespace nstopo {

std::string format_diagnostic(const Diagnostic& d) {
    const char* label = d.severity == Severity::error ? "error" : "warning";
    std::string out = d.where.str() + ": " + label + ": " + d.message + "\n";
    if (!d.where.known() || d.source_line.empty()) return out;
    const int caret = d.caret_column > 0 ? d.caret_column : d.where.column;
    return out + d.source_line + "\n" + config::caret_padding(d.source_line, caret) + "^\n";
}

}  // namespace nstopo
