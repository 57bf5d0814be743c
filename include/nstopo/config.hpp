// The config layer: topology YAML to model, and validation.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo {

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity = Severity::error;
    SourceLocation where;
    std::string message;
    std::string source_line;  // the line of the file `where` points at, without its newline
    // Where the caret goes in `source_line` (1-based byte offset); 0 means `where.column`. Differs
    // from `where.column` when a very long line was shortened to the part around the column.
    int caret_column = 0;
};

// "FILE:LINE:COL: error: MESSAGE" then the source line and a caret under the column.
std::string format_diagnostic(const Diagnostic& d);

struct LoadResult {
    std::optional<Topology> topology;     // set when there is no error (warnings allowed)
    std::vector<Diagnostic> diagnostics;  // every error and warning of the file, in file order
                                          // (at most kMaxDiagnostics, then one saying so)
    bool ok() const { return topology.has_value(); }
};

// What the caller allows a file to declare.
struct LoadOptions {
    // False (`--no-processes`): a file with `processes:` is an error at each process, so a file
    // from elsewhere cannot run programs on this machine.
    bool allow_processes = true;
    // `--set NAME=VALUE`: variables that win over every `vars:` of the file and those it extends.
    std::map<std::string, std::string> vars;
};

// Loads and validates a topology file. Never throws for a bad file: every problem found is a
// diagnostic. The returned Topology is normalized (see model.hpp) and completed: every veth end
// has an Interface in its namespace (or host_interfaces), every namespace has "lo", both forwarding
// sysctls, and every route its metric.
LoadResult load_topology_file(const std::filesystem::path& path, const LoadOptions& options = {});
// The same, for text already in memory; `file_name` is used in locations.
LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options = {});

// A topology file's bytes, read once (at most kMaxTopologyFileBytes + 1 of them: enough for the
// loader to refuse a larger file), for callers that parse them elsewhere with
// load_topology_text. When the file cannot be read, no text and the diagnostics
// load_topology_file would return.
struct TopologyText {
    std::optional<std::string> text;
    LoadResult unreadable;
};
TopologyText read_topology_file(const std::filesystem::path& path);

// The lab name the text of `file` most likely declares, from a quick look at it: the value of
// its first top-level `name:` line, else the file name's stem (the loader's default). A guess
// for work that may start while the text is parsed (Engine::prepare); only the loader decides.
std::string likely_lab_name(std::string_view text, const std::filesystem::path& file);

// A topology as a file that load_topology_text reads back into an equal Topology (the inverse of
// the loader, for what it covers): the lab's name; each namespace's forwarding and sysctls (those
// that differ from the loader's defaults), lo's state, addresses, mtu and shaping, its veth ends
// and bridges (with ports, options, addresses, state, mtu, mac and shaping; what equals the
// default is left out, and so is an end with nothing to say), its routes (a metric only when it
// is not the family's default, `default` for 0/0 with a gateway); the veth pairs; the host's veth
// ends, bridges and routes. Not covered: processes, checks, nftables tables and NAT (left out),
// lans (written as the namespaces, bridges and veths they expand into), a foreign qdisc.
// `comments` come first, each line as "# LINE" ("#" alone for an empty one).
std::string emit_topology(const Topology& t, const std::vector<std::string>& comments = {});

// Files larger than this are refused before parsing (hostile input).
inline constexpr std::size_t kMaxTopologyFileBytes = std::size_t{4} * 1024 * 1024;
// A document larger than this many nodes, counting every alias as a copy of what it names, is
// refused: it bounds the loader's work on "billion laughs" alias bombs.
inline constexpr std::size_t kMaxTopologyNodes = 200000;
// At most this many diagnostics are returned (in file order); a final one says the rest were cut.
inline constexpr std::size_t kMaxDiagnostics = 100;

}  // namespace nstopo
