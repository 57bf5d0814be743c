// `nstopo import`: namespaces made by hand (ip netns add, veths, addresses, routes, forwarding)
// read back into a Topology that a file can say, and what the file cannot say. Reads the kernel
// through Kernel::observe only: it never changes anything.
#pragma once

#include <string>
#include <vector>

#include "nstopo/kernel.hpp"
#include "nstopo/model.hpp"
#include "nstopo/state.hpp"

namespace nstopo {

struct ImportRequest {
    // The namespaces to read; empty: every namespace of the netns directory that no lab owns
    // (recorded by a lab of the state store, or wearing a lab's mark).
    std::vector<std::string> namespaces;
    // Host links to take as the lab's host ends (veths whose peer is an imported namespace).
    std::vector<std::string> host_interfaces;
    std::string lab = "imported";
    // Keep every link's MAC address (by default left to the kernel: a veth's is random).
    bool macs = false;
};

struct ImportResult {
    // The hand-made lab as the file says it: lo, veth ends and bridges with their addresses,
    // state, mtu (when not the kind's default), shaping; the veth pairs; main-table routes (a
    // device only where the gateway does not name it); both forwarding sysctls as observed.
    Topology topology;
    // What the namespaces hold that the file cannot say, one line each ("router01/vx0: a vxlan
    // link (nstopo makes veths and bridges)"), in namespace order.
    std::vector<std::string> not_imported;
    // Namespaces of the netns directory left out because a lab owns them ("ns01: lab 'pair'").
    std::vector<std::string> skipped;
};

// The pure part: `observed` (read with import_scope) as the lab `request` names. Error(usage)
// for a host interface of the request that is not there or not a veth end of the lab.
ImportResult imported_topology(const Topology& observed, const ImportRequest& request);

// What import reads of `namespaces`: their links, addresses, routes, tables, both forwarding keys,
// and the request's host links.
ObserveScope import_scope(const std::vector<std::string>& namespaces,
                          const std::vector<std::string>& host_interfaces);

// Chooses the namespaces (see ImportRequest::namespaces), reads them and makes the topology.
// Error(usage) naming a namespace of the request that does not exist, that a lab owns, or whose
// name a file cannot hold, or when there is nothing to import.
ImportResult import_namespaces(Kernel& kernel, const StateStore& store,
                               const ImportRequest& request);

}  // namespace nstopo
