// Ownership: which namespaces and links are a lab's. The one place for these rules; the planner,
// the engine and the commands ask here.
//
// A lab owns what its record in the state directory lists (LabClaims), and what the user hands
// over with --adopt. The kernel carries marks too: every link nstopo creates has the ifalias
// link_mark(LAB), a namespace's mark is that of its lo, and every route nstopo adds has protocol
// kRouteProtocol. A mark naming another lab always wins: that namespace or link is never this
// lab's.
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

// What a lab may treat as its own beyond what carries its mark.
struct LabClaims {
    // Namespaces and host interfaces the lab recorded as its own (state directory).
    std::set<std::string> owned_namespaces;
    std::set<std::string> owned_host_interfaces;
    // Existing namespaces without a mark that the user allows the lab to take over (--adopt).
    std::set<std::string> adopt_namespaces;
};

// The ownership rules of one lab, over what the kernel shows.
class Ownership {
  public:
    Ownership(std::string lab, const LabClaims& claims) : lab_(std::move(lab)), claims_(claims) {}

    // A namespace is the lab's when its mark names the lab, or it is unmarked and either
    // recorded as the lab's or (when the file declares it) adopted.
    bool owns_namespace(const Namespace& observed, bool declared) const;
    // A host link is the lab's when its mark names the lab, or it is unmarked and recorded.
    bool owns_host_link(const Interface& observed) const;
    // The mark names a lab other than this one.
    bool marked_by_other_lab(const std::string& mark_owner) const;
    // The lab is up in the namespace: it is recorded as the lab's and wears the lab's mark. What
    // `check` and `exec` need before they send traffic or run a command there.
    bool is_up(const Namespace& observed) const;

  private:
    std::string lab_;
    const LabClaims& claims_;
};

// The namespace wears lab `lab`'s mark (what a destroy whose record was lost goes by).
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
