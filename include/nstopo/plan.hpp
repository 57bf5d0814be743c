// The plan layer: a pure function from (desired, observed) to an ordered list of operations.
// No kernel access, no I/O.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "nstopo/kernel.hpp"
#include "nstopo/model.hpp"

namespace nstopo {

// Bring-up order. Teardown runs the same phases in reverse. A sysctl under
// net.ipv{4,6}.conf.default. belongs to the namespaces phase (see sysctl_shapes_new_links()).
// Processes come last on bring-up (a program finds its network complete) and so first on
// teardown (stopped before the namespace they run in is deleted). Shaping (traffic control) comes
// once links exist and are up, before the processes that send traffic through them; nftables
// tables come after the routes: a ruleset may name any link of its namespace.
enum class Phase {
    namespaces,
    veths,
    sysctls,
    links,
    addresses,
    routes,
    shaping,
    firewall,
    processes
};
std::string to_string(Phase p);

// What an action does to its object: printed as the first character of its line (+, -, ~).
enum class Effect : std::uint8_t { create, remove, change };

// What every action kind declares about itself, in one place: its short kind name, the phase it
// belongs to and its effect.
struct ActionTraits {
    const char* kind;  // "create-namespace", "delete-link", "add-route", ...
    Phase phase;
    Effect effect;
};

namespace op {
struct CreateNamespace {
    static constexpr ActionTraits traits{"create-namespace", Phase::namespaces, Effect::create};
    std::string ns;
};
struct DeleteNamespace {
    static constexpr ActionTraits traits{"delete-namespace", Phase::namespaces, Effect::remove};
    std::string ns;
};
struct CreateVeth {
    static constexpr ActionTraits traits{"create-veth", Phase::veths, Effect::create};
    Veth veth;
};
// A bridge, with its options, in the phase that creates links (before ports attach to it).
struct CreateBridge {
    static constexpr ActionTraits traits{"create-bridge", Phase::veths, Effect::create};
    std::string ns;
    std::string ifname;
    BridgeOptions options;
};
// Deleting a link undoes the phase that creates links.
struct DeleteLink {
    static constexpr ActionTraits traits{"delete-link", Phase::veths, Effect::remove};
    std::string ns;
    std::string ifname;
};
struct SetSysctl {
    static constexpr ActionTraits traits{"set-sysctl", Phase::sysctls, Effect::change};
    std::string ns;
    std::string key;
    std::string value;
};
struct SetLinkState {
    static constexpr ActionTraits traits{"set-link-state", Phase::links, Effect::change};
    std::string ns;
    std::string ifname;
    LinkState state;
};
struct SetMtu {
    static constexpr ActionTraits traits{"set-mtu", Phase::links, Effect::change};
    std::string ns;
    std::string ifname;
    std::uint32_t mtu;
};
struct SetBridgeOptions {
    static constexpr ActionTraits traits{"set-bridge-options", Phase::links, Effect::change};
    std::string ns;
    std::string ifname;
    BridgeOptions options;
};
// Attaches a link to a bridge of its namespace, or (master "") detaches it.
struct SetMaster {
    static constexpr ActionTraits traits{"set-master", Phase::links, Effect::change};
    std::string ns;
    std::string ifname;
    std::string master;
};
struct SetMac {
    static constexpr ActionTraits traits{"set-mac", Phase::links, Effect::change};
    std::string ns;
    std::string ifname;
    MacAddress mac;
};
struct AddAddress {
    static constexpr ActionTraits traits{"add-address", Phase::addresses, Effect::create};
    std::string ns;
    std::string ifname;
    Cidr address;
    Dad dad = Dad::skip;  // see dad_for()
};
struct DeleteAddress {
    static constexpr ActionTraits traits{"delete-address", Phase::addresses, Effect::remove};
    std::string ns;
    std::string ifname;
    Cidr address;
};
struct AddRoute {
    static constexpr ActionTraits traits{"add-route", Phase::routes, Effect::create};
    std::string ns;
    Route route;
};
struct DeleteRoute {
    static constexpr ActionTraits traits{"delete-route", Phase::routes, Effect::remove};
    std::string ns;
    Route route;
};
// Traffic control on a link that has none of nstopo's (the kernel's default qdisc).
struct AddShaping {
    static constexpr ActionTraits traits{"add-shaping", Phase::shaping, Effect::create};
    std::string ns;
    std::string ifname;
    Shaping shaping;
};
// Traffic control changed from what the link has (`from`, as observed) to `to`: in place where
// both have the same layout (see Kernel::change_shaping).
struct ChangeShaping {
    static constexpr ActionTraits traits{"change-shaping", Phase::shaping, Effect::change};
    std::string ns;
    std::string ifname;
    Shaping from;
    Shaping to;
};
// The link's root qdisc removed: the kernel gives it its default again.
struct RemoveShaping {
    static constexpr ActionTraits traits{"remove-shaping", Phase::shaping, Effect::remove};
    std::string ns;
    std::string ifname;
    Shaping shaping;  // as observed
};
// nstopo's nftables table of a namespace, loaded where it is missing (Kernel::load_table).
struct LoadTable {
    static constexpr ActionTraits traits{"load-nftables", Phase::firewall, Effect::create};
    std::string ns;
    NftTable table;
};
// A table whose canonical form differs from the file's: replaced in one transaction.
struct ReplaceTable {
    static constexpr ActionTraits traits{"replace-nftables", Phase::firewall, Effect::change};
    std::string ns;
    NftTable table;
};
// A table of a lab namespace that the file does not declare (or nstopo's, no longer declared).
struct DeleteTable {
    static constexpr ActionTraits traits{"delete-nftables", Phase::firewall, Effect::remove};
    std::string ns;
    NftTable table;  // family, name and (as observed) its rules
};
// A program of the lab, started detached in its namespace (see Kernel::start_process).
struct StartProcess {
    static constexpr ActionTraits traits{"start-process", Phase::processes, Effect::create};
    std::string ns;
    Process process;
};
// A process the lab started and no longer declares: its process group is stopped.
struct StopProcess {
    static constexpr ActionTraits traits{"stop-process", Phase::processes, Effect::remove};
    std::string ns;
    std::string name;
    ProcessIdentity id;  // the running process, as observed
};
// A running process whose definition changed (or that runs astray): stopped, then started anew.
struct RestartProcess {
    static constexpr ActionTraits traits{"restart-process", Phase::processes, Effect::change};
    std::string ns;
    Process process;     // as the file declares it now
    ProcessIdentity id;  // the running process, as observed
};
}  // namespace op

using Action =
    std::variant<op::CreateNamespace, op::DeleteNamespace, op::CreateVeth, op::CreateBridge,
                 op::DeleteLink, op::SetSysctl, op::SetLinkState, op::SetMtu, op::SetMac,
                 op::SetBridgeOptions, op::SetMaster, op::AddAddress, op::DeleteAddress,
                 op::AddRoute, op::DeleteRoute, op::AddShaping, op::ChangeShaping,
                 op::RemoveShaping, op::StartProcess, op::StopProcess, op::RestartProcess,
                 op::LoadTable, op::ReplaceTable, op::DeleteTable>;

// What an implied operation happens with (see Operation).
struct Cause {
    enum class Kind : std::uint8_t {
        none,                // the operation is not implied
        namespace_deletion,  // the plan deletes namespace `ns`
        link_deletion,       // the plan deletes (or another deletion takes along) link ns/ifname
    };
    Kind kind = Kind::none;
    std::string ns;
    std::string ifname;

    static Cause namespace_deleted(std::string ns);
    static Cause link_deleted(const VethEnd& link);
    // "namespace ns01", "link ns01/ns01-veth0", "link veth0" (a host link).
    std::string str() const;
    bool operator==(const Cause&) const = default;
};

struct Operation {
    Action action;
    SourceLocation where;  // the YAML that asked for it (unknown for removals of undeclared state)
    // For an operation the kernel does by itself as a consequence of another operation of the same
    // plan, that operation: the routes, addresses and links of a namespace the plan deletes; a host
    // (or other) veth end whose peer lives in such a namespace; the peer of a veth end the plan
    // deletes; the addresses and routes of a link the plan deletes. Such an operation is implied:
    // printed, not executed. Printed as " (with namespace ns01)".
    Cause cause;

    bool implied() const { return cause.kind != Cause::Kind::none; }
};

// An implied link deletion that the kernel carries out asynchronously: a veth end freed with a
// namespace the plan deletes. The executor waits for these to vanish; everything else implied
// happens synchronously with the operation that causes it.
bool freed_asynchronously(const Operation& o);

// The action's phase; a sysctl that shapes new links (sysctl_shapes_new_links) belongs to the
// namespaces phase, whatever its traits say.
Phase phase_of(const Action& a);
// Its kind's traits.
const ActionTraits& traits_of(const Action& a);
// Short kind name: "create-namespace", "delete-link", "add-route", ...
std::string kind_of(const Action& a);
// '+', '-' or '~'.
char symbol_of(Effect e);
// The namespace the action happens in ("" = host); for a veth, that of its first end.
std::string namespace_of(const Action& a);
// The object it acts on: "ns01-veth0 192.168.0.1/24", "ns01/ns01-veth0 <-> router01/gw01-veth0".
std::string object_of(const Action& a);
// One printable line. The first character is the effect (+ create/add, - delete, ~ set), the
// host namespace prints as "host", routes print as Route::str(), and an implied operation ends
// with " (with CAUSE)":
//   + create namespace ns01
//   - delete namespace ns01
//   + create veth ns01/ns01-veth0 <-> router01/gw01-veth0
//   + create bridge br0 in sw1 (hub)
//   ~ set bridge br0 stp on, ageing time 300 s in sw1
//   ~ set master of sw1-p1 br0 in sw1
//   ~ set master of sw1-p1 none in sw1
//   - delete link ns01-veth0 in ns01
//   - delete link veth0 in host (with namespace netns1)
//   ~ set sysctl net.ipv4.ip_forward=1 in router01
//   ~ set link ns01-veth0 up in ns01
//   ~ set mtu 1400 on ns01-veth0 in ns01
//   ~ set mac 02:00:00:00:00:01 on ns01-veth0 in ns01
//   + add address 192.168.0.1/24 to ns01-veth0 in ns01
//   + add address 2001:db8::1/64 to ns01-veth0 in ns01 with duplicate address detection
//   - delete address 192.168.0.1/24 from ns01-veth0 in ns01
//   + add route 10.0.0.0/24 via 172.16.0.2 metric 0 in router01
//   - delete route 10.0.0.0/24 via 172.16.0.2 dev gw01-veth1 metric 0 in router01
//   + shape ns01-veth0 in ns01: rate 10mbit, delay 40ms, loss 1%
//   ~ shape ns01-veth0 in ns01: rate 10mbit -> 20mbit, loss 1% -> none
//   - unshape ns01-veth0 in ns01: rate 10mbit
//   + nftables edge: table inet nstopo (3 rules)
//   ~ nftables edge: table inet nstopo (2 rules)
//   - nftables edge: table ip filter (with namespace edge)
//   + start process web in srv: python3 -m http.server 8080
//   ~ restart process web in srv: python3 -m http.server 8081
//   - stop process web in srv
std::string describe(const Operation& o);

struct Plan {
    std::string lab;
    std::vector<Operation> operations;
    bool empty() const { return operations.empty(); }
};

// Text form: one describe() line per operation, in order, each ending in '\n'; "no changes\n" for
// an empty plan.
std::string to_text(const Plan& p);

// What must be observed to plan `desired` against the kernel: its namespaces and host interfaces,
// plus those the lab owns (to remove what the file no longer declares), with the sysctl keys the
// file declares and its veths as hints.
ObserveScope scope_for(const Topology& desired, const LabClaims& claims);

// Diffs desired against observed and returns the operations that make the kernel match, in phase
// order. Deletions of what the lab owns and no longer declares run first, processes to
// namespaces (reverse phase order); then bring-up, namespaces to processes. Within a phase the
// order is stable (sorted by namespace, then object). Throws Error(conflict) naming the object
// when the plan would have to touch something the lab does not own: an unmarked namespace
// (unless adopted), another lab's namespace or link, a host interface the lab did not create.
// Teardown is plan(Topology{.name = lab}, observed, claims).
//
// Ownership (lab = desired.name) is decided by nstopo/ownership.hpp. Inside a namespace of the
// lab every link is the lab's unless another lab marked it (a conflict).
// - Inside a namespace of the lab the file is authoritative: undeclared links (but lo), addresses
//   and routes are deleted. Elsewhere nothing is touched that the lab does not own; a host link is
//   deleted only when it is the lab's and no longer declared (or must be re-created).
//
// Deletions (implied operations, see Operation::implied):
// - A namespace of the lab that is no longer declared is deleted with one DeleteNamespace. Its
//   routes, addresses and links (but lo) are listed before it as implied operations, so that a
//   teardown prints the mirror image of the bring-up (routes, addresses, links, namespaces) while
//   executing only the namespace deletions.
// - A veth end elsewhere whose peer lives in such a namespace goes with it (implied), unless the
//   file declares that name again: then it is deleted explicitly first, so that re-creating it
//   cannot collide with the kernel freeing it asynchronously.
// - Of a veth pair to delete only one end is deleted (the first in (namespace, name) order); the
//   peer is implied. The addresses and routes of a deleted link are implied by it.
// - A desired veth end that exists but is not paired as declared (other peer, not a veth, peer
//   missing) is deleted and the pair created again.
//
// Addresses: new addresses are added before old ones are deleted, so that an IPv4 address replaced
// within its subnet is promoted (promote_secondaries) and routes through the link survive. Where
// the planner cannot count on promotion (the host, whose sysctls nstopo neither reads nor changes;
// a namespace whose file sets promote_secondaries to other than 1) and for an IPv6 address whose
// prefix length changes (the kernel keys IPv6 addresses by address alone), the old address is
// deleted first, in the deletion section. The planner cannot tell primary from secondary IPv4
// addresses: deleting a primary where promotion is off also drops its secondaries.
//
// Routes: a route is identified by (destination, metric); a desired route matches an observed one
// when the gateway is equal and the desired device is unset or equal. A changed route is deleted
// (deletion section) and added again (routes phase). A route is also deleted and added again when
// the plan makes the kernel flush it: its link goes down, or (IPv4) loses its last IPv4 address.
//
// Sysctls are set when they differ; sysctls the file no longer declares are left as they are.
//
// Shaping (Interface::shaping) is planned for the links the lab creates (the veth ends, bridges
// and lo of its namespaces, its host ends), never for another link: added where the link has the
// kernel's default qdisc, changed where it differs (a root qdisc made by hand is such a
// difference), removed where the file declares none. A link the plan deletes takes its qdiscs
// along (implied).
//
// Host routes (Topology::host_routes, `host: routes:`) are the lab's only when its record says so
// (LabClaims::host_routes) and the kernel's route carries kRouteProtocol: a desired host route is
// added when the host has no route of its destination and metric; kept when the host's matches
// and is the lab's; deleted and added again when it is the lab's but differs; and refused
// (Error(conflict)) when the host's is not the lab's. A recorded host route the file no longer
// declares is deleted while it matches the record; one that went (deleted by hand, or with the
// link it went through) is forgotten. No other host route is ever touched.
//
// nftables tables (family, name) of a namespace of the lab: the file is authoritative, as for
// links. nstopo's table is loaded where it is missing and replaced where its canonical form
// (NftTable::canonical) differs from the file's; every other table there is deleted, and so is
// nstopo's when the file no longer asks for it. The tables of a namespace the plan deletes go
// with it (implied).
//
// Processes (namespace, name) are compared by their observed run (Process::run, which the engine
// fills from the lab's record and /proc): a declared process that has none, or whose run exited,
// is started; one running with another definition_hash(), or astray, is restarted; a running or
// astray one that the file no longer declares (or whose namespace the plan deletes) is stopped,
// explicitly: the kernel stops no process when its namespace goes. So is every one of
// Topology::lost_processes (its namespace deleted behind nstopo's back); a declared one is then
// started again in the namespace of that name. An exited one that is no
// longer declared needs nothing. Nothing about processes is ever implied.
//
// Order inside a phase: by namespace (the host first), then by object (link name, address, route
// destination and metric, veth ends in canonical order); a link's settings go mac, mtu, state; in
// the addresses phase every addition comes before every deletion.
Plan plan(const Topology& desired, const Topology& observed, const LabClaims& claims);

}  // namespace nstopo
