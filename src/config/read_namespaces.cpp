#include <algorithm>

#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kNamespaceKeys = {"interfaces", "bridges",  "routes",
                                                 "forwarding", "loopback", "sysctls",
                                                 "processes",  "nat",      "nftables"};
const std::vector<std::string> kInterfaceKeys = {"addresses", "state", "mtu",
                                                 "mac",       "rate",  "netem"};
const std::vector<std::string> kBridgeKeys = {"ports", "stp", "hub",  "addresses", "state",
                                              "mtu",   "mac", "rate", "netem"};
const std::vector<std::string> kHostKeys = {"interfaces", "bridges", "routes", "uplink"};
constexpr std::uint64_t kMinMtu = 68;  // the IPv4 minimum; the kernel refuses less
constexpr std::uint64_t kMaxMtu = 65535;

// Why `cidr` cannot be an address of a link of kind `kind`; empty if it can.
std::string address_problem(const Cidr& cidr, LinkKind kind) {
    const IpAddress& ip = cidr.ip;
    if (ip.is_v6_link_local())
        return "is IPv6 link-local; the kernel manages IPv6 link-local addresses";
    if (ip.is_multicast()) return "is multicast; an interface address must be unicast";
    if (ip.is_unspecified()) return "is unspecified; an interface address must be unicast";
    // DECISION: refused, not made to work. The kernel takes it, with a prefix route to every
    // destination through this link, which would shadow the lab's default routes.
    if (cidr.prefix_len == 0)
        return "has prefix length 0: it would claim every destination as on this link; write "
               "the length of its subnet";
    if (kind == LinkKind::loopback || !ip.is_loopback()) return {};
    // ipv6_add_addr refuses ::1 on any device but a loopback one.
    if (ip.family() == Family::v6)
        return "is the IPv6 loopback address; the kernel takes it on 'lo' only (\"Cannot assign "
               "loopback address on this device\")";
    // DECISION: refused too, though the kernel takes it: ip_route_input_slow drops packets to
    // 127.0.0.0/8 that arrive on other devices as martians, and ip_route_output_key refuses to
    // send from such a source through them, so the address could never be used there.
    return "is in 127.0.0.0/8, which the kernel uses on 'lo' only: packets to or from it on any "
           "other link are dropped as martians";
}

void read_address(const Reader& r, NodeId id, DraftInterface& out) {
    const auto* text = r.scalar(id, "an address");
    if (!text) return;
    const auto cidr = Cidr::parse(*text);
    if (!cidr) {
        r.error(id, "invalid address " + quote(*text) + ": " + Cidr::parse_error(*text));
        return;
    }
    if (const auto problem = address_problem(*cidr, out.iface.kind); !problem.empty()) {
        r.error(id, "address " + cidr->str() + " " + problem);
        return;
    }
    out.iface.addresses.push_back(*cidr);
    out.address_where.push_back(r.at(id));
}

std::optional<MacAddress> read_mac(const Reader& r, NodeId id) {
    const auto* text = r.scalar(id, code("mac"), "a MAC address");
    if (!text) return std::nullopt;
    const auto mac = MacAddress::parse(*text);
    if (!mac)
        r.error(id, "`mac` " + quote(*text) + " is not a MAC address (write aa:bb:cc:dd:ee:ff)");
    else if (mac->is_multicast())
        r.error(id, "`mac` " + mac->str() + " is multicast (the low bit of its first byte is set)");
    else if (mac->is_zero())
        r.error(id, "`mac` " + mac->str() + " is all zeros");
    else
        return mac;
    return std::nullopt;
}

// The loopback device takes addresses and an mtu; its state is the namespace's `loopback:`.
void check_loopback_keys(const Reader& r, NodeId id) {
    if (r.node(id).kind != NodeKind::map) return;
    if (const auto state = r.entry(id, "state"))
        r.error(state->first,
                "`state` is not allowed on 'lo'; set the namespace's `loopback: up|down` instead");
    if (const auto mac = r.entry(id, "mac")) r.error(mac->first, "`mac` cannot be set on 'lo'");
}

// `rate:` and `netem:`: the link's shaping, if either is there and readable.
void read_shaping(const Reader& r, NodeId value, DraftInterface& d) {
    Shaping s;
    if (const auto v = r.find(value, "rate")) s.rate = read_rate(r, *v);
    if (const auto v = r.find(value, "netem")) s.netem = read_netem(r, *v);
    if (!s.rate && !s.netem) return;
    d.iface.shaping = s;
    const auto said = r.entry(value, "netem") ? r.entry(value, "netem") : r.entry(value, "rate");
    d.iface.shaping_where = r.at(said->first);
}

// The keys every link takes: addresses, state, mtu, mac, rate, netem.
void read_link_keys(const Reader& r, NodeId value, DraftInterface& d) {
    if (const auto v = r.find(value, "addresses"))
        if (const auto* items = r.list(*v, code("addresses")))
            for (const NodeId item : *items) read_address(r, item, d);
    if (const auto v = r.find(value, "state"))
        d.iface.state = r.link_state(*v, "state").value_or(LinkState::up);
    if (const auto v = r.find(value, "mtu"))
        if (const auto mtu = r.integer(*v, "mtu", kMinMtu, kMaxMtu))
            d.iface.mtu = static_cast<std::uint32_t>(*mtu);
    if (const auto v = r.find(value, "mac")) d.iface.mac = read_mac(r, *v);
    read_shaping(r, value, d);
}

DraftInterface read_interface(const Reader& r, NodeId key, NodeId value) {
    DraftInterface d;
    d.iface.name = r.text(key);
    d.iface.kind = d.iface.name == "lo" ? LinkKind::loopback : LinkKind::veth;
    d.iface.where = r.at(key);
    const std::string subject = "interface " + quote(d.iface.name);
    if (!r.map(value, subject)) return d;
    r.check_keys(value, kInterfaceKeys, "in " + subject);
    read_link_keys(r, value, d);
    return d;
}

void read_ports(const Reader& r, NodeId id, DraftBridge& b) {
    const auto* items = r.list(id, code("ports"));
    if (!items) return;
    for (const NodeId item : *items)
        if (const auto* name = r.scalar(item, "a port", "an interface name"))
            b.ports.push_back(DraftPort{*name, r.at(item)});
}

DraftBridge read_bridge(const Reader& r, NodeId key, NodeId value) {
    DraftBridge b;
    b.link.iface.name = r.text(key);
    b.link.iface.kind = LinkKind::bridge;
    b.link.iface.where = r.at(key);
    r.name(key, "bridge", b.link.iface.name, interface_name_problem(b.link.iface.name));
    const std::string subject = "bridge " + quote(b.link.iface.name);
    if (!r.map(value, subject)) return b;
    r.check_keys(value, kBridgeKeys, "in " + subject);
    read_link_keys(r, value, b.link);
    if (const auto v = r.find(value, "ports")) read_ports(r, *v, b);
    if (const auto v = r.find(value, "stp")) {
        b.stp = r.boolean(*v, "stp").value_or(false);
        b.stp_where = r.at(*v);
    }
    if (const auto v = r.find(value, "hub")) {
        b.hub = r.boolean(*v, "hub").value_or(false);
        b.hub_where = r.at(*v);
    }
    return b;
}

void read_bridges(const Reader& r, NodeId id, std::map<std::string, DraftBridge>& out) {
    const auto* entries = r.map(id, code("bridges"), "a map of bridge names");
    if (!entries) return;
    for (const auto& [k, v] : *entries) out.emplace(r.text(k), read_bridge(r, k, v));
}

void read_interfaces(const Reader& r, NodeId id, bool in_host,
                     std::map<std::string, DraftInterface>& out) {
    const auto* entries = r.map(id, code("interfaces"), "a map of interface names");
    if (!entries) return;
    for (const auto& [k, v] : *entries) {
        const bool loopback = r.text(k) == "lo";
        if (loopback && in_host) {
            r.error(k, "the host's 'lo' is not managed by nstopo");
            continue;
        }
        if (loopback) check_loopback_keys(r, v);
        out.emplace(r.text(k), read_interface(r, k, v));
    }
}

// Why `key` cannot be a sysctl of the file; empty if it can. Keys become paths under /proc/sys.
std::string sysctl_key_problem(const std::string& key) {
    if (!key.starts_with("net."))
        return "is not under `net.`; nstopo sets only per-namespace `net.*` sysctls";
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    };
    if (!std::all_of(key.begin(), key.end(), allowed))
        return "may contain only letters, digits, '_', '.' and '-'";
    if (key.find("..") != std::string::npos) return "contains '..'";
    if (key.back() == '.') return "ends with '.'";
    return {};
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Runs of whitespace become one space; none at either end.
std::string collapse_whitespace(const std::string& text) {
    std::string out;
    bool gap = false;
    for (const char c : text) {
        if (is_blank(c)) {
            gap = !out.empty();
            continue;
        }
        if (gap) out += ' ';
        gap = false;
        out += c;
    }
    return out;
}

// YAML 1.1's other spellings of true and false, which YAML 1.2 (this format) reads as words.
std::optional<bool> parse_yaml11_bool(std::string_view text) {
    for (const std::string_view word : {"yes", "Yes", "YES", "on", "On", "ON"})
        if (text == word) return true;
    for (const std::string_view word : {"no", "No", "NO", "off", "Off", "OFF"})
        if (text == word) return false;
    return std::nullopt;
}

std::optional<std::string> read_sysctl_value(const Reader& r, NodeId id, const std::string& key) {
    const std::string subject = "sysctl " + quote(key);
    const auto* text = r.scalar(id, subject, "a single value");
    if (!text) return std::nullopt;
    if (r.node(id).plain)
        if (const auto b = parse_bool(*text)) return *b ? "1" : "0";
    // DECISION: refused, not translated: a writer meaning 1 gets told, and one meaning the word
    // quotes it, as with "true".
    if (const auto b = parse_yaml11_bool(*text); b && r.node(id).plain) {
        r.error(id, subject + " is " + quote(*text) +
                        ", which YAML 1.1 reads as a boolean but this format as a word; write " +
                        (*b ? "1 or true" : "0 or false") + ", or quote it to write the word");
        return std::nullopt;
    }
    // Whitespace first: tabs and newlines are blanks between words, not control characters.
    auto value = collapse_whitespace(*text);
    if (has_control_character(value)) {
        r.error(id, subject + " has a control character in its value");
        return std::nullopt;
    }
    if (!value.empty()) return value;
    r.error(id, subject + " has an empty value");
    return std::nullopt;
}

void read_sysctls(const Reader& r, NodeId id, DraftNamespace& ns) {
    const auto* entries = r.map(id, code("sysctls"), "a map of sysctl keys to values");
    if (!entries) return;
    for (const auto& [k, v] : *entries) {
        const auto& key = r.text(k);
        if (const auto problem = sysctl_key_problem(key); !problem.empty()) {
            r.error(k, "sysctl " + quote(key) + " " + problem);
            continue;
        }
        if (const auto value = read_sysctl_value(r, v, key))
            ns.sysctls[key] = DraftSysctl{*value, r.at(k)};
    }
}

// `forwarding:` and a forwarding key under `sysctls:` must agree.
void check_forwarding_sysctls(Diagnostics& diags, const DraftNamespace& ns) {
    if (!ns.forwarding) return;
    const std::string wanted = *ns.forwarding ? "1" : "0";
    for (const auto& key : {kIpv4Forwarding, kIpv6Forwarding}) {
        const auto it = ns.sysctls.find(key);
        if (it == ns.sysctls.end() || it->second.value == wanted) continue;
        diags.error(it->second.where,
                    "sysctl " + quote(key) + " is " + quote(it->second.value) +
                        " but `forwarding: " + (*ns.forwarding ? "true" : "false") +
                        "` sets it to '" + wanted + "'");
    }
}

void read_routes(const Reader& r, NodeId id, std::vector<DraftRoute>& out) {
    const auto* items = r.list(id, code("routes"));
    if (!items) return;
    for (const NodeId item : *items)
        if (auto route = read_route(r, item)) out.push_back(std::move(*route));
}

DraftNamespace read_namespace(const Reader& r, NodeId key, NodeId value) {
    DraftNamespace ns;
    ns.name = r.text(key);
    ns.where = r.at(key);
    r.name(key, "namespace", ns.name, namespace_name_problem(ns.name));
    const std::string subject = "namespace " + quote(ns.name);
    if (!r.map(value, subject)) return ns;
    r.check_keys(value, kNamespaceKeys, "in " + subject);
    if (const auto v = r.find(value, "interfaces")) read_interfaces(r, *v, false, ns.interfaces);
    if (const auto v = r.find(value, "bridges")) read_bridges(r, *v, ns.bridges);
    if (const auto v = r.find(value, "routes")) read_routes(r, *v, ns.routes);
    if (const auto v = r.find(value, "forwarding")) ns.forwarding = r.boolean(*v, "forwarding");
    if (const auto v = r.find(value, "loopback"))
        ns.loopback = r.link_state(*v, "loopback").value_or(LinkState::up);
    if (const auto v = r.find(value, "sysctls")) read_sysctls(r, *v, ns);
    if (const auto v = r.find(value, "processes")) read_processes(r, *v, ns);
    if (const auto e = r.entry(value, "nat")) read_nat(r, e->first, e->second, ns);
    if (const auto v = r.find(value, "nftables")) read_nftables_file(r, *v, ns);
    check_forwarding_sysctls(r.diagnostics(), ns);
    return ns;
}

}  // namespace

void read_namespaces(const Reader& r, NodeId id, Draft& draft) {
    const auto* entries = r.map(id, code("namespaces"), "a map of namespace names");
    if (!entries) return;
    for (const auto& [k, v] : *entries)
        draft.namespaces.emplace(r.text(k), read_namespace(r, k, v));
}

void read_host(const Reader& r, NodeId id, Draft& draft) {
    const auto* entries = r.map(id, code("host"));
    if (!entries) return;
    for (const auto& [k, v] : *entries) {
        const auto& key = r.text(k);
        if (key == "interfaces")
            read_interfaces(r, v, true, draft.host_interfaces);
        else if (key == "bridges")
            read_bridges(r, v, draft.host_bridges);
        else if (key == "routes")
            read_routes(r, v, draft.host_routes);
        else if (key == "uplink")
            read_uplink(r, k, v, draft);
        else if (std::find(kNamespaceKeys.begin(), kNamespaceKeys.end(), key) !=
                 kNamespaceKeys.end())
            r.error(k, code(key) +
                           " is not allowed in `host`; the host namespace takes `interfaces`, "
                           "`bridges`, `routes` and `uplink` only");
        else
            r.unknown_key(k, kHostKeys, "in `host`");
    }
}

}  // namespace nstopo::config
