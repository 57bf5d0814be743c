// A whole lab described once, built either through nstopo's Kernel or with `ip` commands, with
// the Topology that observe() must return for it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support.hpp"

namespace nstopo::test {

struct EndSpec {
    std::string ns;  // "" = host
    std::string ifname;
    std::vector<Cidr> addresses;
};

// A veth pair. A host end, if any, is `a`.
struct WireSpec {
    EndSpec a;
    EndSpec b;
};

struct RouteSpec {
    std::string ns;
    Route route;           // as observed (dev always set)
    bool give_dev = true;  // false: added without dev, the kernel resolves it
};

struct LabSpec {
    std::string lab;
    std::vector<std::string> namespaces;
    std::vector<WireSpec> wires;
    std::vector<RouteSpec> routes;
    std::map<std::string, std::map<std::string, std::string>> sysctls;  // per namespace
};

// SEEDS.md's "two routers in a row" lab with a host link, an IPv6 route and a veth whose two
// ends share a namespace. Namespace and interface names start with `prefix`.
LabSpec two_routers_lab(const std::string& prefix);
// `count` namespaces in a row, each wired to the next (10.X.Y.0/30 links), each with a route
// through its neighbour and its own sysctls (IPv4 forwarding on every other one, IPv6 DAD off).
// Big enough a `count` makes observe() read the namespaces on several threads.
LabSpec chain_lab(const std::string& prefix, int count);

void build_with_nstopo(Kernel& k, const LabSpec& spec);
void build_with_ip(const LabSpec& spec);

// Everything the lab holds (MAC addresses as `ip` reports them): what observe() must return.
Topology expected_topology(const LabSpec& spec);
// The scope that reads the whole lab, with or without its veths as hints.
ObserveScope lab_scope(const LabSpec& spec, bool with_hints);

// The lab's veths, as model values.
std::vector<Veth> lab_veths(const LabSpec& spec);

}  // namespace nstopo::test
