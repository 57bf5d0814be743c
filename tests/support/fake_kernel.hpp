// An in-memory Kernel for planner, applier and CLI tests.
//
// It keeps namespaces (marked like the real ones: the lab named by their lo's mark), links (kind,
// state, mtu, mac, mark, addresses in the order added, veth peer), routes and sysctls, and
// enforces the kernel rules the planner and the applier depend on:
// - EEXIST for a namespace, a link name in the same namespace, an address on the same link (IPv4:
//   address and prefix length; IPv6: address alone, as the kernel keys them) or a route key
//   (destination, metric) that exists; ENODEV for a missing link; ENOENT for a missing namespace.
// - A gateway route needs the gateway inside the subnet of an address of an up link (the given
//   device, if any), else ENETUNREACH; a device route needs the device up, else ENETDOWN.
// - Deleting a veth end deletes its peer. Deleting a namespace deletes its links and the peers of
//   its veths elsewhere (at once, or after set_free_delay() observe() calls, like the kernel's
//   asynchronous cleanup: until then the peer stays, unpaired, and its name is taken).
// - Deleting the primary IPv4 address of a subnet (the first added) deletes the secondaries of that
//   subnet unless the namespace's net.ipv4.conf.all.promote_secondaries is "1"; then the next one
//   becomes primary. A link that loses its last IPv4 address loses its IPv4 routes; a link set
//   down, or deleted, loses all its routes.
// Each namespace gets an identity (the next cookie) and its links ifindexes counting up, as the
// kernel gives them.
// Processes: each started one gets the next pid and start time, and lives in its namespace (by
// identity, so a namespace deleted and made again under its name leaves it astray) until stopped
// or killed by hand; as in the kernel, deleting a namespace stops none of them. stop_process
// stops the process group (the process and what it forked without leaving the group);
// stop_processes_in every process whose namespace is one of those named, daemons included.
// Shaping: a link has at most one (its root qdisc); add_shaping refuses EEXIST on a shaped link,
// and any call that needs a qdisc kind qdisc_support() denies refuses ENOENT. Each qdisc made
// counts in qdiscs_made(), a change in place does not.
// Route protocols: every route nstopo adds is its own (kRouteProtocol); add_route_by_hand adds
// one of another protocol, which observe() leaves out of the host's Topology::host_routes.
// nftables (fake_nftables.cpp): a namespace holds tables by id; a table's canonical form is its
// body with runs of whitespace made one space, and its rules are the body's lines that are no
// chain or set header, no `type`/`policy` line, no brace and no comment. Deleting a namespace
// deletes its tables. canonical_table refuses a body that contains a word given to
// refuse_ruleset_word, at the line and column of that word, as nft names its errors.
// Not modelled: IPv6 addresses flushed on link down, carrier, route tables.
//
// Every mutating Kernel call is journaled ("create_namespace ns01"); a refused one ends in
// " -> EEXIST" (the errno's name). Errors are nstopo::Error(kernel) with a KernelContext, like the
// real kernel layer's. The test setup helpers (add_unmarked_namespace, add_link, set_mark) are not
// journaled.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nstopo/kernel.hpp"

namespace nstopo::test {

class FakeKernel : public Kernel {
  public:
    FakeKernel();

    Topology observe(const ObserveScope& scope) override;
    std::vector<std::string> list_namespaces() override;
    void create_namespace(const std::string& name, const std::string& lab) override;
    void delete_namespace(const std::string& name) override;
    void create_veth(const Veth& veth, const std::string& lab) override;
    void create_bridge(const std::string& ns, const std::string& ifname,
                       const BridgeOptions& options, const std::string& lab) override;
    void set_bridge_options(const std::string& ns, const std::string& ifname,
                            const BridgeOptions& options) override;
    void set_master(const std::string& ns, const std::string& ifname,
                    const std::string& master) override;
    void delete_link(const std::string& ns, const std::string& ifname) override;
    void set_link_state(const std::string& ns, const std::string& ifname, LinkState s) override;
    void set_mtu(const std::string& ns, const std::string& ifname, std::uint32_t mtu) override;
    void set_mac(const std::string& ns, const std::string& ifname, const MacAddress& mac) override;
    void add_address(const std::string& ns, const std::string& ifname, const Cidr& a,
                     Dad dad) override;
    void delete_address(const std::string& ns, const std::string& ifname, const Cidr& a) override;
    void add_route(const std::string& ns, const Route& r) override;
    void delete_route(const std::string& ns, const Route& r) override;
    void set_sysctl(const std::string& ns, const std::string& key,
                    const std::string& value) override;
    std::map<std::string, SysctlAccess> sysctl_access(
        const std::vector<std::string>& keys) override;
    void add_shaping(const std::string& ns, const std::string& ifname,
                     const Shaping& shaping) override;
    void change_shaping(const std::string& ns, const std::string& ifname, const Shaping& from,
                        const Shaping& to) override;
    void remove_shaping(const std::string& ns, const std::string& ifname) override;
    std::map<std::string, bool> qdisc_support(const std::vector<std::string>& kinds) override;
    CanonicalTable canonical_table(const NftTable& t) override;
    void load_table(const std::string& ns, const NftTable& t) override;
    void delete_table(const std::string& ns, const NftTable& t) override;
    ProcessIdentity start_process(
        const std::string& ns, const Process& p, const std::string& log_path,
        const std::function<void(const ProcessIdentity&)>& started) override;
    ProcessState process_state(const std::string& ns, const ProcessIdentity& id) override;
    void stop_process(const std::string& ns, const ProcessIdentity& id) override;
    void stop_processes_in(const std::vector<std::string>& namespaces) override;

    // --- test controls ---
    // Every mutating call so far, in order: "add_address ns01/ns01-veth0 192.168.0.1/24".
    const std::vector<std::string>& journal() const { return journal_; }
    void clear_journal() { journal_.clear(); }
    // The next call named `call` (the method's name: "add_route") fails with `errno_value` and
    // changes nothing.
    void fail_next(const std::string& call, int errno_value);
    // sysctl_access() answers `access` for `key` from now on (every key is writable by default),
    // and set_sysctl of that key fails as the kernel would (ENOENT, EACCES).
    void set_sysctl_access(const std::string& key, SysctlAccess access) {
        sysctl_access_[key] = access;
    }
    // qdisc_support() answers `supported` for `kind` from now on (every kind is by default).
    void set_qdisc_support(const std::string& kind, bool supported) {
        qdisc_support_[kind] = supported;
    }
    // canonical_table refuses every body with `word` in it, with nft's message `text`.
    void refuse_ruleset_word(const std::string& word, const std::string& text) {
        refused_words_[word] = text;
    }
    // Peers of a deleted namespace's veths vanish only after this many more observe() calls.
    void set_free_delay(int observes) { free_delay_ = observes; }

    // --- setup by hand (not journaled; throw std::logic_error on misuse) ---
    // A namespace made by someone else: its lo carries no mark.
    void add_unmarked_namespace(const std::string& name);
    // A link made by hand ("ip link add dummy0 type dummy"); a veth added so has no known peer.
    void add_link(const std::string& ns, const std::string& ifname, LinkKind kind,
                  const std::string& owner = "");
    // A table made (or changed) by hand in `ns` (`nft -f`): `body` as it would be loaded.
    void put_table(const std::string& ns, const std::string& family, const std::string& name,
                   const std::string& body);
    // The tables of `ns` by id, as observe() reports them.
    std::map<std::string, NftTable> tables(const std::string& ns) const {
        return spaces_.at(ns).tables;
    }
    // Rewrites a link's mark (a namespace's mark is its lo's).
    void set_mark(const std::string& ns, const std::string& ifname, const std::string& lab);
    // Sets a link's root qdisc by hand (`tc qdisc add ... root htb`: a foreign shaping; nullopt:
    // `tc qdisc del ... root`).
    void set_qdisc_by_hand(const std::string& ns, const std::string& ifname,
                           std::optional<Shaping> shaping);
    // A sysctl written by hand (`sysctl -w`).
    void set_sysctl_by_hand(const std::string& ns, const std::string& key,
                            const std::string& value);
    // A route added by hand (`ip route add`, protocol boot), not through the Kernel interface.
    void add_route_by_hand(const std::string& ns, const Route& r);

    // --- inspection ---
    bool has_namespace(const std::string& name) const;
    bool has_link(const std::string& ns, const std::string& ifname) const;
    // The link's addresses in kernel order (primaries before their secondaries).
    std::vector<Cidr> addresses(const std::string& ns, const std::string& ifname) const;
    // The namespace's identity and a link's ifindex, as observe() reports them.
    std::uint64_t identity(const std::string& ns) const { return spaces_.at(ns).cookie; }
    int ifindex(const std::string& ns, const std::string& ifname) const {
        return spaces_.at(ns).links.at(ifname).ifindex;
    }
    // The link's shaping, and how many qdiscs were made on it (by add and by a change that is
    // not in place).
    std::optional<Shaping> shaping(const std::string& ns, const std::string& ifname) const {
        return spaces_.at(ns).links.at(ifname).shaping;
    }
    int qdiscs_made(const std::string& ns, const std::string& ifname) const {
        return spaces_.at(ns).links.at(ifname).qdiscs_made;
    }
    // A sysctl's value; "0" for one never written.
    std::string sysctl(const std::string& ns, const std::string& key) const;

    // --- processes (not journaled) ---
    // What becomes of the next process started: it runs; it exits right after its exec; or
    // nstopo is killed between recording it and releasing it to exec (start_process throws after
    // `started` returned, and the program exits without running, as the real one does when the
    // pipe it waits on closes).
    enum class StartFate : std::uint8_t { runs, exits_at_once, nstopo_killed };
    void set_next_start(StartFate fate) { next_start_ = fate; }
    // Kills a process by hand (kill -9): it exits.
    void kill_process(int pid);
    // The process forks a daemon that leaves its group (setsid): a new live process in the same
    // namespace, in a group of its own. Returns its pid.
    int fork_daemon(int pid);
    // The pid of a process that exited is handed to a new, unrelated process (start time
    // differs), in the host namespace.
    void reuse_pid(int pid);
    // Live processes whose namespace is the one named `ns` now (by identity).
    int processes_in(const std::string& ns) const;
    // Live processes anywhere, those astray in deleted namespaces included.
    int live_processes() const;
    // The command line and log of the live process started under that name in `ns`; "" if none.
    std::string command_of(const std::string& ns, const std::string& name) const;
    std::string log_of(const std::string& ns, const std::string& name) const;

  private:
    struct Link {
        LinkKind kind = LinkKind::veth;
        LinkState state = LinkState::down;
        std::uint32_t mtu = 1500;
        MacAddress mac;
        std::string owner;
        std::vector<Cidr> addresses;  // in the order added
        std::optional<VethEnd> peer;
        std::string master;                   // a bridge of the same namespace, or ""
        std::optional<BridgeOptions> bridge;  // set on a bridge
        int frees_after = -1;  // observe() calls left before a freed link vanishes; -1: alive
        int ifindex = 0;
        std::optional<Shaping> shaping;  // its root qdisc; nullopt: the kernel's default
        int qdiscs_made = 0;
    };
    std::map<std::string, bool> qdisc_support_;
    std::map<std::string, SysctlAccess> sysctl_access_;
    struct Space {
        std::uint64_t cookie = 0;  // the namespace's identity: each new one gets the next
        int next_ifindex = 1;      // ifindexes go upwards, as the kernel's
        std::map<std::string, Link> links;
        std::vector<Route> routes;
        std::set<std::pair<Cidr, std::uint32_t>> by_hand;  // keys of routes added by hand
        std::map<std::string, std::string> sysctls;
        std::map<std::string, NftTable> tables;
    };
    struct Call {
        std::string name;  // "add_address": the journal's first word and fail_next's key
        std::string ns;
        std::string args;  // "ns01/ns01-veth0 192.168.0.1/24"
    };

    void begin(const Call& call);
    void require_qdiscs(const Call& call, const Shaping& s);
    [[noreturn]] void refuse(const Call& call, int errno_value);
    Space& space_or_refuse(const Call& call, const std::string& ns);
    Link& link_or_refuse(const Call& call, const std::string& ns, const std::string& ifname);
    Link make_loopback(const std::string& owner) const;
    Space& make_space(const std::string& name);
    void place(const std::string& ns, const std::string& ifname, Link link);
    void remove_link(const VethEnd& end);
    void flush_routes(const std::string& ns, const std::string& dev, std::optional<Family> only);
    std::optional<std::string> route_device(const Space& space, const Route& r, int& error) const;
    bool promotes_secondaries(const std::string& ns) const;
    void free_peers_of(const std::string& ns);
    void age_freed_links();
    Interface to_model(const std::string& name, const Link& link) const;
    Namespace to_model(const std::string& name, const Space& space,
                       const std::vector<std::string>& sysctl_keys) const;

    struct FakeProcess {
        ProcessIdentity id;
        int pgid = 0;
        std::uint64_t cookie = 0;  // the namespace it runs in, by identity
        std::string name, command, log;
        bool alive = true;
    };
    FakeProcess* find_process(const ProcessIdentity& id);
    ProcessIdentity next_identity(int pid = 0);

    std::map<std::string, Space> spaces_;  // kHostNamespace is the host's, always there
    std::vector<FakeProcess> processes_;   // every process ever started, in order
    int next_pid_ = 1000;
    StartFate next_start_ = StartFate::runs;
    std::uint64_t ticks_ = 100;
    std::vector<std::string> journal_;
    std::map<std::string, int> failures_;
    std::map<std::string, std::string> refused_words_;
    int free_delay_ = 0;
    std::uint32_t macs_made_ = 0;
    std::uint64_t cookies_made_ = 0;
};

}  // namespace nstopo::test
