// The topology as the file writes it, before completion: model values plus where each was written.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo::config {

struct DraftInterface {
    Interface iface;                            // as written; `where` is its key
    std::vector<SourceLocation> address_where;  // parallel to iface.addresses
};

struct DraftPort {
    std::string name;
    SourceLocation where;
};

struct DraftBridge {
    DraftInterface link;           // kind bridge; `where` is its key
    std::vector<DraftPort> ports;  // in file order
    bool stp = false;
    bool hub = false;
    SourceLocation stp_where;  // where `stp:` was written; unknown if not
    SourceLocation hub_where;
};

struct DraftRoute {
    Route route;  // metric defaulted by family
    SourceLocation via_where;
    SourceLocation dev_where;
};

struct DraftSysctl {
    std::string value;     // whitespace normalized
    SourceLocation where;  // its key
};

struct DraftProcess {
    Process process;  // paths absolute and resolved; `where` is its key
};

struct DraftNat {
    NatRule rule;  // `where` is the entry's map
    SourceLocation ifname_where;
};

// The `nftables:` file, read.
struct DraftNftFile {
    std::string path;  // as messages name it: the lab file's folder joined with the name written
    std::string text;
    SourceLocation where;  // the value of `nftables:`
};

struct DraftNamespace {
    std::string name;
    SourceLocation where;                              // its key
    std::map<std::string, DraftInterface> interfaces;  // as listed under `interfaces:`
    std::map<std::string, DraftBridge> bridges;        // as listed under `bridges:`
    std::vector<DraftRoute> routes;                    // in file order
    std::optional<bool> forwarding;
    LinkState loopback = LinkState::up;
    std::map<std::string, DraftSysctl> sysctls;     // as written under `sysctls:`
    std::map<std::string, DraftProcess> processes;  // those that could be read
    std::vector<DraftNat> nat;                      // `nat:`, those that could be read
    SourceLocation nat_where;                       // its key
    std::optional<DraftNftFile> nftables;           // `nftables:`, if it could be read
};

struct DraftVeth {
    Veth veth;  // `where` is the veth's list
    SourceLocation a_where;
    SourceLocation b_where;
};

struct DraftCheck {
    Check check;  // `where` is the check's map
    SourceLocation from_where;
    SourceLocation to_where;
    SourceLocation source_where;
};

struct DraftLanMember {
    VethEnd end;  // never in the host
    SourceLocation where;
};

// One entry of `lans:` as written: `lan1: [h1/eth0, ...]`, or the long form
// `lan1: { members: [...], hub: true, stp: false }`.
struct DraftLan {
    std::string name;
    SourceLocation where;                 // its key
    std::vector<DraftLanMember> members;  // in file order, those that could be read
    bool stp = false;
    bool hub = false;
    SourceLocation stp_where;
    SourceLocation hub_where;
};

// `host: uplink:` as written.
struct DraftUplink {
    Uplink uplink;  // `where` is its key
    SourceLocation out_where;
    std::vector<SourceLocation> subnet_where;  // parallel to uplink.subnets
};

struct Draft {
    std::optional<std::string> name;
    SourceLocation name_where;
    std::map<std::string, DraftNamespace> namespaces;
    std::map<std::string, DraftInterface> host_interfaces;  // as listed under `host: interfaces:`
    std::map<std::string, DraftBridge> host_bridges;        // as listed under `host: bridges:`
    std::vector<DraftRoute> host_routes;                    // `host: routes:`, in file order
    std::optional<DraftUplink> uplink;                      // `host: uplink:`, if it could be read
    std::vector<DraftVeth> veths;                           // those whose two ends could be read
    std::vector<DraftCheck> checks;                         // those that could be read
    std::vector<DraftLan> lan_entries;                      // `lans:` as written, in file order
    // The LANs expand_lans turned into namespaces, bridges and veths above, by name.
    std::map<std::string, Lan> lans;
};

}  // namespace nstopo::config
