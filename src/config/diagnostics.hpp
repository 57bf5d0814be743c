// Collecting the diagnostics of one topology file (names are quoted with nstopo/names.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nstopo/config.hpp"

namespace nstopo::config {

// A position in the text: 1-based line and column (bytes); 0 means unknown. `source` says which
// file: 0 is the one being loaded, others are files it extends (Diagnostics::add_source).
struct Pos {
    int line = 0;
    int column = 0;
    std::uint16_t source = 0;
};

// The diagnostics of one file and of the files it extends. Checks add to it and carry on;
// `finish` orders them by file and position and attaches the source lines.
class Diagnostics {
  public:
    explicit Diagnostics(std::string file) : files_{std::move(file)} {}

    // The file being loaded.
    const std::string& file() const { return files_.front(); }
    SourceLocation at(Pos p) const { return {files_.at(p.source), p.line, p.column}; }

    // A file that the loaded one extends, with its text (for the source lines of diagnostics at
    // its positions): the `source` of its Pos. nullopt when there are too many files.
    std::optional<std::uint16_t> add_source(std::string file, std::string text);
    std::size_t sources() const { return files_.size(); }
    // Diagnostics already finished elsewhere (those of parsing an extended file), kept as they
    // are and ordered with the others.
    void adopt(std::vector<Diagnostic> finished);

    void error(const SourceLocation& where, std::string message);
    void error(Pos p, std::string message) { error(at(p), std::move(message)); }
    // An error in another file the topology names (an `nftables:` file), with its source line.
    void error_with_line(const SourceLocation& where, std::string message,
                         std::string_view source_line);
    // Something a reader of the file should know that does not stop it from loading: a file with
    // warnings only loads, and the commands print them and go on.
    void warning(const SourceLocation& where, std::string message);
    void warning(Pos p, std::string message) { warning(at(p), std::move(message)); }
    bool has_errors() const;

    // Sorted by position, duplicates removed, cut at kMaxDiagnostics, source lines from `text`.
    std::vector<Diagnostic> finish(std::string_view text) &&;

  private:
    void add(Severity severity, const SourceLocation& where, std::string message);

    // The index of `file` in files_ (files_.size() when it is none of them).
    std::size_t source_of(const std::string& file) const;

    std::vector<std::string> files_;  // [0]: the file being loaded
    std::vector<std::string> texts_;  // of files_[1...]
    std::vector<Diagnostic> items_;
    std::vector<Diagnostic> finished_;
};

// "WHAT name is empty", or "WHAT name 'NAME' PROBLEM" (PROBLEM from namespace_name_problem, ...).
std::string name_message(const std::string& what, const std::string& name,
                         const std::string& problem);

// The part of `line` shown under a diagnostic: the whole line, or for a very long line a window
// around `column` with "..." where it was cut. Sets `caret_column` to the column's place in it.
void attach_source_line(Diagnostic& d, std::string_view line);

}  // namespace nstopo::config
