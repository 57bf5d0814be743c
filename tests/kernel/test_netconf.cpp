// Sysctls read through rtnetlink (RTM_GETNETCONF): the same values /proc/sys shows, each
// namespace's own. White-box: the kernel layer's private netconf.hpp.
#include "netconf.hpp"
#include "netns.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
const kernel::Op kOp{"", "test", ""};

// A netlink socket made inside namespace `ns` (made by `ip netns add`).
std::unique_ptr<kernel::NlSocket> socket_in(const std::string& ns) {
    const kernel::NetnsDir dir("/run/netns");
    const kernel::EnterNetns in(dir.open(kOp, ns), kOp);
    return kernel::NlSocket::connect_here(kOp);
}

// KEY's value as `ip netns exec NS sysctl` prints it.
std::string proc_value(const std::string& ns, const std::string& key) {
    std::string v = run_ok("ip netns exec " + ns + " sysctl -n " + key);
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    return v;
}

const std::vector<std::string> kNetconfKeys = {
    "net.ipv4.ip_forward",
    "net.ipv4.conf.all.forwarding",
    "net.ipv4.conf.default.forwarding",
    "net.ipv4.conf.all.rp_filter",
    "net.ipv4.conf.default.rp_filter",
    "net.ipv4.conf.all.proxy_arp",
    "net.ipv4.conf.default.ignore_routes_with_linkdown",
    "net.ipv6.conf.all.forwarding",
    "net.ipv6.conf.default.forwarding",
    "net.ipv6.conf.all.proxy_ndp",
    "net.ipv6.conf.all.ignore_routes_with_linkdown",
};
}  // namespace

TEST_CASE("which keys rtnetlink reports") {
    for (const auto& key : kNetconfKeys) {
        INFO(key);
        CHECK(kernel::is_netconf_key(key));
    }
    for (const char* key : {"net.ipv4.conf.all.promote_secondaries", "net.ipv6.conf.all.rp_filter",
                            "net.ipv4.conf.lo.forwarding", "net.ipv6.conf.default.accept_dad",
                            "net.ipv4.conf.all.proxy_ndp", "net.ipv4.ip_forward_use_pmtu",
                            "net.ipv4.conf.all.forwarding.x", "net.ipv4.conf.forwarding"}) {
        INFO(key);
        CHECK_FALSE(kernel::is_netconf_key(key));
    }
}

TEST_CASE("netconf values are /proc/sys's, each namespace's own, before and after a change") {
    run_ok("ip netns add nc-a && ip netns add nc-b");
    const auto a = socket_in("nc-a");
    const auto b = socket_in("nc-b");
    const auto expect_proc_values = [&](const std::string& ns, kernel::NlSocket& s) {
        const auto values = kernel::read_netconf(s, kNetconfKeys, ns);
        for (const auto& key : kNetconfKeys) {
            INFO(ns << " " << key);
            REQUIRE(values.count(key) == 1);
            CHECK(values.at(key) == proc_value(ns, key));
        }
    };
    expect_proc_values("nc-a", *a);

    run_ok(
        "ip netns exec nc-a sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2 "
        "net.ipv4.conf.default.rp_filter=1 net.ipv4.conf.all.proxy_arp=1 "
        "net.ipv4.conf.default.ignore_routes_with_linkdown=1 "
        "net.ipv6.conf.default.forwarding=1 net.ipv6.conf.all.proxy_ndp=1 "
        "net.ipv6.conf.all.ignore_routes_with_linkdown=1");
    expect_proc_values("nc-a", *a);
    CHECK(kernel::read_netconf(*a, {"net.ipv4.ip_forward"}, "nc-a").at("net.ipv4.ip_forward") ==
          "1");
    CHECK(kernel::read_netconf(*a, {"net.ipv4.conf.all.rp_filter"}, "nc-a")
              .at("net.ipv4.conf.all.rp_filter") == "2");
    // The other namespace keeps its own values.
    expect_proc_values("nc-b", *b);
    CHECK(kernel::read_netconf(*b, {"net.ipv4.ip_forward"}, "nc-b").at("net.ipv4.ip_forward") ==
          "0");
}

TEST_CASE("keys rtnetlink does not report are left for /proc/sys") {
    run_ok("ip netns add nc-c");
    const auto c = socket_in("nc-c");
    const auto values = kernel::read_netconf(
        *c, {"net.ipv4.conf.all.promote_secondaries", "net.ipv6.conf.all.forwarding"}, "nc-c");
    CHECK(values == std::map<std::string, std::string>{{"net.ipv6.conf.all.forwarding", "0"}});
}
