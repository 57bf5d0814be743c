// The kernel interface: everything nstopo reads from or changes in the kernel goes through it.
// The real implementation (libnl) lives in src/kernel and is made by make_netlink_kernel(); tests
// use a fake that keeps a Topology in memory. Every `ns` parameter is a namespace name, or
// kHostNamespace ("") for the host's own namespace.
//
// Every method throws nstopo::Error (kind kernel, with a KernelContext) when the kernel refuses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nstopo/model.hpp"
#include "nstopo/ownership.hpp"

namespace nstopo {

// What observe() reads.
struct ObserveScope {
    std::vector<std::string> namespaces;       // read these if they exist; missing ones are absent
    std::vector<std::string> host_interfaces;  // read these host links if they exist
    // Per namespace, the sysctl keys to read (relative to /proc/sys, dotted).
    std::map<std::string, std::vector<std::string>> sysctls;
    // Also read the host's routing (Topology::host_routing): its main-table routes and every
    // host link's addresses.
    bool host_routing = false;
    // Also read every nftables table of each namespace of the scope (Namespace::tables).
    bool nftables = true;
    // Host tables to read if they exist (NftTable::id(): "ip nstopo-lab"), into
    // Topology::host_tables; no other host table is returned.
    std::vector<std::string> host_tables;
    // Host sysctl keys to read (those the kernel has), into Topology::host_sysctls.
    std::vector<std::string> host_sysctls;
    // Veth pairs the caller expects; the observer uses them as hints to resolve peers cheaply.
    // A veth whose peer is not found through a hint is still resolved, only more slowly.
    std::vector<Veth> expected_veths;
};

// Whether a lab namespace made now lets nstopo write a sysctl key.
enum class SysctlAccess : std::uint8_t {
    writable,
    missing,    // no such key in this kernel (or the module that provides it is not loaded)
    read_only,  // the key exists but refuses writes (in this namespace's user namespace)
};

// Why a missing key cannot be set, in the words both the plan-time check and the kernel layer use.
inline constexpr const char* kNoSuchSysctl =
    "no such sysctl in this kernel (or the module that provides it is not loaded)";

// What the kernel's nftables parser made of a table (Kernel::canonical_table).
struct CanonicalTable {
    // One message of nft's: at line `body_line` (1-based; 0 = no line of the body) and
    // `column` of NftTable::body, with nft's own text and the lines it shows under it.
    struct Message {
        int body_line = 0;
        int column = 0;
        std::string text;    // "syntax error, unexpected rule"
        std::string detail;  // the source line and nft's carets, as nft prints them
    };
    bool accepted = false;
    std::string canonical;        // accepted: NftTable::canonical
    int rules = 0;                // accepted: NftTable::rules
    std::vector<Message> errors;  // refused: nft's messages, or why the result is not the table
};

class Kernel {
  public:
    virtual ~Kernel() = default;

    // Reads the scope into a normalized Topology (name empty). Leaves out what the kernel manages
    // itself: kernel-protocol routes, IPv6 link-local addresses and routes, the local and multicast
    // tables, lo's 127.0.0.1/8 and ::1/128, operational state. Veths appear in `veths` when both
    // ends are inside the scope (a namespace of the scope, or a host interface of the scope).
    virtual Topology observe(const ObserveScope& scope) = 0;
    // Names of every namespace in the netns directory, whoever made it, sorted.
    virtual std::vector<std::string> list_namespaces() = 0;

    // Creates a named namespace like `ip netns add` and marks its lo with link_mark(lab).
    // Fails (EEXIST) if the name exists.
    virtual void create_namespace(const std::string& name, const std::string& lab) = 0;
    // Deletes a named namespace like `ip netns del`. Its links go with it, asynchronously.
    virtual void delete_namespace(const std::string& name) = 0;
    // Creates a veth pair with each end created directly in its namespace, both marked
    // link_mark(lab), both down. Fails (EEXIST) if either name exists.
    virtual void create_veth(const Veth& veth, const std::string& lab) = 0;
    // Creates a bridge with these options, marked link_mark(lab), down. Fails (EEXIST) if the
    // name exists.
    virtual void create_bridge(const std::string& ns, const std::string& ifname,
                               const BridgeOptions& options, const std::string& lab) = 0;
    // Sets the STP state and ageing time of an existing bridge.
    virtual void set_bridge_options(const std::string& ns, const std::string& ifname,
                                    const BridgeOptions& options) = 0;
    // Makes the link a port of bridge `master` of the same namespace (moving it from any other
    // bridge), or with master "" detaches it from its bridge.
    virtual void set_master(const std::string& ns, const std::string& ifname,
                            const std::string& master) = 0;
    virtual void delete_link(const std::string& ns, const std::string& ifname) = 0;
    virtual void set_link_state(const std::string& ns, const std::string& ifname, LinkState s) = 0;
    virtual void set_mtu(const std::string& ns, const std::string& ifname, std::uint32_t mtu) = 0;
    virtual void set_mac(const std::string& ns, const std::string& ifname,
                         const MacAddress& mac) = 0;
    // An IPv6 address with Dad::skip is usable at once (no duplicate address detection).
    virtual void add_address(const std::string& ns, const std::string& ifname, const Cidr& a,
                             Dad dad) = 0;
    virtual void delete_address(const std::string& ns, const std::string& ifname,
                                const Cidr& a) = 0;
    // Adds to the main table with protocol kRouteProtocol. `r.dev` may be unset when `r.via` is.
    virtual void add_route(const std::string& ns, const Route& r) = 0;
    virtual void delete_route(const std::string& ns, const Route& r) = 0;
    // --- traffic control: the root qdisc of a link (Shaping) -------------------------------------
    // Layouts: `rate` alone is a TBF root (handle 1:); `netem` is a netem root (handle 2:), with
    // `rate` a TBF child of it (handle 20:, parent 2:1). TBF's burst and queue are derived from
    // the rate (see docs/reference.md, "Traffic control").
    // Gives a link that has the kernel's default qdisc `shaping`.
    virtual void add_shaping(const std::string& ns, const std::string& ifname,
                             const Shaping& shaping) = 0;
    // From `from` (what the link has, as observed) to `to`. Where both have the same layout and
    // `from` is nstopo's, each qdisc is changed in place (like `tc qdisc change`: same handle,
    // its statistics and queued packets kept), a child added or removed as needed; otherwise the
    // root qdisc is removed and `to` added.
    virtual void change_shaping(const std::string& ns, const std::string& ifname,
                                const Shaping& from, const Shaping& to) = 0;
    // Deletes the link's root qdisc: the kernel gives it its default again. Nothing to do when it
    // has the default already.
    virtual void remove_shaping(const std::string& ns, const std::string& ifname) = 0;
    // Whether this kernel can make each qdisc kind of `kinds` ("tbf", "netem"): asked before a
    // plan runs, so that a kind the kernel lacks (its module, sch_netem, not built or not loaded)
    // stops the plan before its first change. Answered by making the qdisc on lo of a scratch
    // namespace.
    virtual std::map<std::string, bool> qdisc_support(const std::vector<std::string>& kinds) = 0;

    // Writes /proc/sys/KEY (dots become slashes) from inside the namespace.
    virtual void set_sysctl(const std::string& ns, const std::string& key,
                            const std::string& value) = 0;
    // Whether each of `keys` can be written in a lab namespace, as one made now would have it:
    // asked before a plan runs, so that a key the kernel lacks or keeps read-only stops the plan
    // before its first change. An interface's key (net.ipv4.conf.IFNAME.*) is answered by the key
    // every new link copies (conf.default.*), as the interface may not exist yet.
    virtual std::map<std::string, SysctlAccess> sysctl_access(
        const std::vector<std::string>& keys) = 0;

    // --- nftables, through libnftables in the namespace -----------------------------------------
    // Loads table `t` (its body) into a scratch namespace made for the question, lists it back,
    // and answers its canonical form, or why it is refused: nft's messages, or a result that is
    // not exactly one table `t.id()` (a body that declared or deleted another one). Changes
    // nothing anywhere else.
    virtual CanonicalTable canonical_table(const NftTable& t) = 0;
    // Makes table `t` of namespace `ns` exactly `t.body`, in one transaction (replace_script).
    virtual void load_table(const std::string& ns, const NftTable& t) = 0;
    // Deletes table `t.family` `t.name` of namespace `ns`.
    virtual void delete_table(const std::string& ns, const NftTable& t) = 0;

    // --- processes: not netlink state, but what a lab runs inside its namespaces ---------------
    // Starts `p` detached inside namespace `ns` (see nstopo/process_start.hpp), its output
    // appended to `log_path`. `started` gets the program's identity before the program is
    // executed: what it records survives nstopo being killed at any later point, and when it
    // throws, the program is not executed and the error goes on. Error(kernel) naming the
    // process and the step when the program cannot be started (no such program, not
    // executable, unknown or unmapped user).
    virtual ProcessIdentity start_process(
        const std::string& ns, const Process& p, const std::string& log_path,
        const std::function<void(const ProcessIdentity&)>& started) = 0;
    // How process `id`, which the lab started in `ns`, is now: running there, astray (running,
    // but not in the namespace that has the name `ns` now) or exited (gone, or its pid reused).
    virtual ProcessState process_state(const std::string& ns, const ProcessIdentity& id) = 0;
    // Stops `id` and its process group: SIGTERM, then SIGKILL after a bounded wait. Nothing to do
    // when it is gone; Error(kernel) when something of the group survives SIGKILL.
    virtual void stop_process(const std::string& ns, const ProcessIdentity& id) = 0;
    // Stops every process whose network namespace is one of `namespaces` (those that exist),
    // whoever started it and whatever session it made itself (a daemon that forked away from
    // its group): called before they are deleted, so no process keeps a deleted namespace alive.
    // Error(verification) naming what survives.
    virtual void stop_processes_in(const std::vector<std::string>& namespaces) = 0;
};

struct KernelOptions {
    std::filesystem::path netns_dir = "/run/netns";
};

// The libnl implementation. Defined in the nstopo_kernel library only.
// The "host" of its `ns` parameters is the network namespace the calling thread is in now. It keeps
// one netlink socket (one fd) per namespace it has touched, so it raises the process's soft limit
// of open files to the hard one. Use it from one thread at a time; every call returns the calling
// thread to the network namespace it was in.
std::unique_ptr<Kernel> make_netlink_kernel(const KernelOptions& options);

}  // namespace nstopo
