// emit_topology: the model as a topology file, the loader's inverse (see config.hpp).
#include <yaml-cpp/yaml.h>

#include "complete.hpp"
#include "nstopo/config.hpp"

namespace nstopo::config {

namespace {

// What an interface entry says: everything that differs from what an unlisted link gets.
bool has_settings(const Interface& i) {
    return !i.addresses.empty() || i.state == LinkState::down ||
           (i.mtu && i.mtu != default_mtu(i.kind)) || i.mac || i.shaping;
}

void emit_netem(YAML::Emitter& out, const Netem& n) {
    out << YAML::Key << "netem" << YAML::Value << YAML::Flow << YAML::BeginMap;
    if (n.delay_us != 0) out << YAML::Key << "delay" << YAML::Value << duration_text(n.delay_us);
    if (n.jitter_us != 0) out << YAML::Key << "jitter" << YAML::Value << duration_text(n.jitter_us);
    const std::pair<const char*, std::uint32_t> rates[] = {{"loss", n.loss},
                                                           {"duplicate", n.duplicate},
                                                           {"corrupt", n.corrupt},
                                                           {"reorder", n.reorder}};
    for (const auto& [key, ppm] : rates)
        if (ppm != 0) out << YAML::Key << key << YAML::Value << percent_text(ppm);
    out << YAML::EndMap;
}

void emit_shaping(YAML::Emitter& out, const Shaping& s) {
    if (s.rate) out << YAML::Key << "rate" << YAML::Value << rate_text(*s.rate);
    if (s.netem) emit_netem(out, *s.netem);
}

// The keys of an interface entry (the map is open); lo takes no state and no mac.
void emit_link_settings(YAML::Emitter& out, const Interface& i) {
    if (!i.addresses.empty()) {
        out << YAML::Key << "addresses" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& a : i.addresses) out << a.str();
        out << YAML::EndSeq;
    }
    if (i.state == LinkState::down && i.kind != LinkKind::loopback)
        out << YAML::Key << "state" << YAML::Value << "down";
    if (i.mtu && i.mtu != default_mtu(i.kind)) out << YAML::Key << "mtu" << YAML::Value << *i.mtu;
    if (i.mac && i.kind != LinkKind::loopback)
        out << YAML::Key << "mac" << YAML::Value << i.mac->str();
    if (i.shaping) emit_shaping(out, *i.shaping);
}

void emit_interfaces(YAML::Emitter& out, const std::map<std::string, Interface>& links) {
    bool open = false;
    for (const auto& [name, i] : links) {
        if (i.kind == LinkKind::bridge || i.kind == LinkKind::other) continue;
        if (!has_settings(i)) continue;
        if (i.kind == LinkKind::loopback && i.addresses.empty() && !i.shaping &&
            (!i.mtu || i.mtu == default_mtu(i.kind)))
            continue;  // only its state, which is `loopback:`
        if (!open) out << YAML::Key << "interfaces" << YAML::Value << YAML::BeginMap;
        open = true;
        out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
        emit_link_settings(out, i);
        out << YAML::EndMap;
    }
    if (open) out << YAML::EndMap;
}

void emit_bridges(YAML::Emitter& out, const std::map<std::string, Interface>& links) {
    bool open = false;
    for (const auto& [name, b] : links) {
        if (b.kind != LinkKind::bridge) continue;
        if (!open) out << YAML::Key << "bridges" << YAML::Value << YAML::BeginMap;
        open = true;
        out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
        std::vector<std::string> ports;
        for (const auto& [port, link] : links)
            if (link.master == name) ports.push_back(port);
        if (!ports.empty()) out << YAML::Key << "ports" << YAML::Value << YAML::Flow << ports;
        const BridgeOptions options = b.bridge.value_or(BridgeOptions{});
        if (options.stp) out << YAML::Key << "stp" << YAML::Value << true;
        if (options.hub()) out << YAML::Key << "hub" << YAML::Value << true;
        emit_link_settings(out, b);
        out << YAML::EndMap;
    }
    if (open) out << YAML::EndMap;
}

void emit_routes(YAML::Emitter& out, const std::vector<Route>& routes) {
    if (routes.empty()) return;
    out << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;
    for (const auto& r : routes) {
        out << YAML::Flow << YAML::BeginMap;
        const bool default_route = r.to.prefix_len == 0 && r.via;
        out << YAML::Key << "to" << YAML::Value << (default_route ? "default" : r.to.str());
        if (r.via) out << YAML::Key << "via" << YAML::Value << r.via->str();
        if (r.dev) out << YAML::Key << "dev" << YAML::Value << *r.dev;
        if (r.metric != default_metric(r.family()))
            out << YAML::Key << "metric" << YAML::Value << r.metric;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

// `forwarding: true` when both keys are on; every other key that differs from the loader's
// default (or that it does not set) under `sysctls:`.
void emit_sysctls(YAML::Emitter& out, const std::map<std::string, std::string>& sysctls) {
    const auto value = [&](const std::string& key) {
        const auto it = sysctls.find(key);
        return it == sysctls.end() ? std::string() : it->second;
    };
    const bool forwarding = value(kIpv4Forwarding) == "1" && value(kIpv6Forwarding) == "1";
    if (forwarding) out << YAML::Key << "forwarding" << YAML::Value << true;
    const auto& defaults = default_namespace_sysctls();
    bool open = false;
    for (const auto& [key, v] : sysctls) {
        if (forwarding && (key == kIpv4Forwarding || key == kIpv6Forwarding)) continue;
        if (const auto d = defaults.find(key); d != defaults.end() && d->second == v) continue;
        if (!open) out << YAML::Key << "sysctls" << YAML::Value << YAML::BeginMap;
        open = true;
        out << YAML::Key << key << YAML::Value << v;
    }
    if (open) out << YAML::EndMap;
}

void emit_namespace(YAML::Emitter& out, const Namespace& ns) {
    out << YAML::Key << ns.name << YAML::Value << YAML::BeginMap;
    emit_sysctls(out, ns.sysctls);
    if (const auto lo = ns.interfaces.find("lo");
        lo != ns.interfaces.end() && lo->second.state == LinkState::down)
        out << YAML::Key << "loopback" << YAML::Value << "down";
    emit_interfaces(out, ns.interfaces);
    emit_bridges(out, ns.interfaces);
    emit_routes(out, ns.routes);
    out << YAML::EndMap;
}

void emit_veths(YAML::Emitter& out, const std::vector<Veth>& veths) {
    if (veths.empty()) return;
    out << YAML::Key << "veths" << YAML::Value << YAML::BeginSeq;
    for (const auto& v : veths)
        out << YAML::Flow << YAML::BeginSeq << v.a.str() << v.b.str() << YAML::EndSeq;
    out << YAML::EndSeq;
}

void emit_uplink(YAML::Emitter& out, const std::optional<Uplink>& uplink) {
    if (!uplink) return;
    out << YAML::Key << "uplink" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "out" << YAML::Value << uplink->out;
    out << YAML::Key << "subnets" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& s : uplink->subnets) out << s.str();
    out << YAML::EndSeq << YAML::EndMap;
}

void emit_host(YAML::Emitter& out, const Topology& t) {
    if (t.host_interfaces.empty() && t.host_routes.empty() && !t.uplink) return;
    out << YAML::Key << "host" << YAML::Value << YAML::BeginMap;
    emit_interfaces(out, t.host_interfaces);
    emit_bridges(out, t.host_interfaces);
    emit_routes(out, t.host_routes);
    emit_uplink(out, t.uplink);
    out << YAML::EndMap;
}

std::string comment_lines(const std::vector<std::string>& comments) {
    std::string text;
    for (const auto& line : comments) text += line.empty() ? "#\n" : "# " + line + "\n";
    return text;
}

}  // namespace

}  // namespace nstopo::config

namespace nstopo {

std::string emit_topology(const Topology& t, const std::vector<std::string>& comments) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << t.name;
    if (!t.namespaces.empty()) {
        out << YAML::Key << "namespaces" << YAML::Value << YAML::BeginMap;
        for (const auto& [_, ns] : t.namespaces) config::emit_namespace(out, ns);
        out << YAML::EndMap;
    }
    config::emit_veths(out, t.veths);
    config::emit_host(out, t);
    out << YAML::EndMap;
    return config::comment_lines(comments) + out.c_str() + "\n";
}

}  // namespace nstopo
