// Sysctls: written and read from inside the namespace; the host's own value is never touched.
#include <fstream>
#include <thread>

#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
// The value the test thread's own namespace (the sandbox: the kernel's "host") has.
std::string own_value(const std::string& path) {
    std::ifstream in(path);
    std::string v;
    std::getline(in, v);
    return v;
}

std::map<std::string, std::string> observe_sysctls(Kernel& k, const std::string& ns,
                                                   std::vector<std::string> keys) {
    ObserveScope s = scope_of({ns});
    s.sysctls[ns] = std::move(keys);
    return k.observe(s).namespaces.at(ns).sysctls;
}
}  // namespace

TEST_CASE("set_sysctl changes the namespace's value and not the host's") {
    auto k = make_kernel();
    k->create_namespace("sy-a", "lab1");
    const std::string host_before = own_value("/proc/sys/net/ipv4/ip_forward");

    k->set_sysctl("sy-a", kIpv4Forwarding, "1");
    k->set_sysctl("sy-a", kIpv6Forwarding, "1");
    CHECK(observe_sysctls(*k, "sy-a", {kIpv4Forwarding, kIpv6Forwarding}) ==
          std::map<std::string, std::string>{{kIpv4Forwarding, "1"}, {kIpv6Forwarding, "1"}});
    CHECK(run_ok("ip netns exec sy-a cat /proc/sys/net/ipv4/ip_forward") == "1\n");
    CHECK(own_value("/proc/sys/net/ipv4/ip_forward") == host_before);

    k->set_sysctl("sy-a", kIpv4Forwarding, "0");
    CHECK(observe_sysctls(*k, "sy-a", {kIpv4Forwarding}) ==
          std::map<std::string, std::string>{{kIpv4Forwarding, "0"}});
}

// /proc/self/net follows the thread-group leader, not the calling thread; /proc/sys/net follows
// the opening thread. Setting from another thread shows which one nstopo relies on.
TEST_CASE("set_sysctl from a thread other than the main one lands in the namespace") {
    auto k = make_kernel();
    k->create_namespace("syt-a", "lab1");
    const std::string host_before = own_value("/proc/sys/net/ipv4/ip_forward");
    std::thread([&] { k->set_sysctl("syt-a", kIpv4Forwarding, "1"); }).join();
    CHECK(observe_sysctls(*k, "syt-a", {kIpv4Forwarding}).at(kIpv4Forwarding) == "1");
    CHECK(own_value("/proc/sys/net/ipv4/ip_forward") == host_before);
}

TEST_CASE("observed sysctl values are whitespace-normalized, and unknown keys are absent") {
    auto k = make_kernel();
    k->create_namespace("syn-a", "lab1");
    k->set_sysctl("syn-a", "net.ipv4.tcp_rmem", "4096\t 100000   200000\n");
    const auto values = observe_sysctls(*k, "syn-a", {"net.ipv4.tcp_rmem", "net.ipv4.no_such_key"});
    CHECK(values ==
          std::map<std::string, std::string>{{"net.ipv4.tcp_rmem", "4096 100000 200000"}});
    CHECK(run_ok("ip netns exec syn-a cat /proc/sys/net/ipv4/tcp_rmem") ==
          "4096\t100000\t200000\n");
}

TEST_CASE("a dotted key names /proc/sys levels, and a slash stands for a dot in a level") {
    auto k = make_kernel();
    k->create_namespace("syd-a", "lab1");
    run_ok("ip -n syd-a link add syd.7 type veth peer name syd.8");
    k->set_sysctl("syd-a", "net.ipv4.conf.syd/7.forwarding", "1");
    CHECK(run_ok("ip netns exec syd-a cat /proc/sys/net/ipv4/conf/syd.7/forwarding") == "1\n");
}

TEST_CASE("set_sysctl refuses machine-wide keys in a namespace, bad keys and bad values") {
    auto k = make_kernel();
    k->create_namespace("syr-a", "lab1");
    const std::string hostname = own_value("/proc/sys/kernel/hostname");

    const Error global = error_from([&] { k->set_sysctl("syr-a", "kernel.hostname", "x"); });
    CHECK(global.kind() == ErrorKind::kernel);
    CHECK(errno_of(global) == EINVAL);
    CHECK(global.message().find("whole machine") != std::string::npos);
    CHECK(own_value("/proc/sys/kernel/hostname") == hostname);

    for (const char* key : {"net..ipv4", "net.ipv4.", "net.ipv4.conf.//..", ".net"}) {
        INFO(key);
        CHECK(errno_of(error_from([&] { k->set_sysctl("syr-a", key, "1"); })) == EINVAL);
    }
    CHECK(errno_of(error_from([&] { k->set_sysctl("syr-a", "net.ipv4.no_such_key", "1"); })) ==
          ENOENT);
    const Error value = error_from([&] { k->set_sysctl("syr-a", kIpv4Forwarding, "banana"); });
    CHECK(errno_of(value) == EINVAL);
    CHECK(value.kernel()->object == "net.ipv4.ip_forward=banana");
}

TEST_CASE("a read-only key refused to root is the key's refusal, not a call for root") {
    auto k = make_kernel();
    k->create_namespace("syo-a", "lab1");
    const Error e = error_from(
        [&] { k->set_sysctl("syo-a", "net.ipv4.tcp_available_congestion_control", "reno"); });
    CHECK(errno_of(e) == EACCES);
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(e.message().find("needs root") == std::string::npos);
    CHECK(e.message().find("refused although nstopo has CAP_SYS_ADMIN and CAP_NET_ADMIN") !=
          std::string::npos);
}

TEST_CASE("set_sysctl with the host namespace writes the host's own value") {
    auto k = make_kernel();  // the sandbox is this kernel's host
    k->create_namespace("syh-a", "lab1");
    k->set_sysctl(kHostNamespace, "net.ipv4.ip_forward", "1");
    CHECK(own_value("/proc/sys/net/ipv4/ip_forward") == "1");
    CHECK(observe_sysctls(*k, "syh-a", {kIpv4Forwarding}).at(kIpv4Forwarding) == "0");
}
