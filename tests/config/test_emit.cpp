// emit_topology: model -> YAML -> loader gives back the same model.
#include <algorithm>
#include <filesystem>

#include "load_helpers.hpp"

using namespace nstopo;
using nstopo::testing::yaml;
namespace fs = std::filesystem;

namespace {

Topology load_ok(const std::string& text, const std::string& file) {
    const LoadResult r = load_topology_text(text, file);
    std::string why;
    for (const auto& d : r.diagnostics)
        if (d.severity == Severity::error) why += format_diagnostic(d);
    INFO(file << "\n" << text << "\n" << why);
    REQUIRE(r.ok());
    return *r.topology;
}

// What the emitter leaves out by contract (config.hpp): processes and nftables tables.
Topology without_processes_and_tables(Topology t) {
    for (auto& [_, ns] : t.namespaces) {
        ns.processes.clear();
        ns.tables.clear();
    }
    return t;
}

void check_round_trip(const Topology& t) {
    const std::string text = emit_topology(t);
    INFO(text);
    CHECK(load_ok(text, "emitted.yaml") == t);
}

}  // namespace

TEST_CASE("every lab of topologies/ survives emit and load unchanged") {
    std::vector<fs::path> files;
    for (const auto& dir :
         {fs::path(NSTOPO_TOPOLOGIES_DIR), fs::path(NSTOPO_TOPOLOGIES_DIR) / "course"})
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 15);
    for (const auto& file : files) {
        INFO(file);
        const LoadResult r = load_topology_file(file);
        REQUIRE(r.ok());
        check_round_trip(without_processes_and_tables(*r.topology));
    }
}

TEST_CASE("what a hand-made lab can hold survives emit and load unchanged") {
    const Topology t = load_ok(yaml(R"(
name: every-setting
namespaces:
  r1:
    sysctls: { net.ipv4.ip_forward: 1, net.ipv4.conf.all.promote_secondaries: 0,
               net.ipv6.conf.default.accept_dad: 1, net.ipv4.conf.all.rp_filter: 2 }
    loopback: down
    interfaces:
      lo: { addresses: [10.255.0.1/32], mtu: 1280 }
      e0: { addresses: [10.0.0.1/24, 10.0.0.9/24, fd00::1/64], mtu: 9000,
            mac: 02:00:00:00:00:01, rate: 12mbit, netem: { delay: 40ms, jitter: 5ms, loss: 0.5%,
            duplicate: 1%, corrupt: 0.01%, reorder: 25% } }
      e1: { addresses: [10.0.1.1/24] }
      p0: {}
      p1: { state: down }
    bridges:
      br0: { ports: [p0, p1], stp: true, addresses: [10.0.2.1/24], mtu: 1400 }
      hub0: { hub: true, state: down }
    routes:
      - { to: default, via: 10.0.1.2 }
      - { to: 192.168.0.0/16, via: 10.0.0.2, dev: e0, metric: 7 }
      - { to: 172.16.0.0/12, dev: e1 }
      - { to: "fd01::/64", via: "fd00::2", metric: 1024 }
  r2:
    forwarding: true
    interfaces:
      f0: { addresses: [10.0.1.2/24] }
  sw: {}
veths:
  - [r1/e1, r2/f0]
  - [r1/e0, h0]
  - [r1/p0, sw/q0]
  - [r1/p1, sw/q1]
host:
  interfaces:
    h0: { addresses: [10.0.0.2/24], mtu: 9000 }
)"),
                               "every.yaml");
    check_round_trip(t);
}

TEST_CASE("emit writes the defaults out and the comments first") {
    Topology t = load_ok(yaml(R"(
name: pair
namespaces:
  a: { interfaces: { a0: { addresses: [192.168.0.1/24] } }, forwarding: true }
  b: { routes: [{ to: default, via: 192.168.0.1 }], interfaces: { b0: { addresses: [192.168.0.2/24] } } }
veths:
  - [a/a0, b/b0]
)"),
                         "pair.yaml");
    CHECK(emit_topology(t, {"made by a test", "", "not imported: x"}) == yaml(R"(
# made by a test
#
# not imported: x
name: pair
namespaces:
  a:
    forwarding: true
    interfaces:
      a0: {addresses: [192.168.0.1/24]}
  b:
    interfaces:
      b0: {addresses: [192.168.0.2/24]}
    routes:
      - {to: default, via: 192.168.0.1}
veths:
  - [a/a0, b/b0]
)"));
}
