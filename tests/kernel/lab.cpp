#include "lab.hpp"

namespace nstopo::test {

LabSpec two_routers_lab(const std::string& p) {
    LabSpec s;
    s.lab = p + "lab";
    s.namespaces = {p + "ns01", p + "r01", p + "r02", p + "ns02"};
    const std::string ns01 = s.namespaces[0], r01 = s.namespaces[1], r02 = s.namespaces[2],
                      ns02 = s.namespaces[3];
    s.wires = {
        {{ns01, p + "n1v0", {cidr("192.168.0.1/24"), cidr("fd00:1::1/64")}},
         {r01, p + "g1v0", {cidr("192.168.0.254/24"), cidr("fd00:1::fe/64")}}},
        {{r01, p + "g1v1", {cidr("172.16.0.1/24")}}, {r02, p + "g2v0", {cidr("172.16.0.2/24")}}},
        {{r02, p + "g2v1", {cidr("10.0.0.254/24")}}, {ns02, p + "n2v0", {cidr("10.0.0.1/24")}}},
        {{"", p + "host0", {cidr("10.1.1.2/24")}}, {ns02, p + "in0", {cidr("10.1.1.1/24")}}},
        {{r01, p + "loopa", {}}, {r01, p + "loopb", {}}},
    };
    s.routes = {
        {ns01, route("0.0.0.0/0", "192.168.0.254", (p + "n1v0").c_str()), true},
        {ns01, route("fd00:2::/64", "fd00:1::fe", (p + "n1v0").c_str(), 1024), true},
        {ns02, route("0.0.0.0/0", "10.0.0.254", (p + "n2v0").c_str()), false},
        {r01, route("10.0.0.0/24", "172.16.0.2", (p + "g1v1").c_str()), true},
        {r02, route("192.168.0.0/24", "172.16.0.1", (p + "g2v0").c_str(), 20), false},
    };
    for (const auto& router : {r01, r02})
        s.sysctls[router] = {{kIpv4Forwarding, "1"}, {kIpv6Forwarding, "1"}};
    for (const auto& host : {ns01, ns02})
        s.sysctls[host] = {{kIpv4Forwarding, "0"}, {kIpv6Forwarding, "0"}};
    return s;
}

LabSpec chain_lab(const std::string& p, int count) {
    LabSpec s;
    s.lab = p + "lab";
    for (int i = 0; i < count; ++i) s.namespaces.push_back(p + std::to_string(i));
    const auto address = [](int link, int host) {
        return "10." + std::to_string(link >> 6) + "." + std::to_string((link & 63) << 2) + "." +
               std::to_string(host);
    };
    for (int i = 0; i + 1 < count; ++i) {
        const std::string left = s.namespaces[static_cast<std::size_t>(i)];
        const std::string right = s.namespaces[static_cast<std::size_t>(i + 1)];
        s.wires.push_back(
            {{left, p + "r" + std::to_string(i), {cidr((address(i, 1) + "/30").c_str())}},
             {right, p + "l" + std::to_string(i + 1), {cidr((address(i, 2) + "/30").c_str())}}});
        s.routes.push_back(
            {left,
             route("192.168.0.0/24", address(i, 2).c_str(), (p + "r" + std::to_string(i)).c_str()),
             true});
    }
    for (int i = 0; i < count; ++i)
        s.sysctls[s.namespaces[static_cast<std::size_t>(i)]] = {
            {kIpv4Forwarding, i % 2 == 0 ? "1" : "0"}, {kIpv6DefaultAcceptDad, "0"}};
    return s;
}

namespace {
void configure_end_with_nstopo(Kernel& k, const EndSpec& e) {
    k.set_link_state(e.ns, e.ifname, LinkState::up);
    for (const auto& a : e.addresses) k.add_address(e.ns, e.ifname, a, Dad::skip);
}

Route as_added(const RouteSpec& r) {
    Route added = r.route;
    if (!r.give_dev) added.dev.reset();
    return added;
}

std::string in_ns(const std::string& ns) {
    return ns.empty() ? "ip " : "ip -n " + ns + " ";
}

void configure_end_with_ip(const EndSpec& e, const std::string& lab) {
    run_ok(in_ns(e.ns) + "link set " + e.ifname + " alias nstopo:" + lab + " up");
    for (const auto& a : e.addresses)
        run_ok(in_ns(e.ns) + "addr add " + a.str() + " dev " + e.ifname +
               (a.family() == Family::v6 ? " nodad" : ""));
}

std::string ip_route_command(const RouteSpec& r) {
    const Route& route = r.route;
    std::string cmd = in_ns(r.ns) + (route.family() == Family::v6 ? "-6 " : "-4 ") + "route add " +
                      route.to.str();
    if (route.via) cmd += " via " + route.via->str();
    if (r.give_dev) cmd += " dev " + *route.dev;
    return cmd + " metric " + std::to_string(route.metric);
}

std::string proc_path(const std::string& key) {
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin(), path.end(), '.', '/');
    return path;
}
}  // namespace

void build_with_nstopo(Kernel& k, const LabSpec& spec) {
    for (const auto& ns : spec.namespaces) {
        k.create_namespace(ns, spec.lab);
        k.set_link_state(ns, "lo", LinkState::up);
    }
    for (const auto& w : spec.wires) {
        k.create_veth(Veth{{w.a.ns, w.a.ifname}, {w.b.ns, w.b.ifname}, {}}, spec.lab);
        configure_end_with_nstopo(k, w.a);
        configure_end_with_nstopo(k, w.b);
    }
    for (const auto& r : spec.routes) k.add_route(r.ns, as_added(r));
    for (const auto& [ns, values] : spec.sysctls)
        for (const auto& [key, value] : values) k.set_sysctl(ns, key, value);
}

void build_with_ip(const LabSpec& spec) {
    for (const auto& ns : spec.namespaces) {
        run_ok("ip netns add " + ns);
        run_ok("ip -n " + ns + " link set lo alias nstopo:" + spec.lab + " up");
    }
    for (const auto& w : spec.wires) {
        const std::string peer_ns = w.b.ns == w.a.ns ? "" : " netns " + w.b.ns;
        run_ok(in_ns(w.a.ns) + "link add " + w.a.ifname + " type veth peer name " + w.b.ifname +
               peer_ns);
        configure_end_with_ip(w.a, spec.lab);
        configure_end_with_ip(w.b, spec.lab);
    }
    for (const auto& r : spec.routes) run_ok(ip_route_command(r));
    for (const auto& [ns, values] : spec.sysctls)
        for (const auto& [key, value] : values)
            run_ok("ip netns exec " + ns + " sh -c 'echo " + value + " > " + proc_path(key) + "'");
}

Topology expected_topology(const LabSpec& spec) {
    Topology t;
    for (const auto& ns : spec.namespaces) {
        Namespace& n = t.namespaces[ns];
        n.name = ns;
        n.owner = spec.lab;
        n.interfaces["lo"] = loopback(spec.lab, LinkState::up);
        if (const auto it = spec.sysctls.find(ns); it != spec.sysctls.end()) n.sysctls = it->second;
    }
    for (const auto& w : spec.wires)
        for (const EndSpec* e : {&w.a, &w.b}) {
            auto& links = e->ns.empty() ? t.host_interfaces : t.namespaces[e->ns].interfaces;
            links[e->ifname] = veth_interface(e->ifname, LinkState::up, ip_mac(e->ns, e->ifname),
                                              spec.lab, e->addresses);
        }
    for (const auto& r : spec.routes) t.namespaces[r.ns].routes.push_back(r.route);
    t.veths = lab_veths(spec);
    normalize(t);
    return t;
}

std::vector<Veth> lab_veths(const LabSpec& spec) {
    std::vector<Veth> veths;
    for (const auto& w : spec.wires)
        veths.push_back(Veth{{w.a.ns, w.a.ifname}, {w.b.ns, w.b.ifname}, {}});
    return veths;
}

ObserveScope lab_scope(const LabSpec& spec, bool with_hints) {
    ObserveScope s = scope_of(spec.namespaces);
    for (const auto& w : spec.wires)
        if (w.a.ns.empty()) s.host_interfaces.push_back(w.a.ifname);
    for (const auto& [ns, values] : spec.sysctls)
        for (const auto& [key, _] : values) s.sysctls[ns].push_back(key);
    if (with_hints) s.expected_veths = lab_veths(spec);
    return s;
}

}  // namespace nstopo::test
