// NamespaceSysctls through private procfs instances (ProcInstances) and through /proc: the same
// values, each namespace's own. White-box: the kernel layer's private sysctl.hpp and netns.hpp.
#include "netns.hpp"
#include "support.hpp"
#include "sysctl.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
const kernel::Op kOp{"", "test", ""};

// Runs `f` with the calling thread inside namespace `ns` (made by `ip netns add`).
template <class F>
void inside(const std::string& ns, F&& f) {
    const kernel::NetnsDir dir("/run/netns");
    const kernel::EnterNetns in(dir.open(kOp, ns), kOp);
    f();
}
}  // namespace

TEST_CASE("sysctls through a private procfs instance are each namespace's own") {
    run_ok("ip netns add pi-a && ip netns add pi-b");
    run_ok("ip netns exec pi-a sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1");
    kernel::ProcInstances procs(2);
    REQUIRE(procs.root(0) >= 0);  // the kernel lets root make one (Linux 5.2+, not filtered)

    for (const std::size_t slot : {0, 1}) {
        INFO("slot " << slot);
        // Both namespaces through the same instance, then through /proc: each sees its own.
        for (kernel::ProcInstances* via : {&procs, static_cast<kernel::ProcInstances*>(nullptr)}) {
            inside("pi-a", [&] {
                kernel::NamespaceSysctls s(via, slot);
                CHECK(s.read(kOp, kIpv4Forwarding) == "1");
                CHECK(s.read(kOp, kIpv6Forwarding) == "1");
                CHECK_FALSE(s.read(kOp, "net.ipv4.no_such_key"));
            });
            inside("pi-b", [&] {
                kernel::NamespaceSysctls s(via, slot);
                CHECK(s.read(kOp, kIpv4Forwarding) == "0");
                CHECK(s.read(kOp, kIpv6Forwarding) == "0");
            });
        }
    }
    // A write through an instance lands in the namespace the thread is in.
    inside("pi-b", [&] { kernel::NamespaceSysctls(&procs, 1).write(kOp, kIpv4Forwarding, "1"); });
    CHECK(run_ok("ip netns exec pi-b cat /proc/sys/net/ipv4/ip_forward") == "1\n");
    CHECK(run_ok("cat /proc/sys/net/ipv4/ip_forward") == "0\n");  // the sandbox's own: untouched
}

TEST_CASE("no procfs instance slots: sysctls go through /proc") {
    kernel::ProcInstances none(0);
    CHECK(none.root(0) == -1);
    run_ok("ip netns add pn-a");
    inside("pn-a", [&] {
        kernel::NamespaceSysctls s(&none, 5);
        s.write(kOp, kIpv4Forwarding, "1");
        CHECK(s.read(kOp, kIpv4Forwarding) == "1");
    });
    CHECK(run_ok("ip netns exec pn-a cat /proc/sys/net/ipv4/ip_forward") == "1\n");
}
