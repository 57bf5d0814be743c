// `checks:`: a list of maps { name, from, to, source, via, expect, tcp, wait, hint }.
#include <algorithm>
#include <map>

#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kCheckKeys = {"name",   "from", "to",   "source", "via",
                                             "expect", "tcp",  "wait", "hint"};

// The longest `name:` and `hint:`: a line of a report, a short paragraph.
constexpr std::size_t kMaxCheckName = 200;
constexpr std::size_t kMaxCheckHint = 2000;

// `name` or `hint`: one line of text (no control characters: it is printed to a terminal),
// not empty, at most `limit` bytes; false after a diagnostic.
bool read_text(const Reader& r, NodeId id, const std::string& key, std::size_t limit,
               std::string& out) {
    const auto node = r.find(id, key);
    if (!node) return true;
    const auto* text = r.scalar(*node, code(key), "a line of text");
    if (!text) return false;
    const bool control = std::any_of(text->begin(), text->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (text->find_first_not_of(" \t") == std::string::npos)
        r.error(*node, code(key) + " is empty");
    else if (control)
        r.error(*node, code(key) + " holds a control character (a line break, a tab, an escape)");
    else if (text->size() > limit)
        r.error(*node, code(key) + " is longer than " + std::to_string(limit) + " bytes");
    else {
        out = *text;
        return true;
    }
    return false;
}

// A unicast address under `key`, or nullopt after a diagnostic.
std::optional<IpAddress> read_unicast(const Reader& r, NodeId id, const std::string& key) {
    const auto* text = r.scalar(id, code(key), "an address");
    if (!text) return std::nullopt;
    const auto ip = IpAddress::parse(*text);
    if (!ip)
        r.error(id, code(key) + " " + quote(*text) + " is not an IPv4 or IPv6 address");
    else if (ip->is_multicast() || ip->is_unspecified())
        r.error(id, code(key) + " " + ip->str() + " is not a unicast address");
    else
        return ip;
    return std::nullopt;
}

// `expect`: reachable (the default) or unreachable.
std::optional<bool> read_expect(const Reader& r, NodeId id) {
    const auto* text = r.scalar(id, code("expect"), "reachable or unreachable");
    if (!text) return std::nullopt;
    if (*text == "reachable") return true;
    if (*text == "unreachable") return false;
    r.error(id, "`expect` must be reachable or unreachable, got " + quote(*text));
    return std::nullopt;
}

// An optional address key of the check into `out`; false if present but unusable.
bool read_optional_address(const Reader& r, NodeId id, const std::string& key,
                           std::optional<IpAddress>& out, SourceLocation* where = nullptr) {
    const auto node = r.find(id, key);
    if (!node) return true;
    out = read_unicast(r, *node, key);
    if (where) *where = r.at(*node);
    return out.has_value();
}

// `source` and `via` must be of the family of `to`.
bool check_families(const Reader& r, NodeId id, const Check& c) {
    bool ok = true;
    for (const auto& [key, address] : {std::pair{"source", c.source}, std::pair{"via", c.via}}) {
        if (!address || address->family() == c.to.family()) continue;
        r.error(*r.find(id, key), code(key) + " " + address->str() + " is " +
                                      family_name(address->family()) + " but `to` " + c.to.str() +
                                      " is " + family_name(c.to.family()));
        ok = false;
    }
    return ok;
}

// `tcp`: the port a connection must open to (1..65535). DECISION: `tcp` goes with `via`: the
// route lookup is asked on its own, as for an echo, and both must hold.
bool read_port(const Reader& r, NodeId id, std::optional<std::uint16_t>& out) {
    const auto node = r.find(id, "tcp");
    if (!node) return true;
    const auto port = r.integer(*node, "tcp", 1, 65535);
    if (port) out = static_cast<std::uint16_t>(*port);
    return port.has_value();
}

// `wait`: seconds to keep trying, above 0 and at most kMaxCheckWait.
bool read_wait(const Reader& r, NodeId id, std::optional<std::chrono::milliseconds>& out) {
    const auto node = r.find(id, "wait");
    if (!node) return true;
    out = r.seconds(*node, "wait", kMaxCheckWait);
    return out.has_value();
}

std::optional<DraftCheck> read_check(const Reader& r, NodeId id) {
    if (!r.map(id, "a check", "a map of name, from, to, source, via, expect, tcp, wait and hint"))
        return std::nullopt;
    r.check_keys(id, kCheckKeys, "in check");
    DraftCheck d;
    d.check.where = r.at(id);
    const auto from = r.find(id, "from");
    const auto to = r.find(id, "to");
    if (!from) r.error(id, "a check needs `from`, the lab namespace it starts in");
    if (!to) r.error(id, "a check needs `to`, the address it aims at");
    const auto* from_name = from ? r.scalar(*from, code("from"), "a namespace name") : nullptr;
    const auto to_ip = to ? read_unicast(r, *to, "to") : std::nullopt;
    const bool source_ok = read_optional_address(r, id, "source", d.check.source, &d.source_where);
    const bool via_ok = read_optional_address(r, id, "via", d.check.via);
    const auto expect = r.find(id, "expect");
    const auto reachable = expect ? read_expect(r, *expect) : std::optional<bool>(true);
    const bool port_ok = read_port(r, id, d.check.tcp);
    const bool wait_ok = read_wait(r, id, d.check.wait);
    const bool text_ok = read_text(r, id, "name", kMaxCheckName, d.check.name) &
                         read_text(r, id, "hint", kMaxCheckHint, d.check.hint);
    if (!from_name || !to_ip || !source_ok || !via_ok || !reachable || !port_ok || !wait_ok ||
        !text_ok)
        return std::nullopt;
    d.check.from = *from_name;
    d.from_where = r.at(*from);
    d.check.to = *to_ip;
    d.to_where = r.at(*to);
    d.check.expect_reachable = *reachable;
    if (!check_families(r, id, d.check)) return std::nullopt;
    return d;
}

}  // namespace

void read_checks(const Reader& r, NodeId id, Draft& draft) {
    const auto* items = r.list(id, code("checks"), "a list of checks");
    if (!items) return;
    std::map<std::string, NodeId> named;  // unique: reports tell checks apart by their names
    for (const NodeId item : *items) {
        auto check = read_check(r, item);
        if (!check) continue;
        if (const auto& name = check->check.name; !name.empty()) {
            const auto [first, fresh] = named.emplace(name, item);
            if (!fresh) {
                r.error(*r.find(item, "name"), "two checks are named " + quote(name) +
                                                   " (the first at " + r.at(first->second).str() +
                                                   ")");
                continue;
            }
        }
        draft.checks.push_back(std::move(*check));
    }
}

}  // namespace nstopo::config
