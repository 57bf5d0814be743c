// Reading a YamlTree into a Draft: shapes, keys and values. Cross references are checked later.
#pragma once

#include "draft.hpp"
#include "reader.hpp"
#include "yaml_tree.hpp"

namespace nstopo::config {

// The whole document. Whatever cannot be read is reported and left out.
Draft read_draft(const YamlTree& tree, Diagnostics& diags);

// `namespaces:` (read_namespaces.cpp).
void read_namespaces(const Reader& r, NodeId id, Draft& draft);
// `host:` (read_namespaces.cpp).
void read_host(const Reader& r, NodeId id, Draft& draft);
// `host: uplink:` (its key and value) into draft.uplink (read_uplink.cpp).
void read_uplink(const Reader& r, NodeId key, NodeId value, Draft& draft);
// One route of a namespace's `routes:` (read_routes.cpp).
std::optional<DraftRoute> read_route(const Reader& r, NodeId id);
// A link's `rate:`, in bits per second (read_shaping.cpp).
std::optional<std::uint64_t> read_rate(const Reader& r, NodeId id);
// A link's `netem:` (read_shaping.cpp).
std::optional<Netem> read_netem(const Reader& r, NodeId id);
// A namespace's `processes:` (read_processes.cpp). Paths are resolved against the folder of the
// diagnostics' file.
void read_processes(const Reader& r, NodeId id, DraftNamespace& ns);
// `text` (a path relative to the lab file's folder) as an absolute path without symbolic links
// that stays inside that folder, or "" after a diagnostic at `id` (read_processes.cpp).
std::string resolve_in_lab(const Reader& r, NodeId id, const std::string& what,
                           const std::string& text, bool want_directory);
// A namespace's `nat:` and `nftables:` (read_nftables.cpp).
void read_nat(const Reader& r, NodeId key, NodeId value, DraftNamespace& ns);
void read_nftables_file(const Reader& r, NodeId id, DraftNamespace& ns);
// `veths:` (read_veths.cpp).
void read_veths(const Reader& r, NodeId id, Draft& draft);
// One veth end: NAMESPACE/INTERFACE, INTERFACE (the host) or the long form (read_veths.cpp).
std::optional<VethEnd> read_veth_end(const Reader& r, NodeId id);
// `lans:` (read_lans.cpp).
void read_lans(const Reader& r, NodeId id, Draft& draft);
// `checks:` (read_checks.cpp).
void read_checks(const Reader& r, NodeId id, Draft& draft);

}  // namespace nstopo::config
