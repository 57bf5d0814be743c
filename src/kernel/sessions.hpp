// The namespaces nstopo talks to: per namespace, one netlink socket made inside it and the
// interface indexes learned there (one fd per namespace: see raise_fd_limit). Also the private
// procfs instances through which sysctls of big labs are reached. Sockets are reused for every
// operation in their namespace.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "fd.hpp"
#include "netns.hpp"
#include "nl_socket.hpp"
#include "sysctl.hpp"

namespace nstopo::kernel {

class Sessions {
  public:
    // The host socket is made here, in the calling thread's namespace (the "host" of every `ns`
    // parameter that is "").
    explicit Sessions(const NetnsDir& dir);

    // The socket of namespace `op.ns`, made on first use. A namespace re-created under the same
    // name since (another identity) gets a fresh socket. Fails if the namespace is absent.
    NlSocket& socket(const Op& op);
    // The socket of namespace `ns` if one is kept and the namespace is still the one it was made
    // in; nullptr otherwise (a socket of a namespace re-created since is dropped).
    NlSocket* cached(const std::string& ns);

    // Sysctl access for namespace `ns` (see NamespaceSysctls): through the private procfs
    // instances once the work spans more than 32 namespaces (`namespaces`, or the sockets kept),
    // through /proc below that, so that a small lab never makes an instance. Thread-safe.
    NamespaceSysctls sysctls_for(const std::string& ns, std::size_t namespaces = 0);
    // Adopts the socket made inside a namespace this process just created.
    void adopt(const std::string& ns, std::unique_ptr<NlSocket> socket, NetnsId id);
    // Closes the namespace's socket and forgets it. Must run before the namespace is deleted: an
    // open socket keeps the namespace, and so the far ends of its veths, alive.
    void drop(const std::string& ns);
    // Drops the sockets of namespaces deleted or re-created by someone else (`ip netns del`),
    // which would otherwise keep the deleted namespaces alive.
    void drop_vanished();

    // The ifindex of link `ifname` in `op.ns`, asked of the kernel on first use and remembered:
    // by name (RTM_GETLINK by IFLA_IFNAME), or after a run of misses by one dump of the
    // namespace's links (see the definition for why).
    int ifindex(const Op& op, const std::string& ifname);
    // Remembers what a full link dump of `ns` showed.
    void learn_ifindexes(const std::string& ns, std::unordered_map<std::string, int> by_name);
    // Forgets every remembered ifindex (after links were deleted, in any namespace: deleting a
    // veth or a namespace also deletes links elsewhere).
    void forget_ifindexes();

    // An fd of the host namespace (NETNSA_FD / IFLA_NET_NS_FD for ends that live there).
    const Fd& host_fd() const { return host_fd_; }

  private:
    struct Session {
        std::unique_ptr<NlSocket> socket;
        NetnsId id;
        std::unordered_map<std::string, int> ifindex;
        std::size_t misses_since_dump = 0;
    };
    static constexpr std::size_t kMissesBeforeDump = 16;
    void learn_by_dump(const Op& op, Session& s);
    Session& session(const Op& op);
    Session connect(const Op& op);

    const NetnsDir& dir_;
    Fd host_fd_;
    Session host_;
    std::unordered_map<std::string, Session> named_;
    ProcInstances procs_;
};

}  // namespace nstopo::kernel
