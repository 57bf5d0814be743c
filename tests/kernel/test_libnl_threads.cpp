// observe() dumps on several reader threads without a lock (snapshot.cpp, dump()). libnl 3.7
// counts users of its cache types with a bare `co_refcnt--` (nl_cache_ops_put) after a locked
// increment: any libnl call on a reader thread that takes and drops such a reference races with
// the others. One did: the address parser (addr_msg_parser calls __nl_cache_mngt_require
// ("route/link") for every message), which is why nstopo parses addresses itself. A balanced
// counter is 0 afterwards, which nl_cache_mngt_unregister tells (-NLE_BUSY when it is not: a lost
// decrement leaves it above 0, a lost increment wraps it).
#include <netlink/cache.h>
#include <netlink/errno.h>

#include "nstopo/kernel.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
// Whether libnl's count of users of cache type `name` is 0 (restores the type either way).
bool users_balanced(const char* name) {
    nl_cache_ops* ops = nl_cache_ops_lookup(name);
    REQUIRE(ops != nullptr);
    const int rc = nl_cache_mngt_unregister(ops);
    if (rc == 0) REQUIRE(nl_cache_mngt_register(ops) == 0);  // registering resets it to 0
    return rc == 0;
}
}  // namespace

TEST_CASE("observing on several threads keeps libnl's cache-type reference counts balanced") {
    constexpr int kNamespaces = 96, kAddresses = 32;
    std::string batch;
    for (int n = 0; n < kNamespaces; ++n) batch += "netns add lr" + std::to_string(n) + "\n";
    run_ok("printf '" + batch + "' | ip -batch -");
    for (int n = 0; n < kNamespaces; ++n) {
        std::string addrs;
        for (int a = 1; a <= kAddresses; ++a)
            addrs +=
                "address add 10." + std::to_string(n) + "." + std::to_string(a) + ".1/24 dev lo\n";
        run_ok("printf '" + addrs + "' | ip -n lr" + std::to_string(n) + " -batch -");
    }
    ObserveScope scope;
    for (int n = 0; n < kNamespaces; ++n) scope.namespaces.push_back("lr" + std::to_string(n));

    auto kernel = make_netlink_kernel(KernelOptions{.netns_dir = "/run/netns"});
    for (const char* type : {"route/link", "route/addr", "route/route"})
        REQUIRE(users_balanced(type));  // nothing parsed yet on two threads
    for (int round = 0; round < 40; ++round) (void)kernel->observe(scope);
    for (const char* type : {"route/link", "route/addr", "route/route"}) {
        INFO(type);
        CHECK(users_balanced(type));
    }
}
