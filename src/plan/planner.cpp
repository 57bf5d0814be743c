// The planner: diffs a desired Topology against an observed one (see plan.hpp for the rules).
//
// Everything is looked up through maps keyed by namespace and link name, so a plan costs
// O(n log n) in the size of the topologies (1000 namespaces plan in milliseconds).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "nstopo/error.hpp"
#include "nstopo/plan.hpp"
#include "order.hpp"
#include "tables.hpp"

namespace nstopo {

namespace {

const std::string kPromoteSecondaries = "net.ipv4.conf.all.promote_secondaries";

Operation explicit_op(Action a, SourceLocation where) {
    return Operation{std::move(a), std::move(where), {}};
}

Operation implied_op(Action a, const Cause& cause) {
    return Operation{std::move(a), {}, cause};
}

// Both ends of every pair, to the pair.
using PairIndex = std::map<VethEnd, const Veth*>;

PairIndex index_pairs(const std::vector<Veth>& veths) {
    PairIndex index;
    for (const auto& v : veths) {
        index.emplace(v.a, &v);
        index.emplace(v.b, &v);
    }
    return index;
}

std::optional<VethEnd> peer_in(const PairIndex& index, const VethEnd& end) {
    const auto it = index.find(end);
    if (it == index.end()) return std::nullopt;
    return it->second->a == end ? it->second->b : it->second->a;
}

bool has(const std::vector<Cidr>& addresses, const Cidr& a) {
    return std::find(addresses.begin(), addresses.end(), a) != addresses.end();
}

bool has_ipv4(const std::vector<Cidr>& addresses) {
    return std::any_of(addresses.begin(), addresses.end(),
                       [](const Cidr& c) { return c.family() == Family::v4; });
}

using RouteKey = std::pair<Cidr, std::uint32_t>;
RouteKey key_of(const Route& r) {
    return {r.to, r.metric};
}

struct Conflict {
    std::string message;
    SourceLocation where;
};

// One error for every conflict: the first line is located by the error itself, the others carry
// their own location.
[[noreturn]] void throw_conflicts(const std::vector<Conflict>& conflicts) {
    std::string message = conflicts.front().message;
    for (std::size_t i = 1; i < conflicts.size(); ++i) {
        const auto& c = conflicts[i];
        message += "\n";
        if (!c.where.file.empty()) message += c.where.str() + ": ";
        message += c.message;
    }
    throw Error(ErrorKind::conflict, message, conflicts.front().where);
}

// Why an observed link goes away.
struct Doom {
    // What the link's addresses and routes go with: the link itself, when the plan deletes it, or
    // what takes the link along (a namespace, its veth peer).
    Cause cause;
    bool deleted_by_plan = false;  // else the kernel removes it as a consequence
    SourceLocation where;
};

class Planner {
  public:
    Planner(const Topology& desired, const Topology& observed, const LabClaims& claims)
        : desired_(desired),
          observed_(observed),
          lab_(desired.name),
          ownership_(lab_, claims),
          claims_(claims),
          desired_pairs_(index_pairs(desired.veths)),
          observed_pairs_(index_pairs(observed.veths)) {}

    Plan run() {
        check_conflicts();
        // Removals first: what the lab owns and no longer declares, or must re-create.
        plan_removed_namespaces();
        plan_link_removals();
        // Bring-up, phase by phase. Links before addresses, addresses before routes: the kernel
        // rejects a gateway outside the connected subnets of an up link.
        plan_namespaces();
        plan_veths();
        plan_bridges();
        plan_sysctls();
        detail::plan_host_sysctls(desired_, observed_, claims_, doomed_host_links(), removals_,
                                  bringup_);
        plan_links();
        plan_addresses();
        plan_routes();
        plan_shaping();
        detail::plan_tables(desired_, observed_, removed_namespaces_, removals_, bringup_);
        detail::plan_host_tables(desired_, observed_, claims_, removals_, bringup_);
        plan_processes();
        Plan p{lab_, {}};
        removals_.append_reverse(p.operations);
        bringup_.append_forward(p.operations);
        return p;
    }

  private:
    // --- ownership -------------------------------------------------------------------------

    bool owns_namespace(const Namespace& n) const {
        return ownership_.owns_namespace(n, desired_.namespaces.contains(n.name));
    }

    bool owns_host_link(const Interface& i) const {
        const auto peer = peer_in(observed_pairs_, {kHostNamespace, i.name});
        const Namespace* peer_ns = peer ? observed_namespace(peer->ns) : nullptr;
        return ownership_.owns_host_link(i, peer_ns && owns_namespace(*peer_ns));
    }

    bool marked_by_other_lab(const std::string& owner) const {
        return ownership_.marked_by_other_lab(owner);
    }

    // Every desired object that exists in the kernel but is not the lab's, all at once.
    void check_conflicts() const {
        std::vector<Conflict> found;
        for (const auto& [name, want] : desired_.namespaces) {
            const Namespace* have = observed_namespace(name);
            if (!have) continue;
            if (marked_by_other_lab(have->owner)) {
                found.push_back(
                    {"namespace '" + name + "' belongs to lab '" + have->owner + "'", want.where});
            } else if (!owns_namespace(*have)) {
                found.push_back({"namespace '" + name +
                                     "' already exists and was not created by lab '" + lab_ +
                                     "' (use --adopt " + name + " to take it over)",
                                 want.where});
            } else {
                check_link_marks(want, *have, found);
            }
        }
        for (const auto& [name, want] : desired_.host_interfaces) {
            const Interface* have = observed_.find_interface(kHostNamespace, name);
            if (have && !owns_host_link(*have))
                found.push_back({"host interface '" + name +
                                     "' already exists and was not created by lab '" + lab_ +
                                     "'; nstopo never changes a host interface it did not create",
                                 want.where});
            check_host_capture(want, found);
        }
        check_host_routes(found);
        for (auto& c : detail::host_uplink_conflicts(desired_, observed_, claims_))
            found.push_back({std::move(c.message), std::move(c.where)});
        if (!found.empty()) throw_conflicts(found);
    }

    // An address on a host end adds a connected route to the host: refused when its subnet
    // overlaps what the host routes elsewhere, an address of a host link or a route the lab does
    // not own (default routes aside: every lab subnet is more specific than those).
    void check_host_capture(const Interface& want, std::vector<Conflict>& found) const {
        const HostRouting& host = observed_.host_routing;
        for (const auto& a : want.addresses) {
            const Cidr subnet = a.network();
            const auto refuse = [&](const std::string& what) {
                found.push_back({"host-end address " + a.str() + " on '" + want.name +
                                     "' would take " + subnet.str() + " from the host, which " +
                                     what + "; nstopo never changes the host's routing",
                                 want.where});
            };
            for (const auto& [link, addresses] : host.addresses) {
                if (desired_.host_interfaces.contains(link)) continue;
                for (const auto& b : addresses)
                    if (subnet.overlaps(b.network())) refuse("has " + b.str() + " on " + link);
            }
            for (const auto& r : host.routes) {
                if (r.to.is_default() || (r.dev && desired_.host_interfaces.contains(*r.dev)))
                    continue;
                if (subnet.overlaps(r.to)) refuse("routes " + r.str());
            }
        }
    }

    // --- host routes ---------------------------------------------------------------------------

    // The host's route of this destination and metric, if any (any protocol but the kernel's).
    const Route* host_route_keyed(const Route& r) const {
        for (const auto& have : observed_.host_routing.routes)
            if (have.same_key(r)) return &have;
        return nullptr;
    }

    // The host's route is one the lab added: it carries nstopo's protocol and matches a route
    // the lab's record holds.
    bool owns_host_route(const Route& have) const {
        const auto& ours = observed_.host_routes;
        if (std::find(ours.begin(), ours.end(), have) == ours.end()) return false;
        return std::any_of(claims_.host_routes.begin(), claims_.host_routes.end(),
                           [&](const Route& r) { return r.same_key(have) && fulfils(have, r); });
    }

    // A desired host route whose destination and metric the host routes otherwise, or that
    // would take from the host traffic it routes elsewhere (as a host end's subnet would).
    void check_host_routes(std::vector<Conflict>& found) const {
        const HostRouting& host = observed_.host_routing;
        for (const auto& want : desired_.host_routes) {
            if (const Route* have = host_route_keyed(want)) {
                if (!owns_host_route(*have))
                    found.push_back({"the host already has a route " + have->str() + " that lab '" +
                                         lab_ + "' did not add; nstopo never replaces a host route",
                                     want.where});
                continue;
            }
            for (const auto& r : host.routes) {
                if (r.to.is_default() || (r.dev && desired_.host_interfaces.contains(*r.dev)))
                    continue;
                if (want.to.overlaps(r.to))
                    found.push_back({"host route " + want.str() + " would take " + want.to.str() +
                                         " from the host, which routes " + r.str() +
                                         "; nstopo never changes the host's routing",
                                     want.where});
            }
        }
    }

    // A link another lab marked, inside a namespace of this lab.
    void check_link_marks(const Namespace& want, const Namespace& have,
                          std::vector<Conflict>& found) const {
        for (const auto& [ifname, link] : have.interfaces) {
            if (!marked_by_other_lab(link.owner)) continue;
            const auto declared_link = want.interfaces.find(ifname);
            found.push_back({"link '" + ifname + "' in namespace '" + want.name +
                                 "' belongs to lab '" + link.owner + "'",
                             declared_link != want.interfaces.end() ? declared_link->second.where
                                                                    : want.where});
        }
    }

    // --- lookups ---------------------------------------------------------------------------

    const Namespace* observed_namespace(const std::string& name) const {
        const auto it = observed_.namespaces.find(name);
        return it == observed_.namespaces.end() ? nullptr : &it->second;
    }

    // The observed link as it will be when bring-up starts: nullptr if absent or removed first.
    std::set<std::string> doomed_host_links() const {
        std::set<std::string> names;
        for (const auto& [end, _] : doomed_)
            if (end.in_host()) names.insert(end.ifname);
        return names;
    }

    const Interface* surviving_link(const VethEnd& end) const {
        if (doomed_.count(end)) return nullptr;
        return observed_.find_interface(end.ns, end.ifname);
    }

    bool declared(const VethEnd& end) const {
        return desired_.find_interface(end.ns, end.ifname) != nullptr;
    }

    // The desired pair of this end exists, with these two ends.
    bool pair_present(const VethEnd& end) const {
        const auto want = desired_pairs_.find(end);
        const auto have = observed_pairs_.find(end);
        return want != desired_pairs_.end() && have != observed_pairs_.end() &&
               want->second->same_pair(*have->second);
    }

    // nstopo brings the link into existence: a namespace's lo, a declared bridge or veth end.
    bool created_by_lab(const VethEnd& end, const Interface& want) const {
        return want.kind == LinkKind::loopback || want.kind == LinkKind::bridge ||
               (want.kind == LinkKind::veth && desired_pairs_.count(end) > 0);
    }

    // The namespace promotes a secondary IPv4 address when its primary is deleted, once the
    // plan's sysctls are set. Unknown, so no, for the host.
    bool promotes_secondaries(const std::string& ns) const {
        if (ns == kHostNamespace) return false;
        const auto& sysctls = desired_.namespaces.at(ns).sysctls;
        const auto it = sysctls.find(kPromoteSecondaries);
        return it != sysctls.end() && it->second == "1";
    }

    // Calls f(ns, interface) for every declared link: host links first, then by namespace.
    template <class F>
    void for_each_declared_link(F f) const {
        for (const auto& [_, link] : desired_.host_interfaces) f(kHostNamespace, link);
        for (const auto& [name, ns] : desired_.namespaces)
            for (const auto& [_, link] : ns.interfaces) f(name, link);
    }

    // --- removals --------------------------------------------------------------------------

    // Namespaces of the lab that the file no longer declares: one DeleteNamespace each, with
    // their routes, addresses and links listed as implied.
    void plan_removed_namespaces() {
        for (const auto& [name, have] : observed_.namespaces) {
            if (desired_.namespaces.count(name) || !owns_namespace(have)) continue;
            removed_namespaces_.insert(name);
            const Cause cause = Cause::namespace_deleted(name);
            for (const auto& [ifname, _] : have.interfaces)
                doomed_.emplace(VethEnd{name, ifname}, Doom{cause, false, {}});
            for (const auto& r : have.routes)
                removals_.add(implied_op(op::DeleteRoute{name, r}, cause));
            // The kernel stops no process with its namespace: each is stopped before it goes.
            for (const auto& [_, p] : have.processes) plan_process_removal(name, p);
            removals_.add(explicit_op(op::DeleteNamespace{name}, {}));
        }
    }

    // Links to delete outside removed namespaces, one end per pair; then what goes with them.
    void plan_link_removals() {
        for (const auto& [end, where] : removable_links()) {
            if (doomed_.count(end)) continue;  // the peer of a link deleted before it
            const auto peer = peer_in(observed_pairs_, end);
            if (peer && removed_namespaces_.count(peer->ns) && !declared(end)) {
                doomed_.emplace(end, Doom{Cause::namespace_deleted(peer->ns), false, {}});
                continue;
            }
            const Cause cause = Cause::link_deleted(end);
            doomed_.emplace(end, Doom{cause, true, where});
            if (peer) doomed_.emplace(*peer, Doom{cause, false, {}});
        }
        // A link the lab does not own, paired into a removed namespace, goes too.
        for (const auto& name : removed_namespaces_)
            for (const auto& [ifname, _] : observed_.namespaces.at(name).interfaces)
                if (const auto peer = peer_in(observed_pairs_, {name, ifname}))
                    doomed_.emplace(*peer, Doom{Cause::namespace_deleted(name), false, {}});
        emit_doomed_links();
    }

    // Links of the lab to delete, sorted by (namespace, name): undeclared ones (in a namespace of
    // the lab, or a host link of the lab) and declared veth ends not paired as declared. With the
    // location of the veth that asks for the re-creation, if any.
    std::vector<std::pair<VethEnd, SourceLocation>> removable_links() const {
        std::vector<std::pair<VethEnd, SourceLocation>> found;
        const auto consider = [&](const VethEnd& end, const Interface& have,
                                  const std::map<std::string, Interface>& declared_links) {
            if (have.kind == LinkKind::loopback) return;
            const auto want = declared_links.find(end.ifname);
            if (want == declared_links.end()) {
                found.emplace_back(end, SourceLocation{});
            } else if (want->second.kind == LinkKind::bridge && have.kind != LinkKind::bridge) {
                found.emplace_back(end, want->second.where);
            } else if (want->second.kind == LinkKind::veth && !pair_present(end)) {
                const auto pair = desired_pairs_.find(end);
                found.emplace_back(
                    end, pair != desired_pairs_.end() ? pair->second->where : want->second.where);
            }
        };
        for (const auto& [name, have] : observed_.host_interfaces)
            if (owns_host_link(have))
                consider({kHostNamespace, name}, have, desired_.host_interfaces);
        for (const auto& [name, want] : desired_.namespaces)
            if (const Namespace* have = observed_namespace(name))
                for (const auto& [ifname, link] : have->interfaces)
                    consider({name, ifname}, link, want.interfaces);
        return found;
    }

    // Every doomed link with its addresses: deleted by the plan, or listed as implied.
    void emit_doomed_links() {
        for (const auto& [end, doom] : doomed_) {
            const Interface* link = observed_.find_interface(end.ns, end.ifname);
            if (!link) continue;
            for (const auto& a : link->addresses)
                removals_.add(implied_op(op::DeleteAddress{end.ns, end.ifname, a}, doom.cause));
            if (link->shaping)
                removals_.add(
                    implied_op(op::RemoveShaping{end.ns, end.ifname, *link->shaping}, doom.cause));
            if (link->kind == LinkKind::loopback) continue;  // goes with its namespace, unlisted
            const op::DeleteLink del{end.ns, end.ifname};
            removals_.add(doom.deleted_by_plan ? explicit_op(del, doom.where)
                                               : implied_op(del, doom.cause));
        }
    }

    // --- bring-up --------------------------------------------------------------------------

    void plan_namespaces() {
        for (const auto& [name, want] : desired_.namespaces)
            if (!observed_namespace(name))
                bringup_.add(explicit_op(op::CreateNamespace{name}, want.where));
    }

    void plan_veths() {
        for (const auto& v : desired_.veths)
            if (!pair_present(v.a)) bringup_.add(explicit_op(op::CreateVeth{v}, v.where));
    }

    // Bridges before their ports attach (the links phase).
    void plan_bridges() {
        for_each_declared_link([this](const std::string& ns, const Interface& want) {
            if (want.kind != LinkKind::bridge || surviving_link({ns, want.name})) return;
            bringup_.add(
                explicit_op(op::CreateBridge{ns, want.name, want.bridge.value_or(BridgeOptions{})},
                            want.where));
        });
    }

    void plan_sysctls() {
        for (const auto& [name, want] : desired_.namespaces) {
            const Namespace* have = observed_namespace(name);
            for (const auto& [key, value] : want.sysctls) {
                if (have) {
                    const auto it = have->sysctls.find(key);
                    if (it != have->sysctls.end() && it->second == value) continue;
                }
                const auto at = want.sysctl_where.find(key);
                bringup_.add(explicit_op(op::SetSysctl{name, key, value},
                                         at != want.sysctl_where.end() ? at->second : want.where));
            }
        }
    }

    void plan_links() {
        for_each_declared_link(
            [this](const std::string& ns, const Interface& want) { plan_link_settings(ns, want); });
    }

    void plan_link_settings(const std::string& ns, const Interface& want) {
        const VethEnd end{ns, want.name};
        const Interface* have = surviving_link(end);
        if (!have && !created_by_lab(end, want)) return;
        if (want.mac && (!have || have->mac != want.mac))
            bringup_.add(explicit_op(op::SetMac{ns, want.name, *want.mac}, want.where));
        // An unset mtu is the kind's default: a link made by nstopo starts with it, and one
        // changed by hand goes back to it.
        const auto mtu = want.mtu ? want.mtu : default_mtu(want.kind);
        if (mtu && (have ? have->mtu != mtu : want.mtu.has_value()))
            bringup_.add(explicit_op(op::SetMtu{ns, want.name, *mtu}, want.where));
        // What nstopo creates starts down: a new veth, and the lo of a new namespace.
        const LinkState state = have ? have->state : LinkState::down;
        if (want.state != state)
            bringup_.add(explicit_op(op::SetLinkState{ns, want.name, want.state}, want.where));
        if (state == LinkState::up && want.state == LinkState::down) going_down_.insert(end);
        if (have && want.bridge && have->bridge != want.bridge)
            bringup_.add(
                explicit_op(op::SetBridgeOptions{ns, want.name, *want.bridge}, want.where));
        if (want.master != master_at_bringup(ns, have))
            bringup_.add(explicit_op(op::SetMaster{ns, want.name, want.master}, want.where));
    }

    // The bridge the link is a port of when bring-up starts: none if its bridge goes first.
    std::string master_at_bringup(const std::string& ns, const Interface* have) const {
        if (!have || have->master.empty() || doomed_.count({ns, have->master})) return {};
        return have->master;
    }

    void plan_addresses() {
        for_each_declared_link([this](const std::string& ns, const Interface& want) {
            plan_link_addresses(ns, want);
        });
    }

    // Adds what is missing; deletes what the file does not declare, after the additions where
    // that is safe (see plan.hpp), else in the deletion section.
    void plan_link_addresses(const std::string& ns, const Interface& want) {
        const VethEnd end{ns, want.name};
        const Interface* have = surviving_link(end);
        if (!have && !created_by_lab(end, want)) return;
        const std::vector<Cidr> none;
        const auto& had = have ? have->addresses : none;
        const Dad dad =
            ns == kHostNamespace ? Dad::skip : dad_for(desired_.namespaces.at(ns), want.name);
        for (const auto& a : want.addresses)
            if (!has(had, a))
                bringup_.add(explicit_op(op::AddAddress{ns, want.name, a, dad}, want.where));
        for (const auto& a : had) {
            if (has(want.addresses, a)) continue;
            auto& section = deleted_before_additions(ns, want, a) ? removals_ : bringup_;
            section.add(explicit_op(op::DeleteAddress{ns, want.name, a}, {}));
        }
        if (loses_all_ipv4(ns, want, had)) ipv4_flushed_.insert(end);
    }

    bool deleted_before_additions(const std::string& ns, const Interface& want,
                                  const Cidr& a) const {
        if (a.family() == Family::v4) return !promotes_secondaries(ns);
        // The kernel keys IPv6 addresses by address: a new prefix length needs the old one gone.
        return std::any_of(want.addresses.begin(), want.addresses.end(), [&](const Cidr& c) {
            return c.ip == a.ip && c.prefix_len != a.prefix_len;
        });
    }

    // The link is left without an IPv4 address at some point of the plan, and the kernel then
    // flushes its IPv4 routes.
    bool loses_all_ipv4(const std::string& ns, const Interface& want,
                        const std::vector<Cidr>& had) const {
        if (!has_ipv4(had)) return false;
        const bool keeps_one = std::any_of(had.begin(), had.end(), [&](const Cidr& c) {
            return c.family() == Family::v4 && has(want.addresses, c);
        });
        if (keeps_one) return false;
        return !has_ipv4(want.addresses) || !promotes_secondaries(ns);
    }

    // The route stays in the kernel through the plan: its link neither goes down nor loses its
    // last IPv4 address (for an IPv4 route).
    bool survives(const std::string& ns, const Route& r) const {
        if (!r.dev) return true;
        const VethEnd end{ns, *r.dev};
        if (going_down_.count(end)) return false;
        return r.family() != Family::v4 || !ipv4_flushed_.count(end);
    }

    void plan_routes() {
        plan_host_routes();
        for (const auto& [name, want] : desired_.namespaces) plan_namespace_routes(want);
    }

    // Routes the lab adds to the host (conflicts were refused before): added when missing,
    // deleted and added again when the lab's differs or the plan makes the kernel flush it, and
    // deleted when the file no longer declares them, while they match the lab's record. The host's
    // other routes are never touched.
    void plan_host_routes() {
        std::set<RouteKey> kept;
        for (const auto& have : observed_.host_routes) {
            if (!owns_host_route(have)) continue;
            const auto doom = have.dev ? doomed_.find({kHostNamespace, *have.dev}) : doomed_.end();
            if (doom != doomed_.end()) {
                removals_.add(
                    implied_op(op::DeleteRoute{kHostNamespace, have}, doom->second.cause));
                continue;
            }
            const auto want = std::find_if(desired_.host_routes.begin(), desired_.host_routes.end(),
                                           [&](const Route& r) { return r.same_key(have); });
            const bool declared = want != desired_.host_routes.end();
            if (declared && fulfils(have, *want) && survives(kHostNamespace, have)) {
                kept.insert(key_of(have));
                continue;
            }
            removals_.add(explicit_op(op::DeleteRoute{kHostNamespace, have},
                                      declared ? want->where : SourceLocation{}));
        }
        for (const auto& r : desired_.host_routes)
            if (!kept.count(key_of(r)))
                bringup_.add(explicit_op(op::AddRoute{kHostNamespace, r}, r.where));
    }

    void plan_namespace_routes(const Namespace& want) {
        const std::string& ns = want.name;
        std::map<RouteKey, const Route*> wanted;
        for (const auto& r : want.routes) wanted.emplace(key_of(r), &r);
        std::set<RouteKey> kept;
        if (const Namespace* have = observed_namespace(ns)) {
            for (const auto& r : have->routes) {
                const auto doom = r.dev ? doomed_.find({ns, *r.dev}) : doomed_.end();
                if (doom != doomed_.end()) {
                    removals_.add(implied_op(op::DeleteRoute{ns, r}, doom->second.cause));
                    continue;
                }
                const auto w = wanted.find(key_of(r));
                if (w != wanted.end() && fulfils(r, *w->second) && survives(ns, r)) {
                    kept.insert(key_of(r));
                    continue;
                }
                removals_.add(explicit_op(op::DeleteRoute{ns, r},
                                          w != wanted.end() ? w->second->where : SourceLocation{}));
            }
        }
        for (const auto& r : want.routes)
            if (!kept.count(key_of(r))) bringup_.add(explicit_op(op::AddRoute{ns, r}, r.where));
    }

    // --- shaping -----------------------------------------------------------------------------

    // Each link the lab creates gets the file's shaping: added, changed or removed. Links the plan
    // deletes took theirs along (emit_doomed_links).
    void plan_shaping() {
        for_each_declared_link([this](const std::string& ns, const Interface& want) {
            const VethEnd end{ns, want.name};
            const Interface* have = surviving_link(end);
            if (!have && !created_by_lab(end, want)) return;
            const std::optional<Shaping> had = have ? have->shaping : std::nullopt;
            if (had == want.shaping) return;
            const SourceLocation& where =
                want.shaping_where.known() ? want.shaping_where : want.where;
            if (!want.shaping)
                removals_.add(explicit_op(op::RemoveShaping{ns, want.name, *had}, {}));
            else if (!had)
                bringup_.add(explicit_op(op::AddShaping{ns, want.name, *want.shaping}, where));
            else
                bringup_.add(
                    explicit_op(op::ChangeShaping{ns, want.name, *had, *want.shaping}, where));
        });
    }

    // --- processes ---------------------------------------------------------------------------

    static bool alive(const Process& have) {
        return have.run && have.run->state != ProcessState::exited;
    }

    void plan_process_removal(const std::string& ns, const Process& have) {
        if (alive(have))
            removals_.add(explicit_op(op::StopProcess{ns, have.name, have.run->id}, {}));
    }

    // Declared processes: started when they have no run or it exited, restarted when what runs
    // was started from another definition (or runs astray); undeclared ones running are stopped.
    void plan_processes() {
        for (const auto& [name, lost] : observed_.lost_processes)
            for (const auto& [_, p] : lost) plan_process_removal(name, p);
        for (const auto& [name, want] : desired_.namespaces) {
            const Namespace* have = observed_namespace(name);
            for (const auto& [pname, p] : want.processes) {
                const Process* had = nullptr;
                if (have)
                    if (const auto it = have->processes.find(pname); it != have->processes.end())
                        had = &it->second;
                if (!had || !alive(*had))
                    bringup_.add(explicit_op(op::StartProcess{name, p}, p.where));
                else if (had->run->state == ProcessState::astray ||
                         had->run->definition != p.definition_hash())
                    bringup_.add(explicit_op(op::RestartProcess{name, p, had->run->id}, p.where));
            }
            if (!have) continue;
            for (const auto& [pname, p] : have->processes)
                if (!want.processes.contains(pname)) plan_process_removal(name, p);
        }
    }

    const Topology& desired_;
    const Topology& observed_;
    const std::string lab_;
    const Ownership ownership_;
    const LabClaims& claims_;
    const PairIndex desired_pairs_;
    const PairIndex observed_pairs_;

    std::set<std::string> removed_namespaces_;
    std::map<VethEnd, Doom> doomed_;  // observed links that go away before bring-up
    std::set<VethEnd> going_down_;    // links the plan sets down
    std::set<VethEnd> ipv4_flushed_;  // links the plan leaves without IPv4 address for a while
    detail::PhaseBuckets removals_;
    detail::PhaseBuckets bringup_;
};

}  // namespace

Plan plan(const Topology& desired, const Topology& observed, const LabClaims& claims) {
    return Planner(desired, observed, claims).run();
}

}  // namespace nstopo
