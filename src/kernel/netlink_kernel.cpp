// The libnl implementation of nstopo::Kernel. Not thread-safe: one thread at a time per object.
#include <linux/if.h>
#include <netlink/msg.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <exception>
#include <thread>

#include "convert.hpp"
#include "kernel_error.hpp"
#include "netns.hpp"
#include "nftables.hpp"
#include "nl_socket.hpp"
#include "nstopo/kernel.hpp"
#include "nstopo/nftables.hpp"
#include "nstopo/process_start.hpp"
#include "observer.hpp"
#include "qdisc.hpp"
#include "requests.hpp"
#include "sessions.hpp"
#include "sysctl.hpp"

namespace nstopo {

namespace {

using kernel::Fd;
using kernel::Op;

std::string on(const std::string& ifname) {
    return " on " + ifname;
}

class NetlinkKernel final : public Kernel {
  public:
    explicit NetlinkKernel(const KernelOptions& options)
        : options_(options), dir_(options.netns_dir), sessions_(dir_) {}

    Topology observe(const ObserveScope& scope) override {
        return kernel::observe(sessions_, dir_, scope);
    }

    std::vector<std::string> list_namespaces() override { return dir_.names(); }

    // The namespace's socket is made, and its lo marked, inside it before it gets its name: a
    // namespace never shows under a name the lab recorded without the lab's mark (ownership.hpp).
    void create_namespace(const std::string& name, const std::string& lab) override {
        const Op op{name, "create namespace", name};
        std::unique_ptr<kernel::NlSocket> socket;
        dir_.create(op, name, [&] {
            socket = kernel::NlSocket::connect_here(op);
            const kernel::LinkPtr lo = marked(kernel::link_named("lo"), lab);
            socket->run(Op{name, "mark", "lo"},
                        [&](nl_sock* sk) { return rtnl_link_change(sk, lo.get(), lo.get(), 0); });
        });
        sessions_.adopt(name, std::move(socket), dir_.id_of(name).value_or(kernel::NetnsId{}));
    }

    void delete_namespace(const std::string& name) override {
        // Our socket and fds would keep the namespace (and its veths' far ends) alive.
        sessions_.drop(name);
        sessions_.forget_ifindexes();
        dir_.remove(Op{name, "delete namespace", name}, name);
    }

    void create_veth(const Veth& veth, const std::string& lab) override {
        add_veth_in_place(Op{veth.a.ns, "create veth", veth.a.str() + " <-> " + veth.b.str()},
                          veth);
        // Measured on Linux 6.18: IFLA_IFALIAS in the create request is ignored for both ends
        // (rtnl_create_link does not read it), so each end is marked by a change of its own.
        try {
            mark(veth.a.ns, veth.a.ifname, lab);
            mark(veth.b.ns, veth.b.ifname, lab);
        } catch (...) {
            delete_quietly(veth.a);
            throw;
        }
    }

    // Made by the namespace's own socket, in place; marked by a change of its own, as a veth end.
    void create_bridge(const std::string& ns, const std::string& ifname,
                       const BridgeOptions& options, const std::string& lab) override {
        send_bridge(Op{ns, "create bridge", ifname}, ifname, options, true);
        try {
            mark(ns, ifname, lab);
        } catch (...) {
            delete_quietly(VethEnd{ns, ifname});
            throw;
        }
    }

    void set_bridge_options(const std::string& ns, const std::string& ifname,
                            const BridgeOptions& options) override {
        send_bridge(Op{ns, "set bridge options", ifname}, ifname, options, false);
    }

    void set_master(const std::string& ns, const std::string& ifname,
                    const std::string& master) override {
        const Op op{ns, "set master", (master.empty() ? std::string("none") : master) + on(ifname)};
        const kernel::LinkPtr change = kernel::link_named(ifname);
        rtnl_link_set_master(change.get(), master.empty() ? 0 : sessions_.ifindex(op, master));
        change_link(op, change.get());
    }

    void delete_link(const std::string& ns, const std::string& ifname) override {
        const Op op{ns, "delete link", ifname};
        const kernel::LinkPtr link = kernel::link_named(ifname);
        // Forgotten first: a link that vanished by itself (ENODEV) must not leave its index
        // behind for a link made next under its name.
        sessions_.forget_ifindexes();
        sessions_.socket(op).run(op, [&](nl_sock* sk) { return rtnl_link_delete(sk, link.get()); });
    }

    void set_link_state(const std::string& ns, const std::string& ifname, LinkState s) override {
        const kernel::LinkPtr change = kernel::link_named(ifname);
        if (s == LinkState::up)
            rtnl_link_set_flags(change.get(), IFF_UP);
        else
            rtnl_link_unset_flags(change.get(), IFF_UP);
        change_link(Op{ns, "set link " + to_string(s), ifname}, change.get());
    }

    void set_mtu(const std::string& ns, const std::string& ifname, std::uint32_t mtu) override {
        const kernel::LinkPtr change = kernel::link_named(ifname);
        rtnl_link_set_mtu(change.get(), mtu);
        change_link(Op{ns, "set mtu", std::to_string(mtu) + on(ifname)}, change.get());
    }

    void set_mac(const std::string& ns, const std::string& ifname, const MacAddress& mac) override {
        const kernel::LinkPtr change = kernel::link_named(ifname);
        const kernel::NlAddrPtr lladdr = kernel::to_nl_addr(mac);
        if (!lladdr) throw std::bad_alloc();
        rtnl_link_set_addr(change.get(), lladdr.get());
        change_link(Op{ns, "set mac", mac.str() + on(ifname)}, change.get());
    }

    void add_address(const std::string& ns, const std::string& ifname, const Cidr& a,
                     Dad dad) override {
        const Op op{ns, "add address", a.str() + on(ifname)};
        const kernel::AddrPtr addr = kernel::address(sessions_.ifindex(op, ifname), a, dad);
        sessions_.socket(op).run(op, [&](nl_sock* sk) {
            return rtnl_addr_add(sk, addr.get(), NLM_F_CREATE | NLM_F_EXCL);
        });
    }

    void delete_address(const std::string& ns, const std::string& ifname, const Cidr& a) override {
        const Op op{ns, "delete address", a.str() + on(ifname)};
        const kernel::AddrPtr addr = kernel::address(sessions_.ifindex(op, ifname), a);
        sessions_.socket(op).run(op,
                                 [&](nl_sock* sk) { return rtnl_addr_delete(sk, addr.get(), 0); });
    }

    void add_route(const std::string& ns, const Route& r) override {
        const Op op{ns, "add route", r.str()};
        const kernel::RoutePtr route = kernel::route_to_add(r, route_oif(op, r));
        sessions_.socket(op).run(op, [&](nl_sock* sk) {
            return rtnl_route_add(sk, route.get(), NLM_F_CREATE | NLM_F_EXCL);
        });
    }

    // In the host only a route of nstopo's protocol is deleted: never one made meanwhile by hand
    // in its place. A lab's namespace is the file's: any route there is the lab's.
    void delete_route(const std::string& ns, const Route& r) override {
        const Op op{ns, "delete route", r.str()};
        const kernel::RoutePtr route = kernel::route_to_delete(r, route_oif(op, r), ns.empty());
        sessions_.socket(op).run(
            op, [&](nl_sock* sk) { return rtnl_route_delete(sk, route.get(), 0); });
    }

    void set_sysctl(const std::string& ns, const std::string& key,
                    const std::string& value) override {
        const Op op{ns, "set sysctl", key + "=" + value};
        if (!ns.empty() && !kernel::is_per_netns_key(key))
            kernel::fail(op, EINVAL,
                         "only net.* sysctls belong to a namespace; " + key +
                             " would change the whole machine");
        kernel::NamespaceSysctls sysctls = sessions_.sysctls_for(ns);
        const Fd target = namespace_fd(op, ns);
        const kernel::EnterNetns inside(ns.empty() ? sessions_.host_fd() : target, op);
        sysctls.write(op, key, value);
    }

    void add_shaping(const std::string& ns, const std::string& ifname,
                     const Shaping& shaping) override {
        const Op op{ns, "shape", ifname + ": " + shaping.str()};
        kernel::add_shaping(sessions_.socket(op), op, sessions_.ifindex(op, ifname),
                            mtu_of(op, ifname), shaping);
    }

    void change_shaping(const std::string& ns, const std::string& ifname, const Shaping& from,
                        const Shaping& to) override {
        const Op op{ns, "shape", ifname + ": " + to.str()};
        kernel::change_shaping(sessions_.socket(op), op, sessions_.ifindex(op, ifname),
                               mtu_of(op, ifname), from, to);
    }

    void remove_shaping(const std::string& ns, const std::string& ifname) override {
        const Op op{ns, "unshape", ifname};
        kernel::remove_root_qdisc(sessions_.socket(op), op, sessions_.ifindex(op, ifname));
    }

    // Made on lo of a scratch namespace on a thread of its own (see sysctl_access), so nothing
    // of the machine's is touched. Where no namespace can be made, every kind is taken as
    // supported: the plan then fails at the kernel's own refusal.
    std::map<std::string, bool> qdisc_support(const std::vector<std::string>& kinds) override {
        std::map<std::string, bool> answers;
        for (const auto& kind : kinds) answers[kind] = true;
        std::exception_ptr failure;
        std::thread scratch([&] {
            try {
                if (::unshare(CLONE_NEWNET) != 0) {
                    spdlog::debug("cannot make a scratch namespace ({}); qdiscs are not probed",
                                  std::strerror(errno));
                    return;
                }
                const auto socket = kernel::NlSocket::connect_here(Op{"", "probe", "qdiscs"});
                for (const auto& kind : kinds)
                    answers[kind] = kernel::qdisc_kind_supported(*socket, kind);
            } catch (...) {
                failure = std::current_exception();
            }
        });
        scratch.join();
        if (failure) std::rethrow_exception(failure);
        return answers;
    }

    // Asked in a scratch namespace made for it on a thread of its own (unshare(CLONE_NEWNET)
    // moves just that thread, and /proc/sys answers for the looking thread's namespace), in the
    // calling thread's user namespace: it answers as a lab namespace would. The host's own
    // namespace would not: the machine's initial namespace lets root write net.core.rmem_max,
    // which every other namespace has read-only. Where no namespace can be made (no privileges),
    // the calling thread's namespace answers instead.
    std::map<std::string, SysctlAccess> sysctl_access(
        const std::vector<std::string>& keys) override {
        std::map<std::string, SysctlAccess> answers;
        std::thread scratch([&] {
            if (::unshare(CLONE_NEWNET) != 0)
                spdlog::debug(
                    "cannot make a scratch namespace ({}); sysctl keys are checked in "
                    "this one",
                    std::strerror(errno));
            for (const auto& key : keys) answers[key] = kernel::sysctl_access_here(key);
        });
        scratch.join();
        return answers;
    }

    CanonicalTable canonical_table(const NftTable& t) override {
        return kernel::canonical_in_scratch(t);
    }

    void load_table(const std::string& ns, const NftTable& t) override {
        run_nft(Op{ns, "load nftables", "table " + t.id()}, replace_script(t));
    }

    void delete_table(const std::string& ns, const NftTable& t) override {
        run_nft(Op{ns, "delete nftables", "table " + t.id()}, delete_script(t));
    }

    ProcessIdentity start_process(
        const std::string& ns, const Process& p, const std::string& log_path,
        const std::function<void(const ProcessIdentity&)>& started) override {
        return nstopo::start_process(options_, ns, p, log_path, started);
    }

    ProcessState process_state(const std::string& ns, const ProcessIdentity& id) override {
        return nstopo::process_state(options_, ns, id);
    }

    void stop_process(const std::string& ns, const ProcessIdentity& id) override {
        if (nstopo::stop_process(id, kStopGrace)) return;
        kernel::fail(Op{ns, "stop process", "pid " + std::to_string(id.pid)}, EBUSY,
                     "its process group survived SIGKILL");
    }

    void stop_processes_in(const std::vector<std::string>& namespaces) override {
        nstopo::stop_processes_in(options_, namespaces, kStopGrace);
    }

  private:
    // How long a program has to exit after SIGTERM before SIGKILL.
    static constexpr std::chrono::milliseconds kStopGrace{3000};

    // An fd of namespace `ns`; no fd for the host (requests then act where the socket is).
    Fd namespace_fd(const Op& op, const std::string& ns) const {
        return ns.empty() ? Fd() : dir_.open(op, ns);
    }

    // The link's MTU, asked of the kernel.
    std::uint32_t mtu_of(const Op& op, const std::string& ifname) {
        rtnl_link* raw = nullptr;
        const int ifindex = sessions_.ifindex(op, ifname);
        sessions_.socket(op).run(
            op, [&](nl_sock* sk) { return rtnl_link_get_kernel(sk, ifindex, nullptr, &raw); });
        const kernel::LinkPtr link(raw);
        return rtnl_link_get_mtu(link.get());
    }

    // Runs an nft script inside namespace `ns` (libnftables opens its socket in the calling
    // thread's namespace, see nftables.hpp); nft's first message when it refuses.
    void run_nft(const Op& op, const std::string& script) {
        const Fd target = namespace_fd(op, op.ns);
        const kernel::EnterNetns inside(op.ns.empty() ? sessions_.host_fd() : target, op);
        const auto messages = kernel::run_script_here(script);
        if (messages.empty()) return;
        const auto& m = messages.front();
        kernel::fail(op, EINVAL, "nft: " + m.text + (m.detail.empty() ? "" : "\n" + m.detail));
    }

    int route_oif(const Op& op, const Route& r) {
        return r.dev ? sessions_.ifindex(op, *r.dev) : 0;
    }

    void change_link(const Op& op, rtnl_link* change) {
        sessions_.socket(op).run(
            op, [&](nl_sock* sk) { return rtnl_link_change(sk, change, change, 0); });
    }

    // One RTM_NEWLINK from the host socket with IFLA_NET_NS_FD on each end that is not the
    // host's; no create-then-move (moving a veth costs an RCU barrier under the RTNL lock).
    void add_veth_in_place(const Op& op, const Veth& veth) {
        const Fd a_ns = namespace_fd(op, veth.a.ns);
        const Fd b_ns = namespace_fd(op, veth.b.ns);
        const kernel::LinkPtr pair = kernel::veth_pair(veth, a_ns, b_ns);
        sessions_.socket(Op{}).run(op, [&](nl_sock* sk) {
            return rtnl_link_add(sk, pair.get(), NLM_F_CREATE | NLM_F_EXCL);
        });
    }

    void send_bridge(const Op& op, const std::string& ifname, const BridgeOptions& options,
                     bool create) {
        const kernel::MsgPtr msg = kernel::bridge_request(ifname, options, create);
        sessions_.socket(op).run(op, [&](nl_sock* sk) {
            if (const int rc = nl_send_auto(sk, msg.get()); rc < 0) return rc;
            return nl_wait_for_ack(sk);
        });
    }

    // A change that sets the link's ifalias to the lab's ownership mark.
    static kernel::LinkPtr marked(kernel::LinkPtr change, const std::string& lab) {
        rtnl_link_set_ifalias(change.get(), link_mark(lab).c_str());
        return change;
    }

    void mark(const std::string& ns, const std::string& ifname, const std::string& lab) {
        change_link(Op{ns, "mark", ifname}, marked(kernel::link_named(ifname), lab).get());
    }

    void delete_quietly(const VethEnd& end) noexcept {
        try {
            delete_link(end.ns, end.ifname);
        } catch (const std::exception& e) {
            spdlog::warn("cannot undo veth {}: {}", end.str(), e.what());
        }
    }

    KernelOptions options_;
    kernel::NetnsDir dir_;
    kernel::Sessions sessions_;
};

// One socket per namespace means one fd per namespace (kept for the whole run; sysctl directories
// are held only while a namespace is read or written, one or two per thread): a lab of 1000
// namespaces needs more than the common soft limit of 1024. Raise the soft limit to the hard one,
// as far as allowed.
void raise_fd_limit() {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) return;
    const auto before = lim.rlim_cur;
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) == 0)
        spdlog::debug("raised the open-file limit from {} to {}", before, lim.rlim_cur);
}

}  // namespace

std::unique_ptr<Kernel> make_netlink_kernel(const KernelOptions& options) {
    raise_fd_limit();
    return std::make_unique<NetlinkKernel>(options);
}

}  // namespace nstopo
