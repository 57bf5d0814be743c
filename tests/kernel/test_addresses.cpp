// Addresses: IPv4 and IPv6, added and deleted, seen the same way by ip.
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {
// The addr_info entries `ip -j addr show dev IF` reports, minus IPv6 link-local ones.
std::vector<nlohmann::json> ip_addresses(const std::string& ns, const std::string& ifname) {
    std::vector<nlohmann::json> out;
    const auto links = ip_json(ns, "addr show dev " + ifname);
    for (const auto& info : links.at(0).at("addr_info"))
        if (info.at("scope") != "link") out.push_back(info);
    return out;
}

// Adds `a` to the up link `ifname`, checks that observe() and ip both show exactly it, and
// returns ip's addr_info for it.
nlohmann::json add_and_check(Kernel& k, const std::string& ns, const std::string& ifname,
                             const Cidr& a) {
    k.add_address(ns, ifname, a, Dad::skip);
    CHECK(observe_namespace(k, ns).interfaces.at(ifname) ==
          veth_interface(ifname, LinkState::up, ip_mac(ns, ifname), "lab1", {a}));
    const auto seen = ip_addresses(ns, ifname);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].at("local") == a.ip.str());
    CHECK(seen[0].at("prefixlen") == a.prefix_len);
    return seen[0];
}
}  // namespace

TEST_CASE("add_address and delete_address, IPv4") {
    auto k = make_kernel();
    namespace_with_pair(*k, "a4-a", "a4-0", "a4-1");
    const Cidr a = cidr("192.168.0.1/24");
    add_and_check(*k, "a4-a", "a4-0", a);

    const Error twice = error_from([&] { k->add_address("a4-a", "a4-0", a, Dad::skip); });
    CHECK(errno_of(twice) == EEXIST);
    CHECK(twice.kernel()->object == "192.168.0.1/24 on a4-0");

    k->delete_address("a4-a", "a4-0", a);
    CHECK(observe_namespace(*k, "a4-a").interfaces.at("a4-0").addresses.empty());
    CHECK(ip_addresses("a4-a", "a4-0").empty());
    CHECK(errno_of(error_from([&] { k->delete_address("a4-a", "a4-0", a); })) == EADDRNOTAVAIL);
}

TEST_CASE("add_address IPv6 is usable at once (no duplicate address detection)") {
    auto k = make_kernel();
    namespace_with_pair(*k, "a6-a", "a6-0", "a6-1");
    const Cidr a = cidr("2001:db8::1/64");
    const auto seen = add_and_check(*k, "a6-a", "a6-0", a);
    CHECK_FALSE(seen.contains("tentative"));
    CHECK(seen.contains("nodad"));

    k->delete_address("a6-a", "a6-0", a);
    CHECK(observe_namespace(*k, "a6-a").interfaces.at("a6-0").addresses.empty());
}

TEST_CASE("several addresses on one link are observed sorted, and lo's own are left out") {
    auto k = make_kernel();
    namespace_with_pair(*k, "am-a", "am-0", "am-1");
    k->set_link_state("am-a", "lo", LinkState::up);
    k->add_address("am-a", "am-0", cidr("10.0.0.2/24"), Dad::skip);
    k->add_address("am-a", "am-0", cidr("10.0.0.1/24"), Dad::skip);
    k->add_address("am-a", "am-0", cidr("fd00::1/64"), Dad::skip);
    k->add_address("am-a", "lo", cidr("10.255.0.1/32"), Dad::skip);

    const Namespace n = observe_namespace(*k, "am-a");
    CHECK(n.interfaces.at("am-0").addresses ==
          std::vector<Cidr>{cidr("10.0.0.1/24"), cidr("10.0.0.2/24"), cidr("fd00::1/64")});
    CHECK(n.interfaces.at("lo") == loopback("lab1", LinkState::up, {cidr("10.255.0.1/32")}));
}

TEST_CASE("add_address on a missing link fails with ENODEV and names it") {
    auto k = make_kernel();
    k->create_namespace("an-a", "lab1");
    const Error e =
        error_from([&] { k->add_address("an-a", "nolink0", cidr("10.0.0.1/24"), Dad::skip); });
    CHECK(e.kind() == ErrorKind::kernel);
    CHECK(errno_of(e) == ENODEV);
    CHECK(std::string(e.what()) ==
          "cannot add address 10.0.0.1/24 on nolink0 (namespace an-a: add address 10.0.0.1/24 "
          "on nolink0: No such device [errno 19])");
}

TEST_CASE("an interface index learned before a link was deleted and re-made is not reused") {
    auto k = make_kernel();
    namespace_with_pair(*k, "ar-a", "ar-0", "ar-1");
    k->add_address("ar-a", "ar-0", cidr("10.0.0.1/24"), Dad::skip);  // learns ar-0's ifindex
    k->delete_link("ar-a", "ar-0");
    k->create_veth(Veth{{"ar-a", "ar-0"}, {"ar-a", "ar-1"}, {}}, "lab1");
    k->add_address("ar-a", "ar-0", cidr("10.0.0.1/24"), Dad::skip);
    CHECK(observe_namespace(*k, "ar-a").interfaces.at("ar-0").addresses ==
          std::vector<Cidr>{cidr("10.0.0.1/24")});
}

TEST_CASE("add_address IPv6 with Dad::detect goes through duplicate address detection") {
    auto k = make_kernel();
    namespace_with_pair(*k, "ad-a", "ad-0", "ad-1");
    k->add_address("ad-a", "ad-0", cidr("2001:db8::d/64"), Dad::detect);
    const auto seen = ip_addresses("ad-a", "ad-0");
    REQUIRE(seen.size() == 1);
    CHECK_FALSE(seen[0].contains("nodad"));
    CHECK(seen[0].contains("tentative"));
}
