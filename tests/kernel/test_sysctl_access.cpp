// Kernel::sysctl_access: whether a lab namespace made now lets nstopo write a key, answered in a
// scratch namespace (checked against what a namespace made by `ip netns add` shows).
#include <unistd.h>

#include "support.hpp"
#include "sysctl.hpp"

using namespace nstopo;
using namespace nstopo::test;

TEST_CASE("an interface's sysctl key is answered by the key each new link copies") {
    CHECK(kernel::key_for_any_namespace("net.ipv4.conf.ghost0.forwarding") ==
          "net.ipv4.conf.default.forwarding");
    CHECK(kernel::key_for_any_namespace("net.ipv6.conf.eth0/1.accept_dad") ==
          "net.ipv6.conf.default.accept_dad");
    CHECK(kernel::key_for_any_namespace("net.ipv4.neigh.eth0.gc_stale_time") ==
          "net.ipv4.neigh.lo.gc_stale_time");
    CHECK(kernel::key_for_any_namespace("net.ipv4.conf.all.forwarding") ==
          "net.ipv4.conf.all.forwarding");
    CHECK(kernel::key_for_any_namespace("net.ipv4.ip_forward") == "net.ipv4.ip_forward");
    CHECK(kernel::key_for_any_namespace("net.ipv4.conf.") == "net.ipv4.conf.");
}

TEST_CASE(
    "sysctl_access tells writable, missing and read-only keys apart as a lab namespace does") {
    auto k = make_kernel();
    const auto access = k->sysctl_access({"net.ipv4.ip_forward", "net.ipv4.conf.ghost0.rp_filter",
                                          "net.nstopo_no_such.key", "net.core.rmem_max"});
    CHECK(access.at("net.ipv4.ip_forward") == SysctlAccess::writable);
    CHECK(access.at("net.ipv4.conf.ghost0.rp_filter") == SysctlAccess::writable);
    CHECK(access.at("net.nstopo_no_such.key") == SysctlAccess::missing);
    // The witness: what `ip netns add` makes says whether rmem_max is read-only on this kernel.
    run_ok("ip netns add sa-witness");
    const bool read_only =
        run("ip netns exec sa-witness test -w /proc/sys/net/core/rmem_max").status != 0;
    CHECK(access.at("net.core.rmem_max") ==
          (read_only ? SysctlAccess::read_only : SysctlAccess::writable));
    // The answer came from a namespace of its own: the test's namespace and thread are as before.
    CHECK(run("ip netns list").output == "sa-witness\n");
}
