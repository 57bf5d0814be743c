#include "nl_socket.hpp"

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace nstopo::kernel {

namespace {

// The NLMSGERR_ATTR_MSG of an error message, if the kernel sent one. The TLVs follow the
// nlmsgerr and, unless the kernel capped the ack (NLM_F_CAPPED), the echoed request payload.
std::string extended_ack_message(const nlmsgerr* err) {
    const auto* hdr =
        reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(err) - NLMSG_HDRLEN);
    if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return {};
    std::size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
    if ((hdr->nlmsg_flags & NLM_F_CAPPED) == 0) offset += err->msg.nlmsg_len - NLMSG_HDRLEN;
    offset = NLMSG_ALIGN(offset);
    if (offset >= hdr->nlmsg_len) return {};
    auto* tlvs =
        reinterpret_cast<nlattr*>(const_cast<char*>(reinterpret_cast<const char*>(hdr)) + offset);
    nlattr* tb[NLMSGERR_ATTR_MAX + 1] = {};
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, tlvs, static_cast<int>(hdr->nlmsg_len - offset), nullptr) <
            0 ||
        tb[NLMSGERR_ATTR_MSG] == nullptr)
        return {};
    return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

int set_socket_flag(nl_sock* sk, int option, int value = 1) {
    return setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, option, &value, sizeof value);
}

int stop_here(nl_msg*, void* reached) {
    *static_cast<bool*>(reached) = true;
    return NL_STOP;
}

int pass_reply(nl_msg* msg, void* on_reply) {
    (*static_cast<const std::function<void(nl_msg*)>*>(on_reply))(msg);
    return NL_OK;
}

// Thrown by run() inside consistently() when a dump came back interrupted; never leaves the socket.
struct DumpInterrupted {};

std::string describe(const Refusal& r) {
    if (r.errno_value == 0) return r.detail;
    std::string s = std::strerror(r.errno_value);
    if (!r.ext_ack.empty()) s += ": " + r.ext_ack;
    return s;
}

}  // namespace

std::uint64_t NlSocket::netns_cookie() const {
    std::uint64_t cookie = 0;
    socklen_t size = sizeof cookie;
    if (getsockopt(nl_socket_get_fd(sock_.get()), SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &size) != 0)
        return 0;
    return cookie;
}

std::unique_ptr<NlSocket> NlSocket::connect_here(const Op& op) {
    std::unique_ptr<NlSocket> s(new NlSocket());
    s->sock_.reset(nl_socket_alloc());
    if (!s->sock_) fail(op, ENOMEM, "cannot allocate a netlink socket");
    if (const int rc = nl_connect(s->sock_.get(), NETLINK_ROUTE); rc < 0)
        fail(op, 0, std::string("cannot open a netlink socket: ") + nl_geterror(rc));
    s->enable_extended_ack();
    s->read_datagrams_whole();
    nl_socket_modify_err_cb(s->sock_.get(), NL_CB_CUSTOM, &NlSocket::keep_refusal, s.get());
    spdlog::debug("netlink socket for {} opened",
                  op.ns.empty() ? std::string("the host namespace") : "namespace " + op.ns);
    return s;
}

// Extended ack (Linux 4.12+) carries the kernel's reason ("Nexthop device is not up"); the cap
// keeps the kernel from echoing the whole request back in every error.
void NlSocket::enable_extended_ack() {
    if (set_socket_flag(sock_.get(), NETLINK_EXT_ACK) != 0)
        spdlog::debug("netlink extended ack unavailable: {}", std::strerror(errno));
    if (set_socket_flag(sock_.get(), NETLINK_CAP_ACK) != 0)
        spdlog::debug("netlink capped ack unavailable: {}", std::strerror(errno));
}

// libnl by default peeks at each datagram to size its buffer, then reads it: two recvmsg calls
// and two copies per datagram, a fifth of the system calls of observing a namespace. Read into
// one buffer instead. The kernel makes dump datagrams of at most 32 KiB (netlink_recvmsg caps
// max_recvmsg_len), or one message where a single message is larger (the link dump's
// min_dump_alloc). nstopo's dumps leave out the large optional parts of links (statistics, VF
// lists), and its single-link requests (Sessions::ifindex) are for the lab's own veths and lo,
// which have none: no message comes near 64 KiB. One that did would fail the command with
// libnl's "Message truncated", never be cut silently.
void NlSocket::read_datagrams_whole() {
    nl_socket_set_msg_buf_size(sock_.get(), kReceiveBuffer);
    nl_socket_disable_msg_peek(sock_.get());
}

int NlSocket::keep_refusal(sockaddr_nl*, nlmsgerr* err, void* self) {
    auto* s = static_cast<NlSocket*>(self);
    s->refusal_.errno_value = -err->error;
    s->refusal_.ext_ack = extended_ack_message(err);
    return NL_STOP;  // libnl then returns its folded code; the real one is kept above
}

void NlSocket::set_strict_checking(bool on) {
    if (set_socket_flag(sock_.get(), NETLINK_GET_STRICT_CHK, on ? 1 : 0) != 0)
        spdlog::debug("netlink strict checking unavailable: {}", std::strerror(errno));
}

void NlSocket::run(const Op& op, const std::function<int(nl_sock*)>& call) {
    refusal_ = {};
    const int rc = call(sock_.get());
    if (rc >= 0) {
        spdlog::trace("netlink {}: ok", op.str());
        return;
    }
    if (rc == -NLE_DUMP_INTR && retry_interrupted_) {
        spdlog::debug("netlink {}: interrupted by a concurrent change, read again", op.str());
        throw DumpInterrupted{};
    }
    if (refusal_.errno_value == 0) refusal_.detail = std::string("libnl: ") + nl_geterror(rc);
    spdlog::trace("netlink {}: {}", op.str(), describe(refusal_));
    throw kernel_error(op, refusal_);
}

void NlSocket::consistently(const Op& op, const std::function<void()>& read) {
    struct Retrying {
        bool& flag;
        explicit Retrying(bool& f) : flag(f) { flag = true; }
        ~Retrying() { flag = false; }
        Retrying(const Retrying&) = delete;
        Retrying& operator=(const Retrying&) = delete;
    } retrying{retry_interrupted_};
    for (int attempt = 1; attempt <= kDumpAttempts; ++attempt) {
        try {
            read();
            return;
        } catch (const DumpInterrupted&) {
            ++dumps_read_again_;
        }
    }
    fail(op, EAGAIN,
         "the kernel's dump was interrupted by concurrent changes " +
             std::to_string(kDumpAttempts) + " times in a row");
}

void NlSocket::exchange(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply,
                        nl_cb_type last) {
    run(op, [&](nl_sock* sk) {
        if (const int rc = nl_send_auto(sk, msg); rc < 0) return rc;
        CallbacksPtr socket_cb(nl_socket_get_cb(sk));
        CallbacksPtr cb(nl_cb_clone(socket_cb.get()));
        if (!cb) return -NLE_NOMEM;
        bool reached = false;
        nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, pass_reply,
                  const_cast<std::function<void(nl_msg*)>*>(&on_reply));
        nl_cb_set(cb.get(), last, NL_CB_CUSTOM, stop_here, &reached);
        while (!reached)
            if (const int rc = nl_recvmsgs(sk, cb.get()); rc < 0) return rc;
        return 0;
    });
}

void NlSocket::request(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply) {
    // The reply and the ack arrive as separate datagrams; read until the ack so that the next
    // request does not take this one's ack for its own.
    exchange(op, msg, on_reply, NL_CB_ACK);
}

void NlSocket::dump(const Op& op, nl_msg* msg, const std::function<void(nl_msg*)>& on_reply) {
    exchange(op, msg, on_reply, NL_CB_FINISH);
}

}  // namespace nstopo::kernel
