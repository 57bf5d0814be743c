// Interop with iproute2 both ways: what `ip` builds, nstopo observes exactly; what nstopo builds,
// `ip -j` reports with the same values.
#include "lab.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

LinkKind kind_from_ip(const nlohmann::json& link) {
    if (link.at("link_type") == "loopback") return LinkKind::loopback;
    if (link.contains("linkinfo") && link.at("linkinfo").at("info_kind") == "veth")
        return LinkKind::veth;
    return LinkKind::other;
}

bool kernel_managed(const nlohmann::json& info, LinkKind kind) {
    const std::string local = info.at("local");
    return info.at("scope") == "link" ||
           (kind == LinkKind::loopback && (local == "127.0.0.1" || local == "::1"));
}

// One link as `ip -j -d addr show` reports it, in the model's terms.
Interface interface_from_ip(const nlohmann::json& link) {
    Interface i;
    i.name = link.at("ifname");
    i.kind = kind_from_ip(link);
    const auto& flags = link.at("flags");
    i.state = std::find(flags.begin(), flags.end(), "UP") != flags.end() ? LinkState::up
                                                                         : LinkState::down;
    i.mtu = link.at("mtu").get<std::uint32_t>();
    i.mac = mac(link.at("address").get<std::string>().c_str());
    i.owner = lab_from_mark(link.value("ifalias", ""));
    for (const auto& info : link.at("addr_info"))
        if (!kernel_managed(info, i.kind))
            i.addresses.push_back(cidr((info.at("local").get<std::string>() + "/" +
                                        std::to_string(info.at("prefixlen").get<int>()))
                                           .c_str()));
    normalize(i);
    return i;
}

// The main-table routes `ip -j route` reports that nstopo added (protocol 201).
std::vector<Route> nstopo_routes_from_ip(const std::string& ns) {
    std::vector<Route> routes;
    for (const char* family : {"-4", "-6"}) {
        const auto listed = ip_json(ns, std::string(family) + " route show proto 201");
        for (const auto& r : listed) {
            const std::string dst = r.at("dst");
            const std::string to = dst != "default"              ? dst
                                   : family == std::string("-4") ? "0.0.0.0/0"
                                                                 : "::/0";
            const std::string via = r.value("gateway", "");
            routes.push_back(route(to.c_str(), via.empty() ? nullptr : via.c_str(),
                                   r.at("dev").get<std::string>().c_str(), r.value("metric", 0u)));
        }
    }
    return routes;
}

// `ip`'s picture of one namespace of the lab.
Namespace namespace_from_ip(const LabSpec& spec, const std::string& ns) {
    Namespace n;
    n.name = ns;
    for (const auto& link : ip_json(ns, "-d addr show"))
        n.interfaces[link.at("ifname")] = interface_from_ip(link);
    n.owner = n.interfaces.at("lo").owner;
    n.routes = nstopo_routes_from_ip(ns);
    for (const auto& [key, _] : spec.sysctls.at(ns)) {
        std::string path = "/proc/sys/" + key;
        std::replace(path.begin(), path.end(), '.', '/');
        std::string value = run_ok("ip netns exec " + ns + " cat " + path);
        n.sysctls[key] = value.substr(0, value.find('\n'));
    }
    normalize(n);
    return n;
}

}  // namespace

TEST_CASE("a lab built with ip is observed exactly, with and without hints") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("ii-");
    build_with_ip(spec);
    const Topology expected = expected_topology(spec);
    CHECK(k->observe(lab_scope(spec, true)) == expected);
    CHECK(k->observe(lab_scope(spec, false)) == expected);
}

TEST_CASE("a lab built by nstopo is reported by ip with the same values") {
    auto k = make_kernel();
    const LabSpec spec = two_routers_lab("in-");
    build_with_nstopo(*k, spec);
    const Topology expected = expected_topology(spec);
    for (const auto& ns : spec.namespaces) {
        INFO(ns);
        CHECK(namespace_from_ip(spec, ns) == expected.namespaces.at(ns));
    }
    const auto host_link = ip_json("", "-d addr show dev in-host0");
    CHECK(interface_from_ip(host_link.at(0)) == expected.host_interfaces.at("in-host0"));
}

TEST_CASE("nstopo works on namespaces and links that ip made") {
    auto k = make_kernel();
    run_ok("ip netns add im-a");
    run_ok("ip netns add im-b");
    run_ok("ip -n im-a link add im-a0 type veth peer name im-b0 netns im-b");
    k->set_link_state("im-a", "im-a0", LinkState::up);
    k->add_address("im-a", "im-a0", cidr("10.3.0.1/24"), Dad::skip);
    k->add_route("im-a", route("10.4.0.0/16", "10.3.0.2", nullptr));
    k->create_veth(Veth{{"im-b", "im-b1"}, {"im-a", "im-a1"}, {}}, "lab1");

    const Topology t = k->observe(scope_of({"im-a", "im-b"}));
    const Namespace& a = t.namespaces.at("im-a");
    CHECK(a.owner.empty());
    CHECK(a.interfaces.at("im-a0") == veth_interface("im-a0", LinkState::up,
                                                     ip_mac("im-a", "im-a0"), "",
                                                     {cidr("10.3.0.1/24")}));
    CHECK(a.routes == std::vector<Route>{route("10.4.0.0/16", "10.3.0.2", "im-a0")});
    CHECK(t.veths.size() == 2);
    k->delete_namespace("im-a");
    CHECK(run_ok("ip netns list").find("im-a") == std::string::npos);
}
