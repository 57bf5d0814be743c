// The public entry points: the loader's passes, in order.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "check.hpp"
#include "complete.hpp"
#include "compose.hpp"
#include "nstopo/config.hpp"
#include "read.hpp"
#include "text_checks.hpp"
#include "yaml_tree.hpp"

namespace nstopo {

namespace {

using namespace config;

// Each process of the draft is an error when the caller refuses processes.
void refuse_processes(const Draft& draft, Diagnostics& diags) {
    for (const auto& [ns_name, ns] : draft.namespaces)
        for (const auto& [name, p] : ns.processes)
            diags.error(p.process.where, "process " + quote(name) + " in namespace " +
                                             quote(ns_name) +
                                             ": processes are refused (--no-processes)");
}

std::optional<Topology> load(std::string_view text, const LoadOptions& options,
                             Diagnostics& diags) {
    // Hostile input first: nothing is parsed before the bytes are known to be sane.
    if (!check_text(text, diags)) return std::nullopt;
    // YAML to a tree with positions; duplicate keys and alias bombs are caught here.
    auto parsed = parse_yaml(text, diags);
    if (!parsed) return std::nullopt;
    // The files it extends merged under it, its `remove:` and its variables applied; every node
    // keeps its own file and position.
    const auto tree = compose(std::move(*parsed), options.vars, diags);
    if (!tree) return std::nullopt;
    // Shapes, keys and values, each where it is written.
    Draft draft = read_draft(*tree, diags);
    if (!options.allow_processes) refuse_processes(draft, diags);
    // `lans:` become namespaces, bridges and veths, which every check below sees as written.
    expand_lans(draft, diags);
    // References between the parts of the draft.
    const std::string name = check_lab_name(draft, diags);
    check_look_alike_namespaces(draft, diags);
    check_veths(draft, diags);
    check_listed_interfaces(draft, diags);
    check_bridges(draft, diags);
    check_unique_addresses(draft, diags);
    check_host_addresses(draft, diags);
    // Routes are checked against the completed namespaces: `dev` may be any veth end or `lo`.
    Topology topology = complete_topology(draft, name, diags.file());
    // Sysctl keys likewise: a key may name any veth end of the namespace or `lo`.
    check_sysctls(draft, topology, diags);
    check_routes(draft, topology, diags);
    check_checks(draft, topology, diags);
    check_nat(draft, topology, diags);
    check_uplink(draft, topology, diags);
    // Student mistakes the kernel takes: warnings, the file still loads.
    check_mistakes(draft, topology, diags);
    normalize(topology);
    return topology;
}

LoadResult finish(std::optional<Topology> topology, Diagnostics diags, std::string_view text) {
    LoadResult result;
    if (!diags.has_errors()) result.topology = std::move(topology);
    result.diagnostics = std::move(diags).finish(text);
    return result;
}

// The value of a top-level `name:` line ("name: lab1  # comment", "name: 'lab1'"), or "".
std::string name_value(std::string_view line) {
    constexpr std::string_view kKey = "name:";
    if (line.substr(0, kKey.size()) != kKey) return {};
    line.remove_prefix(kKey.size());
    if (!line.empty() && line.front() != ' ' && line.front() != '\t') return {};  // "name:x"
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return {};
    line.remove_prefix(start);
    if (line.front() == '\'' || line.front() == '"') {
        const auto close = line.find(line.front(), 1);
        return close == std::string_view::npos ? std::string()
                                               : std::string(line.substr(1, close - 1));
    }
    return std::string(line.substr(0, line.find_first_of(" \t#\r")));
}

// Reads at most kMaxTopologyFileBytes + 1 bytes: enough for check_text to refuse a larger file
// without reading all of it (it may be a device or a pipe that never ends).
std::optional<std::string> read_bounded(const std::filesystem::path& path, Diagnostics& diags) {
    const SourceLocation file{path.string(), 0, 0};
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        diags.error(file, "cannot read the file: it is a directory");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diags.error(file, std::string("cannot read the file: ") + std::strerror(errno));
        return std::nullopt;
    }
    std::string text;
    char chunk[65536];
    while (text.size() <= kMaxTopologyFileBytes && in) {
        in.read(chunk, sizeof chunk);
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        diags.error(file, std::string("cannot read the file: ") + std::strerror(errno));
        return std::nullopt;
    }
    return text;
}

}  // namespace

LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options) {
    Diagnostics diags(file_name);
    auto topology = load(text, options, diags);
    return finish(std::move(topology), std::move(diags), text);
}

TopologyText read_topology_file(const std::filesystem::path& path) {
    Diagnostics diags(path.string());
    TopologyText t;
    t.text = read_bounded(path, diags);
    if (!t.text) t.unreadable = finish(std::nullopt, std::move(diags), {});
    return t;
}

LoadResult load_topology_file(const std::filesystem::path& path, const LoadOptions& options) {
    TopologyText t = read_topology_file(path);
    if (!t.text) return std::move(t.unreadable);
    return load_topology_text(*t.text, path.string(), options);
}

std::string likely_lab_name(std::string_view text, const std::filesystem::path& file) {
    std::string_view rest = text;
    while (!rest.empty()) {
        const auto end = std::min(rest.find('\n'), rest.size());
        if (auto name = name_value(rest.substr(0, end)); !name.empty()) return name;
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return file.stem().string();
}

}  // namespace nstopo
