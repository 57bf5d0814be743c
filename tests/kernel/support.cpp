#include "support.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>

namespace nstopo::test {

CommandResult run(const std::string& command) {
    CommandResult r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string run_ok(const std::string& command) {
    const auto r = run(command);
    INFO(command << "\n" << r.output);
    REQUIRE(r.status == 0);
    return r.output;
}

nlohmann::json ip_json(const std::string& ns, const std::string& args) {
    const std::string netns = ns.empty() ? "" : " -n " + ns;
    return nlohmann::json::parse(run_ok("ip -j" + netns + " " + args));
}

nlohmann::json ip_link(const std::string& ns, const std::string& ifname) {
    const auto links = ip_json(ns, "-d link show dev " + ifname);
    REQUIRE(links.size() == 1);
    return links[0];
}

MacAddress ip_mac(const std::string& ns, const std::string& ifname) {
    return mac(ip_link(ns, ifname).at("address").get<std::string>().c_str());
}

Cidr cidr(const char* text) {
    const auto c = Cidr::parse(text);
    REQUIRE(c);
    return *c;
}

IpAddress ip(const char* text) {
    const auto a = IpAddress::parse(text);
    REQUIRE(a);
    return *a;
}

MacAddress mac(const char* text) {
    const auto m = MacAddress::parse(text);
    REQUIRE(m);
    return *m;
}

Interface veth_interface(const std::string& name, LinkState state, const MacAddress& mac,
                         const std::string& owner, std::vector<Cidr> addresses) {
    Interface i;
    i.name = name;
    i.kind = LinkKind::veth;
    i.state = state;
    i.mtu = 1500;
    i.mac = mac;
    i.owner = owner;
    i.addresses = std::move(addresses);
    return i;
}

Interface loopback(const std::string& owner, LinkState state, std::vector<Cidr> addresses) {
    Interface i;
    i.name = "lo";
    i.kind = LinkKind::loopback;
    i.state = state;
    i.mtu = 65536;
    i.mac = MacAddress{};
    i.owner = owner;
    i.addresses = std::move(addresses);
    return i;
}

Namespace fresh_namespace(const std::string& name, const std::string& lab) {
    Namespace n;
    n.name = name;
    n.interfaces["lo"] = loopback(lab);
    n.owner = lab;
    return n;
}

Route route(const char* to, const char* via, const char* dev, std::uint32_t metric) {
    Route r;
    r.to = cidr(to);
    if (via != nullptr) r.via = ip(via);
    if (dev != nullptr) r.dev = dev;
    r.metric = metric;
    return r;
}

ObserveScope scope_of(std::vector<std::string> namespaces, std::vector<std::string> host) {
    ObserveScope s;
    s.namespaces = std::move(namespaces);
    s.host_interfaces = std::move(host);
    return s;
}

std::optional<Namespace> try_observe_namespace(Kernel& k, const std::string& ns) {
    const Topology t = k.observe(scope_of({ns}));
    const auto it = t.namespaces.find(ns);
    if (it == t.namespaces.end()) return std::nullopt;
    return it->second;
}

Namespace observe_namespace(Kernel& k, const std::string& ns) {
    auto n = try_observe_namespace(k, ns);
    REQUIRE(n);
    return *n;
}

std::optional<Interface> observe_host_link(Kernel& k, const std::string& ifname) {
    const Topology t = k.observe(scope_of({}, {ifname}));
    const auto it = t.host_interfaces.find(ifname);
    if (it == t.host_interfaces.end()) return std::nullopt;
    return it->second;
}

int errno_of(const Error& e) {
    REQUIRE(e.kernel().has_value());
    return e.kernel()->errno_value;
}

unsigned long thread_netns_inode() {
    struct stat st {};
    REQUIRE(stat("/proc/thread-self/ns/net", &st) == 0);
    return st.st_ino;
}

std::unique_ptr<Kernel> make_kernel() {
    return make_netlink_kernel(KernelOptions{});
}

void namespace_with_pair(Kernel& k, const std::string& ns, const std::string& a,
                         const std::string& b) {
    k.create_namespace(ns, "lab1");
    k.create_veth(Veth{{ns, a}, {ns, b}, {}}, "lab1");
    k.set_link_state(ns, a, LinkState::up);
    k.set_link_state(ns, b, LinkState::up);
}

std::string describe(const Interface& i) {
    std::string s = "{" + i.name + " " + to_string(i.kind) + " " + to_string(i.state);
    s += " mtu " + (i.mtu ? std::to_string(*i.mtu) : "-");
    s += " mac " + (i.mac ? i.mac->str() : "-");
    s += " owner '" + i.owner + "' addresses [";
    for (const auto& a : i.addresses) s += " " + a.str();
    return s + " ]}";
}

std::string describe(const Route& r) {
    return "{" + r.str() + "}";
}

std::string describe(const Namespace& n) {
    std::string s = "namespace " + n.name + " owner '" + n.owner + "'\n";
    for (const auto& [_, i] : n.interfaces) s += "  " + describe(i) + "\n";
    for (const auto& r : n.routes) s += "  route " + r.str() + "\n";
    for (const auto& [k, v] : n.sysctls) s += "  sysctl " + k + "=" + v + "\n";
    return s;
}

std::string describe(const Topology& t) {
    std::string s;
    for (const auto& [_, n] : t.namespaces) s += describe(n);
    for (const auto& [_, i] : t.host_interfaces) s += "host " + describe(i) + "\n";
    for (const auto& v : t.veths) s += "veth " + v.a.str() + " -- " + v.b.str() + "\n";
    return s;
}

}  // namespace nstopo::test
