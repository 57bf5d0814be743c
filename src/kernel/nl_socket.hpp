// A NETLINK_ROUTE socket that reports failures with the kernel's own errno and extended-ack text.
//
// libnl folds errnos into NLE_* codes (ENETUNREACH and EHOSTUNREACH both become "Network is
// unreachable"...) and drops the extended ack. The socket installs its own error callback that
// keeps nlmsgerr->error and the NLMSGERR_ATTR_MSG text before libnl folds them.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "kernel_error.hpp"
#include "nl_handles.hpp"

namespace nstopo::kernel {

class NlSocket {
  public:
    // Connects in the network namespace the calling thread is in now; the socket stays bound to
    // that namespace for its whole life.
    static std::unique_ptr<NlSocket> connect_here(const Op& op);
    NlSocket(const NlSocket&) = delete;
    NlSocket& operator=(const NlSocket&) = delete;

    // Runs one request: `call` sends it with libnl and returns libnl's result. Logs one trace
    // line; throws the kernel's refusal as an Error describing `op`.
    void run(const Op& op, const std::function<int(nl_sock*)>& call);
    // Sends `msg` and hands every reply message to `on_reply` until the kernel's ack. For GET
    // requests libnl has no wrapper for, or whose wrappers hide the errno.
    void request(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply);
    // Sends the dump request `msg` and hands every reply message to `on_reply` until the kernel's
    // NLMSG_DONE. For dumps parsed here rather than by libnl's cache types.
    void dump(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply);
    // Runs `read` (dumps on this socket, each starting its results from scratch) again while the
    // kernel says one of its dumps was interrupted by a concurrent change: a namespace of a few
    // thousand links takes several reads to dump, and a link, address or route added or deleted
    // meanwhile marks the rest NLM_F_DUMP_INTR (libnl 3.7 then reads the dump to its end and
    // returns -NLE_DUMP_INTR). After kDumpAttempts interrupted tries it throws for `op`.
    void consistently(const Op& op, const std::function<void()>& read);
    static constexpr int kDumpAttempts = 16;
    // How many times consistently() has read again since the socket was made.
    std::size_t dumps_read_again() const { return dumps_read_again_; }
    // NETLINK_GET_STRICT_CHK (Linux 4.20+): the kernel then honours the filters of a dump request
    // (and refuses libnl's own short dump requests, so it is on only around filtered dumps).
    // Where the kernel lacks it, dumps are unfiltered.
    void set_strict_checking(bool on);
    // The cookie of the network namespace the socket is bound to (SO_NETNS_COOKIE, Linux 5.14+):
    // a number the kernel gives each namespace once and never again until it reboots, unlike an
    // nsfs inode, which a namespace made after another was freed may get again. 0 where the
    // kernel has none.
    std::uint64_t netns_cookie() const;

  private:
    NlSocket() = default;
    // Sends `msg` and hands every reply message to `on_reply` until the one of kind `last` (the
    // ack of a request, the NLMSG_DONE of a dump).
    void exchange(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply,
                  nl_cb_type last);
    void enable_extended_ack();
    void read_datagrams_whole();
    static constexpr std::size_t kReceiveBuffer = std::size_t{64} * 1024;
    static int keep_refusal(sockaddr_nl* from, nlmsgerr* err, void* self);

    SocketPtr sock_;
    Refusal refusal_;                 // filled by keep_refusal() during run()
    bool retry_interrupted_ = false;  // inside consistently(): an interrupted dump is retried
    std::size_t dumps_read_again_ = 0;
};

}  // namespace nstopo::kernel
