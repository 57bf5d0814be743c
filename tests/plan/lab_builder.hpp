// Builds desired Topology values in C++ the way the loader completes them, for planner tests
// (the YAML loader is a layer above the planner and not linked here).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/plan.hpp"

namespace nstopo::test {

// "ns01/ns01-veth0" -> {ns01, ns01-veth0}; "veth0" -> a host end.
VethEnd parse_end(const std::string& text);

// Every call adds one line to a pretend file "LAB.yaml", so every object has a distinct, known
// location (line N, column 1).
class LabBuilder {
  public:
    explicit LabBuilder(std::string lab);

    // A namespace as completed by the loader: lo up, forwarding off, promote_secondaries on.
    LabBuilder& ns(const std::string& name);
    // `forwarding: true|false`: both forwarding keys.
    LabBuilder& forwarding(const std::string& ns, bool on = true);
    LabBuilder& sysctl(const std::string& ns, const std::string& key, const std::string& value);
    // A veth pair, both ends up.
    LabBuilder& veth(const std::string& a, const std::string& b);
    // A bridge "ns/br0" (or a host "br0"), up, with these ports of its namespace.
    LabBuilder& bridge(const std::string& at, const std::vector<std::string>& ports,
                       BridgeOptions options = {});
    LabBuilder& address(const std::string& end, const std::string& cidr);
    LabBuilder& state(const std::string& end, LinkState s);  // "ns01/lo" for `loopback:`
    LabBuilder& mtu(const std::string& end, std::uint32_t mtu);
    LabBuilder& mac(const std::string& end, const std::string& mac);
    // A route (`ns` "" for a host route, `host: routes:`): `to` is "default" or a prefix; `via`
    // "" for none; the family's default metric unless given.
    LabBuilder& route(const std::string& ns, const std::string& to, const std::string& via,
                      std::optional<std::string> dev = std::nullopt,
                      std::optional<std::uint32_t> metric = std::nullopt);

    Topology build() const;  // normalized

  private:
    SourceLocation next_location();
    Interface& link(const std::string& end);

    Topology t_;
    int line_ = 0;
};

// The file of a lab that declares nothing: what teardown plans against.
Topology empty_lab(const std::string& lab);

// Editing a built topology, for "the file changed" cases.
Interface& link_in(Topology& t, const std::string& end);
// Removes a namespace, its veths and their other ends.
void drop_namespace(Topology& t, const std::string& name);
// Renames a veth end (and its interface).
void rename_end(Topology& t, const std::string& end, const std::string& new_name);

// A shaping of `rate` alone.
Shaping rate_of(std::uint64_t bits_per_second);

// What the apply layer records after applying `t`: its namespaces, host interfaces and host
// routes.
LabClaims recorded_state(const Topology& t);

}  // namespace nstopo::test
