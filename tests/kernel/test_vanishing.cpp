// Pairing veths while another run deletes namespaces: a namespace read a moment ago and gone
// since is absent, not an error (a destroy of a lab that is not up, beside another lab's
// destroy, failed with "... is not a network namespace"). White-box: the kernel layer's
// PeerResolver, fed with snapshots read before the namespaces go.
#include "netns.hpp"
#include "sessions.hpp"
#include "snapshot.hpp"
#include "support.hpp"
#include "veth_peers.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

struct Scene {
    kernel::NetnsDir dir{"/run/netns"};
    kernel::Sessions sessions{dir};
    std::map<std::string, kernel::Snapshot> snapshots;
    kernel::Snapshot host;
    std::set<std::string> host_in_scope;
    std::map<VethEnd, std::string> no_hints;

    // va-a/x <-> va-b/y, both namespaces read as the observer reads them.
    Scene() {
        run_ok("ip netns add va-a && ip netns add va-b");
        run_ok("ip -n va-a link add x type veth peer name y netns va-b");
        for (const std::string ns : {"va-a", "va-b"})
            kernel::read_links(snapshots[ns], sessions.socket(kernel::Op{ns, "read", "links"}), ns);
        REQUIRE(snapshots["va-a"].veths.size() == 1);
    }
    const kernel::VethLink& x() { return snapshots["va-a"].veths.front(); }
    std::optional<VethEnd> peer_of_x() {
        kernel::PeerResolver resolver(sessions, dir, snapshots, host, host_in_scope, no_hints, {});
        return resolver.peer_of(x());
    }
};

}  // namespace

TEST_CASE("a veth is paired with its peer while both namespaces are there") {
    Scene s;
    REQUIRE(s.x().peer_nsid);
    CHECK(s.peer_of_x() == VethEnd{"va-b", "y"});
}

TEST_CASE("a veth whose peer's namespace was deleted after it was read has no peer, and no error") {
    Scene s;
    run_ok("ip netns del va-b");
    CHECK_FALSE(s.peer_of_x());
}

TEST_CASE("a veth whose own namespace was deleted after it was read has no peer, and no error") {
    Scene s;
    run_ok("ip netns del va-a");
    CHECK_FALSE(s.peer_of_x());
}
