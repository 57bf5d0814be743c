#include "qdisc.hpp"

#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "dump_requests.hpp"
#include "kernel_error.hpp"
#include "nl_handles.hpp"

namespace nstopo::kernel {

namespace {

using QdiscPtr = std::unique_ptr<rtnl_qdisc, ReleaseWith<rtnl_qdisc_put>>;

// nstopo's layouts: a TBF root (rate alone), or a netem root with an optional TBF child.
constexpr std::uint32_t kTbfRoot = TC_H_MAKE(0x1U << 16, 0);
constexpr std::uint32_t kNetemRoot = TC_H_MAKE(0x2U << 16, 0);
constexpr std::uint32_t kTbfChild = TC_H_MAKE(0x20U << 16, 0);
constexpr std::uint32_t kTbfChildParent = TC_H_MAKE(kNetemRoot, 1);

// TBF's bucket: at least the rate's worth of one tick at HZ 250 (tc-tbf(8): burst >= rate/HZ;
// 250 is the lowest common HZ), and two whole packets of the link (a packet larger than the
// bucket is dropped). Its queue: 50 ms at the rate beyond the bucket, as `tc ... latency 50ms`.
constexpr std::uint32_t kTicksPerSecond = 250;
constexpr std::uint32_t kEthernetHeader = 14;
constexpr double kQueueSeconds = 0.05;

std::uint32_t tbf_burst(std::uint64_t bytes_per_second, std::uint32_t mtu) {
    const auto per_tick = (bytes_per_second + kTicksPerSecond - 1) / kTicksPerSecond;
    return static_cast<std::uint32_t>(
        std::max<std::uint64_t>(per_tick, 2ULL * (mtu + kEthernetHeader)));
}

// A qdisc object of `kind` on the link, at `parent` with `handle`.
QdiscPtr qdisc_of(const Op& op, int ifindex, std::uint32_t parent, std::uint32_t handle,
                  const char* kind) {
    QdiscPtr q(rtnl_qdisc_alloc());
    if (!q) fail(op, ENOMEM);
    rtnl_tc_set_ifindex(TC_CAST(q.get()), ifindex);
    rtnl_tc_set_parent(TC_CAST(q.get()), parent);
    rtnl_tc_set_handle(TC_CAST(q.get()), handle);
    if (rtnl_tc_set_kind(TC_CAST(q.get()), kind) < 0)
        fail(op, ENOENT, "no libnl qdisc " + std::string(kind));
    return q;
}

QdiscPtr tbf(const Op& op, int ifindex, std::uint32_t parent, std::uint32_t handle,
             std::uint64_t rate_bits, std::uint32_t mtu) {
    QdiscPtr q = qdisc_of(op, ifindex, parent, handle, "tbf");
    const auto bytes = rate_bits / 8;  // at most 17gbit: an int (the loader's limit)
    const auto burst = tbf_burst(bytes, mtu);
    rtnl_tc_set_mtu(TC_CAST(q.get()), mtu + kEthernetHeader);
    rtnl_qdisc_tbf_set_rate(q.get(), static_cast<int>(bytes), static_cast<int>(burst), 0);
    rtnl_qdisc_tbf_set_limit(q.get(),
                             static_cast<int>(static_cast<double>(bytes) * kQueueSeconds + burst));
    return q;
}

// libnl takes a probability as an int holding the kernel's u32.
int kernel_probability(std::uint32_t ppm) {
    return static_cast<int>(netem_probability_to_kernel(ppm));
}

QdiscPtr netem(const Op& op, int ifindex, const Netem& n) {
    QdiscPtr q = qdisc_of(op, ifindex, TC_H_ROOT, kNetemRoot, "netem");
    rtnl_netem_set_delay(q.get(), static_cast<int>(n.delay_us));
    rtnl_netem_set_jitter(q.get(), static_cast<int>(n.jitter_us));
    rtnl_netem_set_loss(q.get(), kernel_probability(n.loss));
    rtnl_netem_set_duplicate(q.get(), kernel_probability(n.duplicate));
    rtnl_netem_set_corruption_probability(q.get(), kernel_probability(n.corrupt));
    rtnl_netem_set_reorder_probability(q.get(), kernel_probability(n.reorder));
    return q;
}

// The qdiscs of the layout of `s`, root first.
std::vector<QdiscPtr> layout_of(const Op& op, int ifindex, std::uint32_t mtu, const Shaping& s) {
    std::vector<QdiscPtr> qdiscs;
    if (!s.netem) {
        if (s.rate) qdiscs.push_back(tbf(op, ifindex, TC_H_ROOT, kTbfRoot, *s.rate, mtu));
        return qdiscs;
    }
    qdiscs.push_back(netem(op, ifindex, *s.netem));
    if (s.rate) qdiscs.push_back(tbf(op, ifindex, kTbfChildParent, kTbfChild, *s.rate, mtu));
    return qdiscs;
}

// libnl 3.7's rtnl_qdisc_add sends the flags as given: NLM_F_CREATE is ours to say.
void create(NlSocket& socket, const Op& op, rtnl_qdisc* q) {
    socket.run(op, [&](nl_sock* sk) { return rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_EXCL); });
}

// `tc qdisc change`: RTM_NEWQDISC without NLM_F_CREATE, to the qdisc of the same parent and
// handle, which keeps its statistics and queue.
void change_in_place(NlSocket& socket, const Op& op, rtnl_qdisc* q) {
    socket.run(op, [&](nl_sock* sk) { return rtnl_qdisc_update(sk, q, q, 0); });
}

void delete_qdisc(NlSocket& socket, const Op& op, int ifindex, std::uint32_t parent) {
    const QdiscPtr q(rtnl_qdisc_alloc());
    if (!q) fail(op, ENOMEM);
    rtnl_tc_set_ifindex(TC_CAST(q.get()), ifindex);
    rtnl_tc_set_parent(TC_CAST(q.get()), parent);
    socket.run(op, [&](nl_sock* sk) { return rtnl_qdisc_delete(sk, q.get()); });
}

// libnl sends netem's reorder and corruption only when they are above 0, and the kernel keeps
// the old value of one it is not sent: one that goes to 0 needs a new netem qdisc.
bool netem_changes_in_place(const Netem& from, const Netem& to) {
    return !(from.reorder != 0 && to.reorder == 0) && !(from.corrupt != 0 && to.corrupt == 0);
}

bool same_layout(const Shaping& from, const Shaping& to) {
    if (!from.foreign.empty() || !to.foreign.empty()) return false;
    if (from.netem.has_value() != to.netem.has_value()) return false;
    return !from.netem || netem_changes_in_place(*from.netem, *to.netem);
}

// --- reading
// --------------------------------------------------------------------------------------

struct RawQdisc {
    int ifindex = 0;
    std::uint32_t handle = 0;
    std::uint32_t parent = 0;
    std::string kind;
    std::optional<std::uint64_t> rate_bits;  // tbf
    std::optional<Netem> netem;              // netem
};

std::optional<std::uint64_t> tbf_rate_of(nlattr* options) {
    nlattr* tb[TCA_TBF_MAX + 1] = {};
    if (options == nullptr || nla_parse_nested(tb, TCA_TBF_MAX, options, nullptr) < 0 ||
        tb[TCA_TBF_PARMS] == nullptr || nla_len(tb[TCA_TBF_PARMS]) < int{sizeof(tc_tbf_qopt)})
        return std::nullopt;
    tc_tbf_qopt qopt{};
    std::memcpy(&qopt, nla_data(tb[TCA_TBF_PARMS]), sizeof qopt);
    std::uint64_t bytes = qopt.rate.rate;
    if (tb[TCA_TBF_RATE64] != nullptr) bytes = nla_get_u64(tb[TCA_TBF_RATE64]);
    return bytes * 8;
}

// netem's options are a tc_netem_qopt followed by attributes (the kernel's netem_dump).
// Delays come as psched ticks of 64 ns, or in ns from TCA_NETEM_LATENCY64 / JITTER64.
std::optional<Netem> netem_of(nlattr* options) {
    if (options == nullptr || nla_len(options) < int{sizeof(tc_netem_qopt)}) return std::nullopt;
    tc_netem_qopt qopt{};
    std::memcpy(&qopt, nla_data(options), sizeof qopt);
    constexpr int kQoptSize = NLA_ALIGN(sizeof(tc_netem_qopt));
    nlattr* tb[TCA_NETEM_MAX + 1] = {};
    if (nla_len(options) > kQoptSize)
        nla_parse(tb, TCA_NETEM_MAX,
                  reinterpret_cast<nlattr*>(static_cast<char*>(nla_data(options)) + kQoptSize),
                  nla_len(options) - kQoptSize, nullptr);
    const auto us = [](std::uint64_t ticks, nlattr* ns64) {
        const std::uint64_t ns = ns64 != nullptr ? nla_get_u64(ns64) : ticks * 64;
        return static_cast<std::uint32_t>((ns + 500) / 1000);
    };
    Netem n;
    n.delay_us = us(qopt.latency, tb[TCA_NETEM_LATENCY64]);
    n.jitter_us = us(qopt.jitter, tb[TCA_NETEM_JITTER64]);
    n.loss = netem_probability_from_kernel(qopt.loss);
    n.duplicate = netem_probability_from_kernel(qopt.duplicate);
    if (tb[TCA_NETEM_REORDER] != nullptr &&
        nla_len(tb[TCA_NETEM_REORDER]) >= int{sizeof(tc_netem_reorder)}) {
        tc_netem_reorder r{};
        std::memcpy(&r, nla_data(tb[TCA_NETEM_REORDER]), sizeof r);
        // The kernel reports a reorder probability without a gap, which it does not use.
        if (qopt.gap != 0) n.reorder = netem_probability_from_kernel(r.probability);
    }
    if (tb[TCA_NETEM_CORRUPT] != nullptr &&
        nla_len(tb[TCA_NETEM_CORRUPT]) >= int{sizeof(tc_netem_corrupt)}) {
        tc_netem_corrupt c{};
        std::memcpy(&c, nla_data(tb[TCA_NETEM_CORRUPT]), sizeof c);
        n.corrupt = netem_probability_from_kernel(c.probability);
    }
    return n;
}

std::optional<RawQdisc> raw_qdisc(nl_msg* msg) {
    nlmsghdr* hdr = nlmsg_hdr(msg);
    nlattr* tb[TCA_MAX + 1] = {};
    if (hdr->nlmsg_type != RTM_NEWQDISC ||
        nlmsg_parse(hdr, sizeof(tcmsg), tb, TCA_MAX, nullptr) < 0 || tb[TCA_KIND] == nullptr)
        return std::nullopt;
    const auto* tcm = static_cast<const tcmsg*>(nlmsg_data(hdr));
    RawQdisc q;
    q.ifindex = tcm->tcm_ifindex;
    q.handle = tcm->tcm_handle;
    q.parent = tcm->tcm_parent;
    q.kind = nla_get_string(tb[TCA_KIND]);
    if (q.kind == "tbf") q.rate_bits = tbf_rate_of(tb[TCA_OPTIONS]);
    if (q.kind == "netem") q.netem = netem_of(tb[TCA_OPTIONS]);
    return q;
}

std::string handle_text(std::uint32_t handle) {
    char text[16];
    std::snprintf(text, sizeof text, "%x:", TC_H_MAJ(handle) >> 16);
    return text;
}

// The shaping a link's root qdisc (and its children) show; nullopt for the kernel's default.
std::optional<Shaping> shaping_of(const RawQdisc& root, const std::vector<RawQdisc>& all) {
    if (root.handle == 0) return std::nullopt;
    Shaping s;
    if (root.kind == "tbf" && root.handle == kTbfRoot && root.rate_bits) {
        s.rate = root.rate_bits;
        return s;
    }
    if (root.kind == "netem" && root.handle == kNetemRoot && root.netem) {
        s.netem = root.netem;
        for (const auto& q : all)
            if (q.ifindex == root.ifindex && q.parent == kTbfChildParent) {
                if (q.kind == "tbf" && q.handle == kTbfChild && q.rate_bits)
                    s.rate = q.rate_bits;
                else
                    s.foreign = "netem " + handle_text(root.handle) + " with " + q.kind;
            }
        if (!s.foreign.empty()) {
            s.rate.reset();
            s.netem.reset();
        }
        return s;
    }
    s.foreign = root.kind + " " + handle_text(root.handle);
    return s;
}

}  // namespace

void read_qdiscs(Snapshot& snap, NlSocket& socket, const std::string& ns) {
    const Op op{ns, "list", "qdiscs"};
    std::vector<RawQdisc> all;
    socket.consistently(op, [&] {
        all.clear();
        socket.dump(op, qdisc_dump_request(op).get(), [&](nl_msg* msg) {
            if (auto q = raw_qdisc(msg)) all.push_back(std::move(*q));
        });
    });
    for (auto& [_, link] : snap.interfaces) link.shaping.reset();
    for (const auto& q : all) {
        if (q.parent != TC_H_ROOT) continue;
        const auto name = snap.names.find(q.ifindex);
        if (name == snap.names.end()) continue;
        snap.interfaces[name->second].shaping = shaping_of(q, all);
    }
}

void add_shaping(NlSocket& socket, const Op& op, int ifindex, std::uint32_t mtu, const Shaping& s) {
    for (const auto& q : layout_of(op, ifindex, mtu, s)) create(socket, op, q.get());
}

void change_shaping(NlSocket& socket, const Op& op, int ifindex, std::uint32_t mtu,
                    const Shaping& from, const Shaping& to) {
    if (!same_layout(from, to)) {
        remove_root_qdisc(socket, op, ifindex);
        add_shaping(socket, op, ifindex, mtu, to);
        return;
    }
    const auto qdiscs = layout_of(op, ifindex, mtu, to);
    change_in_place(socket, op, qdiscs.front().get());
    if (!to.netem) return;
    // netem's TBF child: changed, added or deleted.
    if (from.rate && to.rate)
        change_in_place(socket, op, qdiscs.back().get());
    else if (to.rate)
        create(socket, op, qdiscs.back().get());
    else if (from.rate)
        delete_qdisc(socket, op, ifindex, kTbfChildParent);
}

void remove_root_qdisc(NlSocket& socket, const Op& op, int ifindex) {
    try {
        delete_qdisc(socket, op, ifindex, TC_H_ROOT);
    } catch (const Error& e) {
        // The kernel's default root has handle 0, which RTM_DELQDISC refuses with ENOENT.
        if (!e.kernel() || e.kernel()->errno_value != ENOENT) throw;
    }
}

bool qdisc_kind_supported(NlSocket& socket, const std::string& kind) {
    const Op op{"", "probe qdisc", kind + " on lo"};
    constexpr int kLoopback = 1;  // lo is the first link of every namespace
    const auto made = kind == "netem" ? netem(op, kLoopback, Netem{})
                                      : tbf(op, kLoopback, TC_H_ROOT, kTbfRoot, 8'000'000, 65536);
    try {
        create(socket, op, made.get());
    } catch (const Error& e) {
        if (e.kernel() && e.kernel()->errno_value == ENOENT) return false;
        throw;
    }
    remove_root_qdisc(socket, op, kLoopback);
    return true;
}

}  // namespace nstopo::kernel
