// Reading one namespace of an observation, on one of several threads: one visit inside it for
// its socket and sysctls, then its dumps and its veths' hinted namespace ids through the socket.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fd.hpp"
#include "netns.hpp"
#include "nl_socket.hpp"
#include "nstopo/model.hpp"
#include "snapshot.hpp"
#include "sysctl.hpp"

namespace nstopo::kernel {

// Reading one namespace, on whichever thread run_in_parallel gives it: touches only its own socket
// and objects, and libnl's cache code under a lock (read_namespace). The caller adopts a socket
// made here into its Sessions.
struct Reading {
    std::string ns;
    bool present = false;                  // a mounted network namespace (NetnsDir::exists)
    NlSocket* socket = nullptr;            // the cached socket, or new_socket
    std::unique_ptr<NlSocket> new_socket;  // made inside the namespace by this reading
    NamespaceSysctls sysctls{nullptr, 0};  // see Sessions::sysctls_for
    NetnsId id;                            // new_socket's namespace
    Snapshot snap;
    // The ids this namespace gives the namespaces its veths' hints point to (see PeerResolver):
    // asked here, in parallel, rather than one by one while pairing.
    std::map<std::string, std::optional<int>> nsids;
};

// A namespace's sysctl keys, split by where they are read: rtnetlink for those it reports
// (netconf.hpp), /proc/sys for the rest.
struct SysctlKeys {
    std::vector<std::string> netconf;
    std::vector<std::string> proc;
};

// The asked-for sysctl keys of each namespace (ObserveScope::sysctls), split.
std::map<std::string, SysctlKeys> split_keys(
    const std::map<std::string, std::vector<std::string>>& asked);

// What the readings share, read-only: the namespaces being read, their sysctl keys, each
// expected veth end's expected peer namespace, and the namespace every reading thread is in
// between visits (the observing thread's, which the threads it starts inherit).
struct ReadingContext {
    const NetnsDir& dir;
    const std::map<std::string, SysctlKeys> keys;
    const std::map<VethEnd, std::string>& hinted_peer_ns;
    const Fd& home;
    bool nftables = false;  // read each namespace's nftables tables too
};

// One visit inside the namespace makes its socket (unless one is cached) and reads its sysctls;
// the dumps and namespace-id questions then go through the socket, which stays bound to the
// namespace, from anywhere. A namespace that does not exist (or is a file left without its
// mount) is not present, and nothing more is asked of it.
void read_namespace(const ReadingContext& context, Reading& r);

}  // namespace nstopo::kernel
