// Namespaces: created and deleted the way `ip netns` does it, interchangeable with it.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

TEST_CASE(
    "create_namespace makes a marked namespace that ip sees, and delete_namespace removes it") {
    auto k = make_kernel();
    k->create_namespace("nsc-a", "lab1");

    CHECK(observe_namespace(*k, "nsc-a") == fresh_namespace("nsc-a", "lab1"));
    CHECK(k->list_namespaces() == std::vector<std::string>{"nsc-a"});
    CHECK(run_ok("ip netns list").find("nsc-a") != std::string::npos);
    CHECK(ip_link("nsc-a", "lo").at("ifalias") == "nstopo:lab1");

    k->delete_namespace("nsc-a");
    CHECK_FALSE(try_observe_namespace(*k, "nsc-a"));
    CHECK(k->list_namespaces().empty());
    CHECK(run_ok("ip netns list").find("nsc-a") == std::string::npos);
}

TEST_CASE("create_namespace refuses an existing name with EEXIST and leaves it as it was") {
    auto k = make_kernel();
    run_ok("ip netns add nsx-a");
    const Error e = error_from([&] { k->create_namespace("nsx-a", "lab1"); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == EEXIST);
    CHECK(e.kernel()->ns == "nsx-a");
    CHECK(e.kernel()->operation == "create namespace");
    CHECK(observe_namespace(*k, "nsx-a") == fresh_namespace("nsx-a", ""));
}

TEST_CASE("a namespace made by ip netns add is listed and observed, unowned") {
    auto k = make_kernel();
    run_ok("ip netns add nsip-a");
    run_ok("ip netns add nsip-b");
    CHECK(k->list_namespaces() == std::vector<std::string>{"nsip-a", "nsip-b"});
    CHECK(observe_namespace(*k, "nsip-a") == fresh_namespace("nsip-a", ""));
    k->delete_namespace("nsip-a");
    CHECK(run_ok("ip netns list").find("nsip-a") == std::string::npos);
}

TEST_CASE("ip netns exec runs inside a namespace nstopo made") {
    auto k = make_kernel();
    k->create_namespace("nse-a", "lab1");
    const auto links = nlohmann::json::parse(run_ok("ip netns exec nse-a ip -j -d link show"));
    REQUIRE(links.size() == 1);
    CHECK(links[0].at("ifname") == "lo");
    CHECK(links[0].at("ifalias") == "nstopo:lab1");
    run_ok("ip netns del nse-a");
    CHECK_FALSE(try_observe_namespace(*k, "nse-a"));
}

TEST_CASE("operations on a namespace that does not exist fail with ENOENT and say so") {
    auto k = make_kernel();
    const Error e = error_from([&] { k->set_link_state("nsm-missing", "lo", LinkState::up); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == ENOENT);
    CHECK(e.message() == "cannot set link up lo: namespace nsm-missing does not exist");
    CHECK(errno_of(error_from([&] { k->delete_namespace("nsm-missing"); })) == ENOENT);
    CHECK_FALSE(try_observe_namespace(*k, "nsm-missing"));
}

TEST_CASE("namespace names that would leave the netns directory are refused") {
    auto k = make_kernel();
    for (const char* name : {"..", "../escape", "a/b", ""}) {
        INFO(name);
        const Error e = error_from([&] { k->create_namespace(name, "lab1"); });
        CHECK(errno_of(e) == EINVAL);
    }
    CHECK(k->list_namespaces().empty());
    CHECK_FALSE(std::ifstream("/run/escape").good());
}

namespace {
// The mountinfo line of mount point `dir`, or "".
std::string mountinfo_of(const std::string& dir) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    std::string found;
    while (std::getline(in, line))
        if (line.find(" " + dir + " ") != std::string::npos) found = line;  // the topmost
    return found;
}
}  // namespace

TEST_CASE("a missing netns directory is created and made a shared mount point, like ip does") {
    const std::string dir = "/run/nstopo/other-netns";
    auto k = make_netlink_kernel(KernelOptions{dir});
    k->create_namespace("nsd-a", "lab1");
    const std::string info = mountinfo_of(dir);
    INFO(info);
    CHECK(info.find("shared:") != std::string::npos);
    CHECK(k->list_namespaces() == std::vector<std::string>{"nsd-a"});
    CHECK(run_ok("ip netns list").find("nsd-a") == std::string::npos);  // not ip's directory
    k->delete_namespace("nsd-a");
    CHECK(k->list_namespaces().empty());
}

TEST_CASE("the calling thread ends in its own namespace, after successes and failures") {
    auto k = make_kernel();
    const auto home = thread_netns_inode();
    k->create_namespace("nst-a", "lab1");
    k->set_sysctl("nst-a", "net.ipv4.ip_forward", "1");
    (void)error_from([&] { k->set_sysctl("nst-a", "net.ipv4.no_such_key", "1"); });
    (void)error_from([&] { k->create_namespace("nst-a", "lab1"); });
    (void)k->observe(scope_of({"nst-a"}));
    CHECK(thread_netns_inode() == home);

    std::thread other([&] {
        const auto other_home = thread_netns_inode();
        k->set_sysctl("nst-a", "net.ipv4.ip_forward", "0");
        k->create_namespace("nst-b", "lab1");
        CHECK(thread_netns_inode() == other_home);
    });
    other.join();
    CHECK(thread_netns_inode() == home);
}

TEST_CASE("without root privileges, errors are permission errors that say to use root") {
    auto k = make_kernel();
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Give up root in the child only; report through the exit code.
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
        try {
            make_netlink_kernel(KernelOptions{})->create_namespace("nsp-a", "lab1");
        } catch (const Error& e) {
            const bool ok = e.kind() == ErrorKind::permission &&
                            e.message().find("root") != std::string::npos && e.kernel() &&
                            (e.kernel()->errno_value == EPERM || e.kernel()->errno_value == EACCES);
            _exit(ok ? 0 : 3);
        } catch (...) {
            _exit(4);
        }
        _exit(5);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(k->list_namespaces().empty());
}

TEST_CASE("a namespace that ip deletes and re-creates under the same name is the new one") {
    auto k = make_kernel();
    k->create_namespace("nsr-a", "lab1");
    k->set_link_state("nsr-a", "lo", LinkState::up);  // nstopo now holds a socket in it
    run_ok("ip netns del nsr-a");
    run_ok("ip netns add nsr-a");
    k->set_link_state("nsr-a", "lo", LinkState::up);
    const auto flags = ip_link("nsr-a", "lo").at("flags");
    CHECK(std::find(flags.begin(), flags.end(), "UP") != flags.end());
    Namespace expected = fresh_namespace("nsr-a", "");
    expected.interfaces["lo"] = loopback("", LinkState::up);
    CHECK(observe_namespace(*k, "nsr-a") == expected);
}

TEST_CASE("a namespace ip deletes is not kept alive by nstopo: its veth's far end goes") {
    auto k = make_kernel();
    k->create_namespace("nsk-a", "lab1");
    k->create_veth(Veth{{"", "nsk-host"}, {"nsk-a", "nsk-in"}, {}}, "lab1");
    REQUIRE(observe_host_link(*k, "nsk-host"));  // nstopo holds a socket in nsk-a now
    run_ok("ip netns del nsk-a");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (observe_host_link(*k, "nsk-host") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK_FALSE(observe_host_link(*k, "nsk-host"));
}
