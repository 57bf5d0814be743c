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

// Bring-up order. Teardown runs the same phases in reverse.
enum class Phase { namespaces, veths, sysctls, links, addresses, routes };
std::string to_string(Phase p);

namespace op {
struct CreateNamespace { std::string ns; };
struct DeleteNamespace { std::string ns; };
struct CreateVeth { Veth veth; };
struct DeleteLink { std::string ns; std::string ifname; };
struct SetSysctl { std::string ns; std::string key; std::string value; };
struct SetLinkState { std::string ns; std::string ifname; LinkState state; };
struct SetMtu { std::string ns; std::string ifname; std::uint32_t mtu; };
struct SetMac { std::string ns; std::string ifname; MacAddress mac; };
struct AddAddress { std::string ns; std::string ifname; Cidr address; };
struct DeleteAddress { std::string ns; std::string ifname; Cidr address; };
struct AddRoute { std::string ns; Route route; };
struct DeleteRoute { std::string ns; Route route; };
}  // namespace op

using Action = std::variant<op::CreateNamespace, op::DeleteNamespace, op::CreateVeth, op::DeleteLink,
                            op::SetSysctl, op::SetLinkState, op::SetMtu, op::SetMac,
                            op::AddAddress, op::DeleteAddress, op::AddRoute, op::DeleteRoute>;

struct Operation {
    Action action;
    SourceLocation where;  // the YAML that asked for it (unknown for removals of undeclared state)
    // The kernel does this by itself when a namespace that this plan deletes goes away (a link of
    // that namespace, or a host veth end whose peer lives there). Printed, not executed; the
    // executor waits for host links marked so to vanish.
    bool implied = false;
};

Phase phase_of(const Action& a);
// Short kind name: "create-namespace", "delete-link", "add-route", ...
std::string kind_of(const Action& a);
// The namespace the action happens in ("" = host).
std::string namespace_of(const Action& a);
// The object it acts on: "ns01-veth0 192.168.0.1/24", "ns01/ns01-veth0 <-> router01/gw01-veth0".
std::string object_of(const Action& a);
// One printable line: "+ add address 192.168.0.1/24 to ns01-veth0 in ns01".
std::string describe(const Operation& o);

struct Plan {
    std::string lab;
    std::vector<Operation> operations;
    bool empty() const { return operations.empty(); }
};

// Text form: one describe() line per operation, in order; "no changes" for an empty plan.
std::string to_text(const Plan& p);

struct PlanOptions {
    // Namespaces and host interfaces this lab recorded as its own (state directory) in addition to
    // what carries its kernel mark.
    std::set<std::string> owned_namespaces;
    std::set<std::string> owned_host_interfaces;
    // Existing namespaces without a mark that the user allows the lab to take over (--adopt).
    std::set<std::string> adopt_namespaces;
};

// What must be observed to plan `desired` against the kernel: its namespaces and host interfaces,
// plus those the lab owns (to remove what the file no longer declares), with the sysctl keys the
// file declares and its veths as hints.
ObserveScope scope_for(const Topology& desired, const PlanOptions& options);

// Diffs desired against observed and returns the operations that make the kernel match, in phase
// order. Deletions of what the lab owns and no longer declares run first, routes to namespaces
// (reverse phase order); then bring-up, namespaces to routes. Within a phase the order is stable
// (sorted by namespace, then object). Throws Error(conflict) naming the object when the plan would
// have to touch something the lab does not own: an unmarked namespace (unless adopted), another
// lab's namespace or link, a host interface the lab did not create.
// Teardown is plan(Topology{.name = lab}, observed, options).
Plan plan(const Topology& desired, const Topology& observed, const PlanOptions& options);

}  // namespace nstopo
