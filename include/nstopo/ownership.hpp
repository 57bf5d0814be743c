// Ownership: which namespaces and links are a lab's. The one place for these rules; the planner,
// the engine and the commands ask here.
//
// The record grants ownership; a mark can only confirm it. A lab owns what its record in the
// state directory lists (LabClaims) when the kernel's object is the one nstopo created: the same
// identity (a namespace's netns cookie, a host link's ifindex) recorded once it was created.
// Between naming an object in the record and recording its identity (an apply that has not
// finished, or was killed), the kernel's mark confirms it: every link nstopo creates has the
// ifalias link_mark(LAB), and a namespace's mark is that of its lo, set before the namespace gets
// its name. A host veth end made by a killed apply before it was marked is confirmed by its peer,
// which lives in a namespace the lab owns. An object that only wears the mark, without the
// record, is not the lab's: `--adopt NS` or `destroy --from-marks LAB` take such objects over
// deliberately. A mark naming another lab always wins: that object is never this lab's. Every
// route nstopo adds has protocol kRouteProtocol.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nstopo/model.hpp"

namespace nstopo {

inline const std::string kLinkMarkPrefix = "nstopo:";
// "proto 201" in `ip route`.
inline constexpr std::uint8_t kRouteProtocol = 201;

// The ifalias that marks a link (or, on its lo, a namespace) as lab `lab`'s.
std::string link_mark(const std::string& lab);
// The lab named by an ifalias, or "" if it is not an nstopo mark.
std::string lab_from_mark(const std::string& ifalias);

// The identities of the objects a lab created, recorded once they exist.
struct Identities {
    std::map<std::string, std::uint64_t> namespaces;  // Namespace::identity
    std::map<std::string, int> host_interfaces;       // Interface::ifindex
    bool operator==(const Identities&) const = default;
};

// A host sysctl a lab changed (`host: uplink:`'s forwarding): what it held before the lab's
// first change of it, and what the lab set. Recorded before the change. Restored to `previous`
// when the lab no longer needs it, but only while it still holds `value`: a value someone set
// after the lab is theirs, and is left (and reported). An empty `previous` is a link the lab
// created itself, which goes with the lab.
struct HostSysctl {
    std::string previous;
    std::string value;
    bool operator==(const HostSysctl&) const = default;
};

// What a lab may treat as its own.
struct LabClaims {
    // Namespaces and host interfaces the lab recorded as its own (state directory).
    std::set<std::string> owned_namespaces;
    std::set<std::string> owned_host_interfaces;
    // Existing namespaces without a mark of another lab that the user allows the lab to take over
    // (--adopt).
    std::set<std::string> adopt_namespaces;
    // The identities recorded for the owned names; a name without one was recorded before it
    // was created.
    Identities identities;
    // Host routes the lab recorded as its own (`host: routes:`): the only host routes it ever
    // deletes, and only while the kernel's route matches (same destination and metric, same
    // gateway, and the same device when the record names one) and carries kRouteProtocol.
    std::vector<Route> host_routes;
    // Tables of the host namespace the lab recorded as its own (NftTable::id(), the uplink's):
    // the only host tables it ever changes or deletes.
    std::set<std::string> host_tables;
    // Host sysctls the lab changed, by key (see HostSysctl).
    std::map<std::string, HostSysctl> host_sysctls;
    // Host sysctls other labs' records hold (the first recorded, by key), and the keys other
    // labs' files need: two uplinks out of one interface share its forwarding key, which is set
    // back only by the last lab that needs it. Filled by the engine, not recorded.
    std::map<std::string, HostSysctl> host_sysctls_elsewhere;
    std::set<std::string> host_sysctls_needed_elsewhere;
};

// The ownership rules of one lab, over what the kernel shows.
class Ownership {
  public:
    Ownership(std::string lab, const LabClaims& claims) : lab_(std::move(lab)), claims_(claims) {}

    // A namespace is the lab's when the file declares it and the user adopts it, or when it is
    // recorded as the lab's and is the one recorded (same identity; without a recorded identity,
    // it wears the lab's mark).
    bool owns_namespace(const Namespace& observed, bool declared) const;
    // A host link is the lab's when it is recorded as the lab's and is the one recorded (same
    // ifindex; without one, it wears the lab's mark or `peer_in_lab`: it is a veth whose peer
    // lives in a namespace the lab owns).
    bool owns_host_link(const Interface& observed, bool peer_in_lab) const;
    // The mark names a lab other than this one.
    bool marked_by_other_lab(const std::string& mark_owner) const;
    // The lab is up in the namespace: it is the lab's (owns_namespace) and wears the lab's mark.
    // What `check` and `exec` need before they send traffic or run a command there.
    bool is_up(const Namespace& observed) const;

  private:
    std::string lab_;
    const LabClaims& claims_;
};

// The widest subnet a lab may take as its own: a host end's address may be no wider (a wider one
// would take from the host traffic it routes elsewhere), and checks aim only at lab subnets at
// least this narrow. IPv4 /16, IPv6 /48.
inline constexpr int kWidestLabPrefixV4 = 16;
inline constexpr int kWidestLabPrefixV6 = 48;
int widest_lab_prefix(Family f);
bool narrow_enough_for_a_lab(const Cidr& subnet);

// The namespace wears lab `lab`'s mark (what `destroy --from-marks` goes by).
bool wears_mark_of(const Namespace& observed, const std::string& lab);

// A name that two labs claim: `name` of `kind` ("namespace", "host interface"), declared at
// `where` by the lab being applied, recorded by lab `owner`.
struct ClaimConflict {
    std::string kind;
    std::string name;
    std::string owner;
    SourceLocation where;
};

// Every name `desired` declares that another lab's record claims. Two labs may not claim one name,
// whatever the kernel says.
// `others`: every other lab's claims, by lab.
std::vector<ClaimConflict> conflicting_claims(const Topology& desired,
                                              const std::map<std::string, LabClaims>& others);

}  // namespace nstopo
