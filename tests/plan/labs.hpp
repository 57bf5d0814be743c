// The hand-made labs of /work/shared/SEEDS.md, as the loader would complete them.
#pragma once

#include <cstdint>
#include <optional>

#include "nstopo/model.hpp"

namespace nstopo::test {

Topology pair_lab();         // ns01 -- ns02 on one cable
Topology two_routers_lab();  // ns01 -- router01 -- router02 -- ns02, forwarding on the routers
Topology host_link_lab();
// pair_lab with `rate` on ns01-veth0 (10mbit) and, if given, netem on it too.
Topology shaped_pair_lab(std::uint64_t rate = 10'000'000, std::optional<Netem> netem = {});
// The host -- netns1 (a router) -- netns2, with a host route to netns2's subnet through netns1.
Topology host_routes_lab();
Topology lan_lab();  // h1, h2, h3 -- sw1 (bridge br0 with 10.0.1.254/24)
Topology
host_bridge_lab();  // h1, h2 -- host bridge br-lab (10.1.1.254/24)    // host veth0 -- netns1 veth1

// A chain of `n` namespaces, each wired to the next by a veth pair (/30 per pair), with a default
// route towards the previous namespace: about 3n links.
Topology chain_lab(int n);

}  // namespace nstopo::test
