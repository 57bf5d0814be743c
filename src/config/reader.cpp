#include "reader.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace nstopo::config {

namespace {

// Words people write for a key, by the key this format uses (checked before edit distance).
const std::map<std::string, std::string, std::less<>> kSynonyms = {
    {"gateway", "via"},
    {"gw", "via"},
    {"nexthop", "via"},
    {"dst", "to"},
    {"destination", "to"},
    {"device", "dev"},
    {"interface", "dev"},
    {"priority", "metric"},
    {"address", "addresses"},
    {"ip", "addresses"},
    {"ips", "addresses"},
    {"forward", "forwarding"},
    {"ip_forward", "forwarding"},
    {"lo", "loopback"},
    {"veth", "veths"},
};

std::string suggestion(std::string_view word, const std::vector<std::string>& known) {
    const auto syn = kSynonyms.find(word);
    if (syn != kSynonyms.end() && std::find(known.begin(), known.end(), syn->second) != known.end())
        return "; did you mean '" + syn->second + "'?";
    return did_you_mean(word, known);
}

const Entries kNoEntries;
const std::vector<NodeId> kNoItems;

}  // namespace

std::string family_name(Family f) {
    return f == Family::v4 ? "IPv4" : "IPv6";
}

std::string code(std::string_view key) {
    return "`" + std::string(key) + "`";
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    return std::nullopt;
}

std::string Reader::describe(NodeId id) const {
    const YamlNode& n = node(id);
    if (n.kind != NodeKind::scalar) return kind_name(n.kind);
    return n.plain ? quote(n.text) : "the quoted string " + quote(n.text);
}

void Reader::wrong_type(NodeId id, const std::string& subject, const std::string& expected) const {
    error(id, subject + " must be " + expected + ", got " + describe(id));
}

bool Reader::expect(NodeId id, NodeKind kind, const std::string& subject,
                    const std::string& expected) const {
    if (node(id).kind == kind) return true;
    wrong_type(id, subject, expected);
    return false;
}

const Entries* Reader::map(NodeId id, const std::string& subject,
                           const std::string& expected) const {
    if (node(id).kind == NodeKind::null) return &kNoEntries;
    return expect(id, NodeKind::map, subject, expected) ? &node(id).entries : nullptr;
}

const std::vector<NodeId>* Reader::list(NodeId id, const std::string& subject,
                                        const std::string& expected) const {
    if (node(id).kind == NodeKind::null) return &kNoItems;
    return expect(id, NodeKind::list, subject, expected) ? &node(id).items : nullptr;
}

const std::string* Reader::scalar(NodeId id, const std::string& subject,
                                  const std::string& expected) const {
    return expect(id, NodeKind::scalar, subject, expected) ? &node(id).text : nullptr;
}

std::optional<std::pair<NodeId, NodeId>> Reader::entry(NodeId id, std::string_view key) const {
    for (const auto& e : node(id).entries)
        if (text(e.first) == key) return e;
    return std::nullopt;
}

std::optional<NodeId> Reader::find(NodeId id, std::string_view key) const {
    const auto e = entry(id, key);
    return e ? std::optional<NodeId>(e->second) : std::nullopt;
}

void Reader::check_keys(NodeId id, const std::vector<std::string>& known,
                        const std::string& context) const {
    for (const auto& [k, v] : node(id).entries)
        if (std::find(known.begin(), known.end(), text(k)) == known.end())
            unknown_key(k, known, context);
}

void Reader::unknown_key(NodeId key, const std::vector<std::string>& known,
                         const std::string& context) const {
    error(key, "unknown key " + quote(text(key)) + " " + context + suggestion(text(key), known));
}

bool Reader::name(NodeId id, const std::string& what, const std::string& name,
                  const std::string& problem) const {
    if (!problem.empty()) {
        error(id, name_message(what, name, problem));
        return false;
    }
    if (const auto why = name_warning(name); !why.empty())
        warning(id, name_message(what, name, why));
    return true;
}

std::optional<bool> Reader::boolean(NodeId id, std::string_view key) const {
    const YamlNode& n = node(id);
    if (n.kind == NodeKind::scalar && n.plain)
        if (const auto b = parse_bool(n.text)) return b;
    error(id, code(key) + " must be true or false, got " + describe(id));
    return std::nullopt;
}

std::optional<LinkState> Reader::link_state(NodeId id, std::string_view key) const {
    const YamlNode& n = node(id);
    if (n.kind == NodeKind::scalar && n.text == "up") return LinkState::up;
    if (n.kind == NodeKind::scalar && n.text == "down") return LinkState::down;
    error(id, code(key) + " must be up or down, got " + describe(id));
    return std::nullopt;
}

std::optional<std::uint64_t> Reader::integer(NodeId id, std::string_view key, std::uint64_t min,
                                             std::uint64_t max) const {
    const YamlNode& n = node(id);
    const auto& t = n.text;
    std::uint64_t value = 0;
    const bool digits = !t.empty() && t.size() <= 19 && std::all_of(t.begin(), t.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (n.kind == NodeKind::scalar && n.plain && digits) {
        std::from_chars(t.data(), t.data() + t.size(), value);
        if (value >= min && value <= max) return value;
    }
    error(id, code(key) + " must be an integer from " + std::to_string(min) + " to " +
                  std::to_string(max) + ", got " + describe(id));
    return std::nullopt;
}

namespace {

// "30", "2.5", "0.125" as milliseconds; nullopt for anything else (or more than 10^9 s).
std::optional<std::uint64_t> decimal_milliseconds(std::string_view t) {
    const auto dot = t.find('.');
    const std::string_view whole = t.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? "" : t.substr(dot + 1);
    const auto digits = [](std::string_view d) {
        return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || whole.size() > 9 || fraction.size() > 3 || !digits(whole) ||
        !digits(fraction) || (dot != std::string_view::npos && fraction.empty()))
        return std::nullopt;
    std::uint64_t ms = 0;
    for (const char c : whole) ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
    for (std::size_t i = 0; i < 3; ++i)
        ms = ms * 10 + (i < fraction.size() ? static_cast<std::uint64_t>(fraction[i] - '0') : 0);
    return ms;
}

}  // namespace

std::optional<std::chrono::milliseconds> Reader::seconds(NodeId id, std::string_view key,
                                                         std::chrono::milliseconds max) const {
    const YamlNode& n = node(id);
    if (n.kind == NodeKind::scalar && n.plain)
        if (const auto ms = decimal_milliseconds(n.text))
            if (*ms > 0 && *ms <= static_cast<std::uint64_t>(max.count()))
                return std::chrono::milliseconds(*ms);
    error(id, code(key) + " must be a number of seconds above 0 and at most " +
                  std::to_string(max.count() / 1000) + " (at most three decimals), got " +
                  describe(id));
    return std::nullopt;
}

}  // namespace nstopo::config
