// Dumps interrupted by a concurrent change are read again, not reported: a namespace of a few
// thousand links or addresses takes several reads to dump, and any change meanwhile marks the rest
// of the dump NLM_F_DUMP_INTR (apply and destroy of a 1000-veth lab failed with "libnl: Dump
// inconsistency detected, interrupted"). White-box: the kernel layer's NlSocket and readers.
#include <netlink/msg.h>

#include <atomic>
#include <set>
#include <thread>

#include "dump_requests.hpp"
#include "netns.hpp"
#include "nl_socket.hpp"
#include "sessions.hpp"
#include "snapshot.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

constexpr int kAddresses = 3000;  // about 200 KB of dump: many reads

// Namespace `dr` with link x (its peer y beside it) holding kAddresses IPv4 addresses.
void make_crowded_namespace() {
    run_ok("ip netns add dr && ip -n dr link add x type veth peer name y");
    std::string batch;
    for (int i = 0; i < kAddresses; ++i)
        batch += "addr add 10.8." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) +
                 "/32 dev x\n";
    run_ok("printf '" + batch + "' | ip -n dr -batch -");
}

// An address dump of `dr` through `socket` that, on the first message of the first `interrupt`
// reads, adds another address to x, as a concurrent apply would: the kernel marks the rest of
// that dump interrupted. Returns the number of addresses the last read saw.
std::size_t dump_with_changes(kernel::NlSocket& socket, const kernel::Op& op, int& reads,
                              int interrupt) {
    std::size_t seen = 0;
    bool changed = false;
    ++reads;
    socket.dump(op, kernel::address_dump_request(op).get(), [&](nl_msg*) {
        ++seen;
        if (reads <= interrupt && !changed) {
            changed = true;
            run_ok("ip -n dr addr add 10.9.0." + std::to_string(reads) + "/32 dev x");
        }
    });
    return seen;
}

// The crowded namespace and a socket in it, as the observer would have them.
struct Crowded {
    bool made = (make_crowded_namespace(), true);  // first: the members below need the namespace
    kernel::NetnsDir dir{"/run/netns"};
    kernel::Sessions sessions{dir};
    kernel::NlSocket& socket = sessions.socket(kernel::Op{"dr", "read", "addresses"});
    const kernel::Op op{"dr", "list", "addresses"};
    int reads = 0;
};

}  // namespace

TEST_CASE("a dump changed while it is read is reported interrupted outside consistently()") {
    // The witness that the change below really interrupts a dump: without a retry it fails.
    Crowded c;
    const Error e = error_from([&] { dump_with_changes(c.socket, c.op, c.reads, 1); });
    CHECK_THAT(e.what(), Catch::Contains("interrupted"));
}

TEST_CASE("an interrupted dump is read again, whole, until no change interrupts it") {
    Crowded c;
    std::size_t seen = 0;
    c.socket.consistently(c.op, [&] { seen = dump_with_changes(c.socket, c.op, c.reads, 3); });
    CHECK(c.reads == 4);
    CHECK(c.socket.dumps_read_again() == 3);
    // x's addresses and the three added while reading (lo is down: it has none).
    CHECK(seen == kAddresses + 3);
}

TEST_CASE("a dump interrupted on every read fails after a bounded number of tries, naming it") {
    Crowded c;
    const Error e = error_from([&] {
        c.socket.consistently(c.op, [&] { dump_with_changes(c.socket, c.op, c.reads, 1000); });
    });
    CHECK(c.reads == kernel::NlSocket::kDumpAttempts);
    CHECK_THAT(e.what(), Catch::Contains("cannot list addresses") &&
                             Catch::Contains("interrupted by concurrent changes 16 times"));
}

TEST_CASE("the readers start from scratch on every read: no address or route counted twice") {
    // A shell changes dr's addresses and routes without pause while the readers read it; every
    // snapshot holds each fixed address and route once, and some reads were interrupted.
    Crowded c;
    run_ok("ip -n dr link set x up && ip -n dr link set y up");
    std::string routes;
    for (int i = 0; i < 500; ++i)
        routes += "route add 10.50." + std::to_string(i / 200) + "." + std::to_string(i % 200) +
                  "/32 dev x\n";
    run_ok("printf '" + routes + "' | ip -n dr -batch -");
    std::atomic<bool> stop{false};
    std::thread churn([&] {
        while (!stop)
            run("ip -n dr addr add 10.77.0.1/32 dev y; ip -n dr route add 10.78.0.1/32 dev y; "
                "ip -n dr addr del 10.77.0.1/32 dev y; ip -n dr route del 10.78.0.1/32 dev y");
    });
    struct Joined {
        std::atomic<bool>& stop;
        std::thread& thread;
        ~Joined() {
            stop = true;
            thread.join();
        }
    } joined{stop, churn};
    kernel::NlSocket& socket = c.socket;
    for (int i = 0; i < 300 && socket.dumps_read_again() < 3; ++i) {
        kernel::Snapshot snap;
        kernel::read_links(snap, socket, "dr");
        kernel::read_addresses(snap, socket, "dr");
        kernel::read_routes(snap, socket, "dr");
        const auto& x = snap.interfaces.at("x").addresses;
        REQUIRE(std::set<Cidr>(x.begin(), x.end()).size() == x.size());
        REQUIRE(x.size() == kAddresses);
        std::set<std::string> seen;
        std::size_t fixed = 0;
        for (const Route& r : snap.routes) {
            REQUIRE(seen.insert(r.to.str()).second);
            if (r.to.str().rfind("10.50.", 0) == 0) ++fixed;
        }
        REQUIRE(fixed == 500);
    }
    CHECK(socket.dumps_read_again() > 0);
}

TEST_CASE("addresses on many links just made reach each link, its ifindex learned by a dump") {
    // Past a run of unknown names the kernel layer learns a namespace's ifindexes from one link
    // dump instead of asking for each link: every address must still land on its own link, and a
    // name that no dump shows is an error naming it.
    auto k = make_kernel();
    k->create_namespace("ml", "lab1");
    constexpr int kPairs = 40;  // 80 links: well past the misses before a dump
    for (int i = 0; i < kPairs; ++i)
        k->create_veth(
            Veth{{"ml", "m" + std::to_string(i) + "a"}, {"ml", "m" + std::to_string(i) + "b"}, {}},
            "lab1");
    for (int i = 0; i < kPairs; ++i)
        for (const char side : {'a', 'b'}) {
            const std::string ifname = "m" + std::to_string(i) + side;
            k->add_address(
                "ml", ifname,
                cidr(("10.3." + std::to_string(i) + "." + (side == 'a' ? "1" : "2") + "/24")
                         .c_str()),
                Dad::skip);
        }
    for (int i = 0; i < kPairs; ++i) {
        const auto shown = ip_json("ml", "-4 addr show dev m" + std::to_string(i) + "b");
        REQUIRE(shown.size() == 1);
        CHECK(shown[0]["addr_info"][0]["local"] == "10.3." + std::to_string(i) + ".2");
    }
    const Error e =
        error_from([&] { k->add_address("ml", "m999a", cidr("10.4.0.1/24"), Dad::skip); });
    CHECK_THAT(e.what(), Catch::Contains("m999a"));
}
