// The desired nftables tables' canonical forms, asked of the kernel before a plan is made.
#include <algorithm>

#include "nstopo/error.hpp"
#include "nstopo/execute.hpp"

namespace nstopo {

namespace {

struct Located {
    SourceLocation where;
    std::string message;
};

// Where nft's message points: a line of the `nftables:` file, else the table's key (`nat:`).
Located locate(const NftTable& t, const CanonicalTable::Message& m) {
    std::string message = "nftables: " + m.text;
    if (!m.detail.empty()) message += "\n" + m.detail;
    if (!t.file.empty() && m.body_line >= t.file_first_line)
        return {SourceLocation{t.file, m.body_line - t.file_first_line + 1, m.column}, message};
    return {t.where, message};
}

// One error for every message: the first located by the error, the others by their own text.
[[noreturn]] void refuse(const std::string& ns, const NftTable& t, const CanonicalTable& answer) {
    std::vector<Located> found;
    for (const auto& m : answer.errors) found.push_back(locate(t, m));
    std::string message = found.front().message;
    for (std::size_t i = 1; i < found.size(); ++i)
        message += "\n" + found[i].where.str() + ": " + found[i].message;
    message += "\n(the ruleset of namespace '" + ns + "'; nothing was changed)";
    throw Error(ErrorKind::config, message, found.front().where);
}

}  // namespace

namespace {

bool lacks_canonical(const std::map<std::string, NftTable>& tables) {
    return std::any_of(tables.begin(), tables.end(),
                       [](const auto& t) { return t.second.canonical.empty(); });
}

void reuse_canonical(std::map<std::string, NftTable>& tables,
                     const std::map<std::string, NftTable>& applied) {
    for (auto& [id, t] : tables) {
        const auto old = applied.find(id);
        if (old == applied.end() || old->second.body != t.body) continue;
        t.canonical = old->second.canonical;
        t.rules = old->second.rules;
    }
}

}  // namespace

std::optional<Topology> with_canonical_tables(const Topology& file, Kernel& kernel) {
    const bool needed = lacks_canonical(file.host_tables) ||
                        std::any_of(file.namespaces.begin(), file.namespaces.end(),
                                    [](const auto& n) { return lacks_canonical(n.second.tables); });
    if (!needed) return std::nullopt;
    Topology desired = file;
    // The uplink's table is nstopo's own text: a refusal is nstopo's bug, located at `uplink`.
    for (auto& [id, t] : desired.host_tables) {
        if (!t.canonical.empty()) continue;
        const CanonicalTable answer = kernel.canonical_table(t);
        if (!answer.accepted) refuse("host", t, answer);
        t.canonical = answer.canonical;
        t.rules = answer.rules;
    }
    for (auto& [name, ns] : desired.namespaces)
        for (auto& [id, t] : ns.tables) {
            if (!t.canonical.empty()) continue;
            const CanonicalTable answer = kernel.canonical_table(t);
            if (!answer.accepted) refuse(name, t, answer);
            t.canonical = answer.canonical;
            t.rules = answer.rules;
        }
    return desired;
}

void reuse_canonical_tables(Topology& desired, const Topology& applied) {
    reuse_canonical(desired.host_tables, applied.host_tables);
    for (auto& [name, ns] : desired.namespaces) {
        const auto was = applied.namespaces.find(name);
        if (was == applied.namespaces.end()) continue;
        reuse_canonical(ns.tables, was->second.tables);
    }
}

}  // namespace nstopo
