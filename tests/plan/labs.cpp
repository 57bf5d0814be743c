#include "labs.hpp"

#include <cstdio>

#include "lab_builder.hpp"

namespace nstopo::test {

Topology pair_lab() {
    return LabBuilder("pair")
        .ns("ns01")
        .ns("ns02")
        .veth("ns01/ns01-veth0", "ns02/ns02-veth0")
        .address("ns01/ns01-veth0", "192.168.0.1/24")
        .address("ns02/ns02-veth0", "192.168.0.2/24")
        .build();
}

Topology two_routers_lab() {
    return LabBuilder("two-routers")
        .ns("ns01")
        .ns("router01")
        .ns("router02")
        .ns("ns02")
        .forwarding("router01")
        .forwarding("router02")
        .veth("ns01/ns01-veth0", "router01/gw01-veth0")
        .veth("router01/gw01-veth1", "router02/gw02-veth0")
        .veth("router02/gw02-veth1", "ns02/ns02-veth0")
        .address("ns01/ns01-veth0", "192.168.0.1/24")
        .address("router01/gw01-veth0", "192.168.0.254/24")
        .address("router01/gw01-veth1", "172.16.0.1/24")
        .address("router02/gw02-veth0", "172.16.0.2/24")
        .address("router02/gw02-veth1", "10.0.0.254/24")
        .address("ns02/ns02-veth0", "10.0.0.1/24")
        .route("ns01", "default", "192.168.0.254")
        .route("ns02", "default", "10.0.0.254")
        .route("router01", "10.0.0.0/24", "172.16.0.2")
        .route("router02", "192.168.0.0/24", "172.16.0.1")
        .build();
}

Topology host_link_lab() {
    return LabBuilder("host-link")
        .ns("netns1")
        .veth("veth0", "netns1/veth1")
        .address("netns1/veth1", "10.1.1.1/24")
        .address("veth0", "10.1.1.2/24")
        .build();
}

Topology shaped_pair_lab(std::uint64_t rate, std::optional<Netem> netem) {
    Topology t = pair_lab();
    Shaping& s = link_in(t, "ns01/ns01-veth0").shaping.emplace(rate_of(rate));
    s.netem = netem;
    return t;
}

Topology host_routes_lab() {
    return LabBuilder("host-routes")
        .ns("netns1")
        .ns("netns2")
        .forwarding("netns1")
        .veth("veth0", "netns1/veth1")
        .veth("netns1/veth2", "netns2/veth3")
        .address("netns1/veth1", "10.1.1.1/24")
        .address("veth0", "10.1.1.2/24")
        .address("netns1/veth2", "10.0.1.1/24")
        .address("netns2/veth3", "10.0.1.2/24")
        .route("netns2", "default", "10.0.1.1")
        .route(kHostNamespace, "10.0.1.0/24", "10.1.1.1")
        .build();
}

Topology lan_lab() {
    return LabBuilder("lan")
        .ns("h1")
        .ns("h2")
        .ns("h3")
        .ns("sw1")
        .veth("h1/eth0", "sw1/sw1-p1")
        .veth("h2/eth0", "sw1/sw1-p2")
        .veth("h3/eth0", "sw1/sw1-p3")
        .bridge("sw1/br0", {"sw1-p1", "sw1-p2", "sw1-p3"})
        .address("sw1/br0", "10.0.1.254/24")
        .address("h1/eth0", "10.0.1.1/24")
        .address("h2/eth0", "10.0.1.2/24")
        .address("h3/eth0", "10.0.1.3/24")
        .build();
}

Topology host_bridge_lab() {
    return LabBuilder("host-bridge")
        .ns("h1")
        .ns("h2")
        .veth("h1/eth0", "veth0")
        .veth("h2/eth0", "veth2")
        .bridge("br-lab", {"veth0", "veth2"})
        .address("br-lab", "10.1.1.254/24")
        .address("h1/eth0", "10.1.1.1/24")
        .address("h2/eth0", "10.1.1.2/24")
        .build();
}

namespace {

std::string name_of(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "ns%04d", i);
    return buf;
}

// The address of side `side` (1 or 2) of the pair between namespaces i and i + 1.
std::string pair_address(int i, int side, bool with_prefix) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "10.%d.%d.%d%s", i / 64, (i % 64) * 4, side,
                  with_prefix ? "/30" : "");
    return buf;
}

}  // namespace

Topology chain_lab(int n) {
    LabBuilder b("chain");
    for (int i = 0; i < n; ++i) b.ns(name_of(i));
    for (int i = 0; i + 1 < n; ++i) {
        const std::string left = name_of(i) + "/right", right = name_of(i + 1) + "/left";
        b.veth(left, right)
            .address(left, pair_address(i, 1, true))
            .address(right, pair_address(i, 2, true))
            .route(name_of(i + 1), "default", pair_address(i, 1, false));
    }
    return b.build();
}

}  // namespace nstopo::test
