#include "nstopo/topology_json.hpp"

#include "nstopo/error.hpp"

namespace nstopo {

using nlohmann::json;

namespace {

// Rates in bits per second, delays in microseconds, probabilities in millionths (see Netem).
json shaping_to_json(const Shaping& s) {
    json j = json::object();
    if (s.rate) j["rate"] = *s.rate;
    if (s.netem) {
        const Netem& n = *s.netem;
        j["netem"] = {{"delay_us", n.delay_us},   {"jitter_us", n.jitter_us},
                      {"loss_ppm", n.loss},       {"duplicate_ppm", n.duplicate},
                      {"corrupt_ppm", n.corrupt}, {"reorder_ppm", n.reorder}};
    }
    if (!s.foreign.empty()) j["foreign"] = s.foreign;
    j["text"] = s.str();
    return j;
}

Shaping shaping_from(const json& j) {
    Shaping s;
    if (j.contains("rate")) s.rate = j["rate"].get<std::uint64_t>();
    if (j.contains("netem")) {
        const json& n = j["netem"];
        s.netem = Netem{
            n.at("delay_us").get<std::uint32_t>(),    n.at("jitter_us").get<std::uint32_t>(),
            n.at("loss_ppm").get<std::uint32_t>(),    n.at("duplicate_ppm").get<std::uint32_t>(),
            n.at("corrupt_ppm").get<std::uint32_t>(), n.at("reorder_ppm").get<std::uint32_t>()};
    }
    s.foreign = j.value("foreign", "");
    return s;
}

json interface_to_json(const Interface& i) {
    json j{{"kind", to_string(i.kind)}, {"state", to_string(i.state)}};
    j["addresses"] = json::array();
    for (const auto& a : i.addresses) j["addresses"].push_back(a.str());
    if (i.mtu) j["mtu"] = *i.mtu;
    if (i.mac) j["mac"] = i.mac->str();
    if (!i.master.empty()) j["master"] = i.master;
    if (i.bridge) j["bridge"] = {{"stp", i.bridge->stp}, {"ageing_time", i.bridge->ageing_time}};
    if (i.shaping) j["shaping"] = shaping_to_json(*i.shaping);
    if (!i.owner.empty()) j["owner"] = i.owner;
    return j;
}

json interfaces_to_json(const std::map<std::string, Interface>& links) {
    json j = json::object();
    for (const auto& [name, i] : links) j[name] = interface_to_json(i);
    return j;
}

json route_to_json(const Route& r) {
    json j{{"to", r.to.str()}, {"metric", r.metric}};
    if (r.via) j["via"] = r.via->str();
    if (r.dev) j["dev"] = *r.dev;
    return j;
}

json process_to_json(const Process& p) {
    json j{{"command", p.command}, {"directory", p.directory}};
    if (!p.user.empty()) j["user"] = p.user;
    if (!p.env.empty()) j["env"] = p.env;
    if (!p.mounts.empty()) j["mounts"] = p.mounts;
    if (!p.mounts_digest.empty()) j["mounts_digest"] = p.mounts_digest;
    return j;
}

// A table: its identity, its canonical form and rule count, and (desired) the body it is loaded
// from and the file that body came from.
json table_to_json(const NftTable& t) {
    json j{{"family", t.family}, {"name", t.name}, {"rules", t.rules}, {"canonical", t.canonical}};
    if (!t.body.empty()) j["body"] = t.body;
    if (!t.file.empty()) j["file"] = t.file;
    if (t.file_first_line != 0) j["file_first_line"] = t.file_first_line;
    return j;
}

NftTable table_from(const json& j) {
    NftTable t;
    t.family = j.at("family").get<std::string>();
    t.name = j.at("name").get<std::string>();
    t.rules = j.at("rules").get<int>();
    t.canonical = j.at("canonical").get<std::string>();
    t.body = j.value("body", "");
    t.file = j.value("file", "");
    t.file_first_line = j.value("file_first_line", 0);
    return t;
}

json namespace_to_json(const Namespace& n) {
    json j{{"interfaces", interfaces_to_json(n.interfaces)},
           {"routes", json::array()},
           {"sysctls", n.sysctls}};
    for (const auto& r : n.routes) j["routes"].push_back(route_to_json(r));
    if (!n.owner.empty()) j["owner"] = n.owner;
    // Only when there are some: records of labs without processes read as before. An observed
    // process (one with a run) is no definition: `status --json` lists those apart.
    for (const auto& [name, p] : n.processes)
        if (!p.run) j["processes"][name] = process_to_json(p);
    // Likewise only when there are some.
    for (const auto& [id, t] : n.tables) j["nftables"].push_back(table_to_json(t));
    return j;
}

[[noreturn]] void malformed(const std::string& what) {
    throw Error(ErrorKind::bug, "malformed topology record: " + what);
}

template <typename T, typename Parse>
T parse_or(const json& j, const char* field, Parse parse) {
    if (!j.is_string()) malformed(std::string(field) + " is not a string");
    const auto v = parse(j.get<std::string>());
    if (!v) malformed(std::string(field) + " '" + j.get<std::string>() + "'");
    return *v;
}

Cidr cidr_from(const json& j, const char* field) {
    return parse_or<Cidr>(j, field, [](const std::string& s) { return Cidr::parse(s); });
}

LinkState state_from(const json& j) {
    const auto s = j.get<std::string>();
    if (s == "up") return LinkState::up;
    if (s == "down") return LinkState::down;
    malformed("state '" + s + "'");
}

LinkKind kind_from(const json& j) {
    const auto s = j.get<std::string>();
    if (s == "veth") return LinkKind::veth;
    if (s == "loopback") return LinkKind::loopback;
    if (s == "bridge") return LinkKind::bridge;
    return LinkKind::other;
}

Interface interface_from(const std::string& name, const json& j) {
    Interface i;
    i.name = name;
    i.kind = kind_from(j.at("kind"));
    i.state = state_from(j.at("state"));
    for (const auto& a : j.at("addresses")) i.addresses.push_back(cidr_from(a, "address"));
    if (j.contains("mtu")) i.mtu = j["mtu"].get<std::uint32_t>();
    if (j.contains("mac"))
        i.mac = parse_or<MacAddress>(j["mac"], "mac",
                                     [](const std::string& s) { return MacAddress::parse(s); });
    i.master = j.value("master", "");
    if (j.contains("bridge")) {
        BridgeOptions b;
        b.stp = j["bridge"].at("stp").get<bool>();
        b.ageing_time = j["bridge"].at("ageing_time").get<std::uint32_t>();
        i.bridge = b;
    }
    if (j.contains("shaping")) i.shaping = shaping_from(j["shaping"]);
    i.owner = j.value("owner", "");
    return i;
}

std::map<std::string, Interface> interfaces_from(const json& j) {
    std::map<std::string, Interface> links;
    for (const auto& [name, value] : j.items()) links[name] = interface_from(name, value);
    return links;
}

Route route_from(const json& j) {
    Route r;
    r.to = cidr_from(j.at("to"), "route to");
    r.metric = j.at("metric").get<std::uint32_t>();
    if (j.contains("via"))
        r.via = parse_or<IpAddress>(j["via"], "via",
                                    [](const std::string& s) { return IpAddress::parse(s); });
    if (j.contains("dev")) r.dev = j["dev"].get<std::string>();
    return r;
}

Process process_from(const std::string& name, const json& j) {
    Process p;
    p.name = name;
    p.command = j.at("command").get<std::vector<std::string>>();
    p.directory = j.at("directory").get<std::string>();
    p.user = j.value("user", "");
    if (j.contains("env")) p.env = j["env"].get<std::map<std::string, std::string>>();
    if (j.contains("mounts")) p.mounts = j["mounts"].get<std::map<std::string, std::string>>();
    p.mounts_digest = j.value("mounts_digest", "");
    return p;
}

Namespace namespace_from(const std::string& name, const json& j) {
    Namespace n;
    n.name = name;
    n.interfaces = interfaces_from(j.at("interfaces"));
    for (const auto& r : j.at("routes")) n.routes.push_back(route_from(r));
    n.sysctls = j.at("sysctls").get<std::map<std::string, std::string>>();
    n.owner = j.value("owner", "");
    if (j.contains("processes"))
        for (const auto& [pname, p] : j["processes"].items())
            n.processes[pname] = process_from(pname, p);
    if (j.contains("nftables"))
        for (const auto& t : j["nftables"]) {
            NftTable table = table_from(t);
            n.tables.emplace(table.id(), std::move(table));
        }
    return n;
}

// {"lan1": [["h1/eth0", "h1-eth0"], ...]}: each member's end and its switch port.
json lans_to_json(const std::map<std::string, Lan>& lans) {
    json j = json::object();
    for (const auto& [name, lan] : lans) {
        json members = json::array();
        for (const auto& m : lan.members) members.push_back({m.end.str(), m.port});
        j[name] = members;
    }
    return j;
}

std::map<std::string, Lan> lans_from(const json& j) {
    std::map<std::string, Lan> lans;
    for (const auto& [name, members] : j.items()) {
        Lan lan;
        lan.name = name;
        for (const auto& m : members)
            lan.members.push_back(
                {veth_end_from(m.at(0).get<std::string>()), m.at(1).get<std::string>()});
        lans[name] = std::move(lan);
    }
    return lans;
}

}  // namespace

json routes_to_json(const std::vector<Route>& routes) {
    json j = json::array();
    for (const auto& r : routes) j.push_back(route_to_json(r));
    return j;
}

std::vector<Route> routes_from_json(const json& j) {
    try {
        std::vector<Route> routes;
        for (const auto& r : j) routes.push_back(route_from(r));
        return routes;
    } catch (const json::exception& e) {
        malformed(e.what());
    }
}

VethEnd veth_end_from(const std::string& s) {
    const auto slash = s.find('/');
    if (slash == std::string::npos) return {kHostNamespace, s};
    return {s.substr(0, slash), s.substr(slash + 1)};
}

json to_json(const Topology& t) {
    json j{{"name", t.name},
           {"namespaces", json::object()},
           {"veths", json::array()},
           {"host_interfaces", interfaces_to_json(t.host_interfaces)}};
    for (const auto& [name, n] : t.namespaces) j["namespaces"][name] = namespace_to_json(n);
    for (const auto& v : t.veths) j["veths"].push_back({v.a.str(), v.b.str()});
    if (!t.lans.empty()) j["lans"] = lans_to_json(t.lans);
    if (!t.host_routes.empty()) j["host_routes"] = routes_to_json(t.host_routes);
    if (t.uplink) {
        json subnets = json::array();
        for (const auto& s : t.uplink->subnets) subnets.push_back(s.str());
        j["uplink"] = {{"out", t.uplink->out}, {"subnets", subnets}};
    }
    for (const auto& [id, table] : t.host_tables)
        j["host_nftables"].push_back(table_to_json(table));
    if (!t.host_sysctls.empty()) j["host_sysctls"] = t.host_sysctls;
    return j;
}

Topology topology_from_json(const json& j) {
    try {
        Topology t;
        t.name = j.at("name").get<std::string>();
        for (const auto& [name, value] : j.at("namespaces").items())
            t.namespaces[name] = namespace_from(name, value);
        for (const auto& v : j.at("veths"))
            t.veths.push_back(Veth{veth_end_from(v.at(0).get<std::string>()),
                                   veth_end_from(v.at(1).get<std::string>()),
                                   {}});
        t.host_interfaces = interfaces_from(j.at("host_interfaces"));
        if (j.contains("lans")) t.lans = lans_from(j["lans"]);
        if (j.contains("host_routes")) t.host_routes = routes_from_json(j["host_routes"]);
        if (j.contains("uplink")) {
            Uplink u;
            u.out = j["uplink"].at("out").get<std::string>();
            for (const auto& s : j["uplink"].at("subnets"))
                u.subnets.push_back(cidr_from(s, "subnet"));
            t.uplink = std::move(u);
        }
        if (j.contains("host_nftables"))
            for (const auto& h : j["host_nftables"]) {
                NftTable table = table_from(h);
                t.host_tables.emplace(table.id(), std::move(table));
            }
        if (j.contains("host_sysctls"))
            t.host_sysctls = j["host_sysctls"].get<std::map<std::string, std::string>>();
        normalize(t);
        return t;
    } catch (const json::exception& e) {
        malformed(e.what());
    }
}

}  // namespace nstopo
