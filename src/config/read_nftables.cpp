// A namespace's `nat:` (a list of `{ masquerade: IFNAME }` and `{ forward: { proto, port, in, to
// } }`) and `nftables:` (a file of nft syntax: the body of nstopo's table).
//
// The file is loaded by root into a lab namespace, so it is kept to what a table body can do:
// it lies inside the lab file's folder, it may not close nstopo's table to declare another one,
// and it may not include other files. What nft itself refuses is reported at plan time, where
// the kernel's parser reads it (Kernel::canonical_table), with the file's line.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "nstopo/nftables.hpp"
#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kForwardKeys = {"proto", "port", "in", "to"};
constexpr std::size_t kMaxRulesetBytes = std::size_t{1} << 20;

// An interface name under `key`; its validity against the namespace is checked later.
std::optional<std::string> read_ifname(const Reader& r, NodeId id, const std::string& key) {
    const auto* text = r.scalar(id, code(key), "an interface name");
    if (!text) return std::nullopt;
    if (const auto problem = interface_name_problem(*text); !problem.empty()) {
        r.error(id, name_message("interface", *text, problem));
        return std::nullopt;
    }
    return *text;
}

// "10.0.1.10:80", "10.0.1.10" (the same port), "[2001:db8::1]:80", "2001:db8::1".
bool parse_destination(const std::string& text, NatRule& rule) {
    std::string addr = text;
    std::optional<std::string> port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos) return false;
        addr = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') return false;
            port = text.substr(close + 2);
        }
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        addr = text.substr(0, text.find(':'));
        port = text.substr(text.find(':') + 1);
    }
    const auto ip = IpAddress::parse(addr);
    if (!ip || ip->is_multicast() || ip->is_unspecified()) return false;
    rule.to = *ip;
    rule.to_port = rule.port;
    if (!port) return true;
    if (port->empty() || port->size() > 5 ||
        port->find_first_not_of("0123456789") != std::string::npos)
        return false;
    const unsigned long n = std::stoul(*port);
    if (n < 1 || n > 65535) return false;
    rule.to_port = static_cast<std::uint16_t>(n);
    return true;
}

std::optional<DraftNat> read_forward(const Reader& r, NodeId id, SourceLocation where) {
    if (!r.map(id, code("forward"), "a map { proto, port, in, to }")) return std::nullopt;
    r.check_keys(id, kForwardKeys, "in `forward`");
    DraftNat d;
    d.rule.kind = NatRule::Kind::forward;
    d.rule.where = std::move(where);
    bool ok = true;
    for (const auto& key : kForwardKeys)
        if (!r.find(id, key)) {
            r.error(id, "`forward` needs `" + key + "`");
            ok = false;
        }
    if (!ok) return std::nullopt;
    const NodeId proto = *r.find(id, "proto");
    if (const auto* text = r.scalar(proto, code("proto"), "tcp or udp")) {
        if (*text == "tcp" || *text == "udp")
            d.rule.proto = *text;
        else {
            r.error(proto, "`proto` must be tcp or udp, got " + quote(*text));
            ok = false;
        }
    }
    const auto port = r.integer(*r.find(id, "port"), "port", 1, 65535);
    if (port) d.rule.port = static_cast<std::uint16_t>(*port);
    const NodeId in = *r.find(id, "in");
    const auto ifname = read_ifname(r, in, "in");
    if (ifname) d.rule.ifname = *ifname;
    d.ifname_where = r.at(in);
    const NodeId to = *r.find(id, "to");
    if (const auto* text = r.scalar(to, code("to"), "ADDRESS:PORT"); text && port) {
        if (!parse_destination(*text, d.rule)) {
            r.error(to, "`to` " + quote(*text) +
                            " is not a unicast ADDRESS:PORT (10.0.1.10:80, [2001:db8::1]:80) or "
                            "ADDRESS");
            ok = false;
        }
    }
    if (!ok || !port || !ifname || d.rule.proto.empty()) return std::nullopt;
    return d;
}

std::optional<DraftNat> read_nat_entry(const Reader& r, NodeId id) {
    const auto* entries =
        r.map(id, "a `nat` entry", "{ masquerade: IFNAME } or { forward: {...} }");
    if (!entries) return std::nullopt;
    if (entries->size() != 1) {
        r.error(id, "a `nat` entry has one key, `masquerade` or `forward`");
        return std::nullopt;
    }
    const auto& [k, v] = entries->front();
    if (r.text(k) == "forward") return read_forward(r, v, r.at(id));
    if (r.text(k) != "masquerade") {
        r.unknown_key(k, {"masquerade", "forward"}, "in a `nat` entry");
        return std::nullopt;
    }
    const auto ifname = read_ifname(r, v, "masquerade");
    if (!ifname) return std::nullopt;
    DraftNat d;
    d.rule.kind = NatRule::Kind::masquerade;
    d.rule.ifname = *ifname;
    d.rule.where = r.at(id);
    d.ifname_where = r.at(v);
    return d;
}

// Where scanning the file found something it refuses.
struct Refusal {
    int line = 0;
    int column = 0;
    std::string message;
};

// Tokens of nft syntax that matter here: braces outside strings and comments, and `include` as
// the first word of a statement. One pass, byte by byte.
std::vector<Refusal> scan_body(const std::string& text) {
    std::vector<Refusal> found;
    int depth = 0, line = 1, column = 0;
    bool in_string = false, in_comment = false, statement_start = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        ++column;
        if (c == '\n') {
            ++line;
            column = 0;
            in_comment = false;
            statement_start = true;
            continue;
        }
        if (in_comment) continue;
        if (in_string) {
            in_string = c != '"';
            continue;
        }
        if (c == '"') in_string = true;
        if (c == '#') in_comment = true;
        if (c == '{') ++depth;
        if (c == ';' || c == '{') statement_start = true;
        if (c == '}' && --depth < 0) {
            found.push_back({line, column,
                             "this '}' closes nstopo's table " + kNftFamily + " " + kNftTable +
                                 ": the file is the body of that table (its chains, sets and "
                                 "rules) and cannot declare or touch another one"});
            depth = 0;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == ';' || c == '{' || c == '}') continue;
        if (statement_start && text.compare(i, 7, "include") == 0 &&
            (i + 7 == text.size() || text[i + 7] == ' ' || text[i + 7] == '\t' ||
             text[i + 7] == '"'))
            found.push_back(
                {line, column, "`include` is refused: the ruleset may not read other files"});
        statement_start = false;
    }
    return found;
}

// The text of line `n` (1-based) of `text`, without its newline.
std::string line_of(const std::string& text, int n) {
    std::size_t start = 0;
    for (int i = 1; i < n && start != std::string::npos; ++i) {
        start = text.find('\n', start);
        if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) return {};
    return text.substr(start, text.find('\n', start) - start);
}

std::optional<std::string> read_text(const Reader& r, NodeId id, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text;
    char chunk[65536];
    while (in && text.size() <= kMaxRulesetBytes) {
        in.read(chunk, sizeof chunk);
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad() || (!in.eof() && text.empty())) {
        r.error(id, "cannot read the `nftables` file " + quote(path));
        return std::nullopt;
    }
    if (text.size() > kMaxRulesetBytes) {
        r.error(id, "the `nftables` file " + quote(path) + " is larger than 1 MiB");
        return std::nullopt;
    }
    for (const char c : text)
        if (c == '\0' ||
            (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
            r.error(id, "the `nftables` file " + quote(path) +
                            " has a NUL byte or a control character");
            return std::nullopt;
        }
    return text;
}

}  // namespace

void read_nat(const Reader& r, NodeId key, NodeId value, DraftNamespace& ns) {
    ns.nat_where = r.at(key);
    const auto* items = r.list(value, code("nat"));
    if (!items) return;
    for (const NodeId item : *items)
        if (auto d = read_nat_entry(r, item)) ns.nat.push_back(std::move(*d));
}

void read_nftables_file(const Reader& r, NodeId id, DraftNamespace& ns) {
    const auto* name = r.scalar(id, code("nftables"), "a file name");
    if (!name) return;
    const std::string path = resolve_in_lab(r, id, "`nftables` file", *name, false);
    if (path.empty()) return;
    const auto text = read_text(r, id, path);
    if (!text) return;
    // Messages name the file as the lab file's folder and `nftables:` do, as a person wrote them.
    const std::string shown = (std::filesystem::path(r.diagnostics().file()).parent_path() / *name)
                                  .lexically_normal()
                                  .string();
    const auto refusals = scan_body(*text);
    for (const auto& f : refusals)
        r.diagnostics().error_with_line({shown, f.line, f.column}, f.message,
                                        line_of(*text, f.line));
    if (!refusals.empty()) return;
    ns.nftables = DraftNftFile{shown, *text, r.at(id)};
}

}  // namespace nstopo::config
