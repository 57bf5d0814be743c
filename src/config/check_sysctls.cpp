// Checks of each namespace's `sysctls:` keys against what a lab namespace of this kernel has.
// Only what the file alone decides: whether a key exists in the running kernel (a module not
// loaded, a read-only key) is checked at plan time.
#include <algorithm>
#include <set>
#include <string_view>

#include "check.hpp"

namespace nstopo::config {

namespace {

// Keys the kernel has in the initial (host) network namespace only: the keys under
// /proc/sys/net of the host that a namespace made by `ip netns add` lacks, on Linux 6.18 with the
// modules loaded here (`find /proc/sys/net -type f`, in both). A lab namespace has no such file,
// so setting one could only fail. Older kernels have more: net.core.rmem_max, wmem_max,
// rmem_default, wmem_default and optmem_max are per namespace on this kernel, not on every one;
// the plan-time check catches those.
const std::set<std::string, std::less<>> kInitialNamespaceOnly = {
    "net.core.bpf_jit_enable",
    "net.core.bpf_jit_harden",
    "net.core.bpf_jit_kallsyms",
    "net.core.bpf_jit_limit",
    "net.core.busy_poll",
    "net.core.busy_read",
    "net.core.default_qdisc",
    "net.core.dev_weight",
    "net.core.dev_weight_rx_bias",
    "net.core.dev_weight_tx_bias",
    "net.core.devconf_inherit_init_net",
    "net.core.fb_tunnels_only_for_init_net",
    "net.core.flow_limit_cpu_bitmap",
    "net.core.flow_limit_table_len",
    "net.core.gro_normal_batch",
    "net.core.high_order_alloc_disable",
    "net.core.max_skb_frags",
    "net.core.mem_pcpu_rsv",
    "net.core.message_burst",
    "net.core.message_cost",
    "net.core.netdev_budget",
    "net.core.netdev_budget_usecs",
    "net.core.netdev_max_backlog",
    "net.core.netdev_rss_key",
    "net.core.netdev_tstamp_prequeue",
    "net.core.netdev_unregister_timeout_secs",
    "net.core.rps_sock_flow_entries",
    "net.core.skb_defer_max",
    "net.core.warnings",
    "net.ipv4.cipso_cache_bucket_size",
    "net.ipv4.cipso_cache_enable",
    "net.ipv4.cipso_rbm_optfmt",
    "net.ipv4.cipso_rbm_strictvalid",
    "net.ipv4.fib_sync_mem",
    "net.ipv4.inet_peer_maxttl",
    "net.ipv4.inet_peer_minttl",
    "net.ipv4.inet_peer_threshold",
    "net.ipv4.ipfrag_secret_interval",
    "net.ipv4.route.error_burst",
    "net.ipv4.route.error_cost",
    "net.ipv4.route.gc_elasticity",
    "net.ipv4.route.gc_interval",
    "net.ipv4.route.gc_min_interval",
    "net.ipv4.route.gc_min_interval_ms",
    "net.ipv4.route.gc_thresh",
    "net.ipv4.route.gc_timeout",
    "net.ipv4.route.max_size",
    "net.ipv4.route.redirect_load",
    "net.ipv4.route.redirect_number",
    "net.ipv4.route.redirect_silence",
    "net.ipv4.tcp_available_ulp",
    "net.ipv4.tcp_low_latency",
    "net.ipv4.tcp_max_orphans",
    "net.ipv4.tcp_mem",
    "net.ipv4.udp_mem",
    "net.ipv6.calipso_cache_bucket_size",
    "net.ipv6.calipso_cache_enable",
    "net.ipv6.ip6frag_secret_interval",
    "net.ipv6.mld_max_msf",
    "net.ipv6.mld_qrv",
    "net.netfilter.nf_log_all_netns",
    "net.nf_conntrack_max",
};

// Whole directories of such keys: the neighbour tables' defaults (arp_init and ndisc_init
// register them for the initial namespace only).
const std::vector<std::string_view> kInitialNamespaceOnlyDirs = {"net.ipv4.neigh.default.",
                                                                 "net.ipv6.neigh.default."};

// Directories with one subdirectory per interface of the namespace, and which other names they
// hold (conf/all sets every interface, conf/default each new one).
struct PerInterfaceDir {
    std::string_view prefix;
    std::vector<std::string> own;
};
const std::vector<PerInterfaceDir> kPerInterfaceDirs = {
    {"net.ipv4.conf.", {"all", "default"}},
    {"net.ipv6.conf.", {"all", "default"}},
    {"net.ipv4.neigh.", {}},
    {"net.ipv6.neigh.", {}},
};

// Interface lists in messages stop after this many names.
constexpr std::size_t kListedInterfaces = 8;

bool only_in_initial_namespace(const std::string& key) {
    if (kInitialNamespaceOnly.contains(key)) return true;
    for (const auto dir : kInitialNamespaceOnlyDirs)
        if (key.starts_with(dir)) return true;
    return false;
}

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < kListedInterfaces; ++i)
        out += (i == 0 ? "" : ", ") + names[i];
    if (names.size() > kListedInterfaces)
        out += " and " + std::to_string(names.size() - kListedInterfaces) + " more";
    return out;
}

// A key of a per-interface directory names an interface by its first level after the directory
// ("ghost0" in net.ipv4.conf.ghost0.forwarding): one the namespace will have, or the directory's
// own names.
void check_interface_of(const std::string& key, const DraftSysctl& s, const Namespace& ns,
                        Diagnostics& diags) {
    const auto dir =
        std::find_if(kPerInterfaceDirs.begin(), kPerInterfaceDirs.end(),
                     [&](const PerInterfaceDir& d) { return key.starts_with(d.prefix); });
    if (dir == kPerInterfaceDirs.end()) return;
    const auto rest = std::string_view(key).substr(dir->prefix.size());
    const std::string ifname(rest.substr(0, rest.find('.')));
    if (ns.interfaces.contains(ifname)) return;
    if (std::find(dir->own.begin(), dir->own.end(), ifname) != dir->own.end()) return;
    std::vector<std::string> has;
    for (const auto& [name, _] : ns.interfaces) has.push_back(name);
    auto candidates = has;
    candidates.insert(candidates.end(), dir->own.begin(), dir->own.end());
    diags.error(s.where, "sysctl " + quote(key) + " names interface " + quote(ifname) +
                             ", which namespace " + quote(ns.name) +
                             " will not have (its interfaces: " + name_list(has) + ")" +
                             did_you_mean(ifname, candidates));
}

}  // namespace

void check_sysctls(const Draft& draft, const Topology& completed, Diagnostics& diags) {
    for (const auto& [name, dns] : draft.namespaces) {
        const Namespace& ns = completed.namespaces.at(name);
        for (const auto& [key, s] : dns.sysctls) {
            if (only_in_initial_namespace(key))
                diags.error(s.where, "sysctl " + quote(key) +
                                         " exists only in the host's own network namespace; the "
                                         "kernel gives a lab namespace no such key");
            else
                check_interface_of(key, s, ns, diags);
        }
    }
}

}  // namespace nstopo::config
