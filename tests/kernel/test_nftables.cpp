// nftables through libnftables: a table's canonical form from a scratch namespace, loaded into a
// lab namespace, observed, replaced, changed by hand, deleted; each step checked against `nft -j`.
#include "nstopo/nftables.hpp"
#include "support.hpp"

using namespace nstopo;
using namespace nstopo::test;

namespace {

NatRule masquerade(const std::string& ifname) {
    NatRule r;
    r.ifname = ifname;
    return r;
}

NatRule forward(const std::string& in, std::uint16_t port, const char* to, std::uint16_t to_port) {
    NatRule r;
    r.kind = NatRule::Kind::forward;
    r.ifname = in;
    r.proto = "tcp";
    r.port = port;
    r.to = ip(to);
    r.to_port = to_port;
    return r;
}

const std::string kFilter =
    "chain input {\n"
    "  type filter hook input priority filter; policy drop;\n"
    "  tcp dport 80 accept\n"
    "  tcp dport 22 drop\n"
    "}\n";

// The table with the canonical form the kernel gives it.
NftTable canonical(Kernel& k, NftTable t) {
    const CanonicalTable answer = k.canonical_table(t);
    REQUIRE(answer.accepted);
    t.canonical = answer.canonical;
    t.rules = answer.rules;
    return t;
}

// `nft -j list tables` in `ns` ("" = the sandbox's own namespace), as "FAMILY NAME" lines.
std::string nft_tables(const std::string& ns) {
    const std::string prefix = ns.empty() ? "" : "ip netns exec " + ns + " ";
    const auto j = nlohmann::json::parse(run_ok(prefix + "nft -j list tables"));
    std::string out;
    for (const auto& item : j.at("nftables"))
        if (item.contains("table"))
            out += item["table"]["family"].get<std::string>() + " " +
                   item["table"]["name"].get<std::string>() + "\n";
    return out;
}

}  // namespace

TEST_CASE("canonical_table answers the table's rules from a scratch namespace, leaving nothing") {
    auto k = make_kernel();
    const NftTable nat =
        nstopo_table({masquerade("wan0"), forward("wan0", 8080, "10.0.1.10", 80)}, "", "", {});
    const CanonicalTable answer = k->canonical_table(nat);
    REQUIRE(answer.accepted);
    CHECK(answer.rules == 2);
    CHECK(answer.canonical.find("\"masquerade\"") != std::string::npos);
    CHECK(answer.canonical.find("\"handle\"") == std::string::npos);
    CHECK(nft_tables("").empty());  // the sandbox's own namespace got nothing

    const NftTable both = nstopo_table({masquerade("wan0")}, "/lab/fw.nft", kFilter, {});
    CHECK(k->canonical_table(both).rules == 3);
}

TEST_CASE("canonical_table refuses what nft refuses, at the body's line") {
    auto k = make_kernel();
    const NftTable bad =
        nstopo_table({masquerade("wan0")}, "/lab/fw.nft", "chain input {\n  bogus rule\n}\n", {});
    const CanonicalTable answer = k->canonical_table(bad);
    CHECK_FALSE(answer.accepted);
    REQUIRE_FALSE(answer.errors.empty());
    CHECK(answer.errors[0].body_line == bad.file_first_line + 1);
    CHECK(answer.errors[0].column == 9);
    CHECK(answer.errors[0].text.find("syntax error") != std::string::npos);
    CHECK(answer.errors[0].detail.find("bogus rule") != std::string::npos);
}

TEST_CASE("canonical_table refuses a body that makes a table nstopo does not own") {
    auto k = make_kernel();
    NftTable escape = nstopo_table({}, "/lab/fw.nft", "}\ntable ip evil {\n", {});
    const CanonicalTable answer = k->canonical_table(escape);
    CHECK_FALSE(answer.accepted);
    REQUIRE(answer.errors.size() == 1);
    CHECK(answer.errors[0].text ==
          "the ruleset makes table ip evil, not only nstopo's inet nstopo");
    CHECK(nft_tables("").empty());
}

TEST_CASE("load_table loads and replaces in place, delete_table removes, observe reads them") {
    auto k = make_kernel();
    k->create_namespace("nf-a", "lab1");
    CHECK(observe_namespace(*k, "nf-a").tables.empty());

    const NftTable nat = canonical(*k, nstopo_table({masquerade("wan0")}, "", "", {}));
    k->load_table("nf-a", nat);
    auto seen = observe_namespace(*k, "nf-a").tables;
    REQUIRE(seen.size() == 1);
    CHECK(seen.at("inet nstopo") == nat);
    CHECK(seen.at("inet nstopo").rules == 1);
    CHECK(nft_tables("nf-a") == "inet nstopo\n");
    CHECK(run_ok("ip netns exec nf-a nft list chain inet nstopo nat_postrouting")
              .find("oifname \"wan0\" masquerade") != std::string::npos);

    // Replaced: the same table, other rules, in one transaction (loaded over the old one).
    const NftTable both =
        canonical(*k, nstopo_table({masquerade("wan0")}, "/l/f.nft", kFilter, {}));
    k->load_table("nf-a", both);
    seen = observe_namespace(*k, "nf-a").tables;
    CHECK(seen.at("inet nstopo") == both);
    CHECK(seen.at("inet nstopo").rules == 3);
    // Loading the same again changes nothing.
    k->load_table("nf-a", both);
    CHECK(observe_namespace(*k, "nf-a").tables.at("inet nstopo") == both);

    k->delete_table("nf-a", both);
    CHECK(observe_namespace(*k, "nf-a").tables.empty());
    CHECK(nft_tables("nf-a").empty());
    CHECK(errno_of(error_from([&] { k->delete_table("nf-a", both); })) == EINVAL);
}

TEST_CASE("observe sees rules deleted and added by hand, and tables nstopo does not own") {
    auto k = make_kernel();
    k->create_namespace("nf-b", "lab1");
    const NftTable t = canonical(*k, nstopo_table({}, "/l/f.nft", kFilter, {}));
    k->load_table("nf-b", t);
    REQUIRE(observe_namespace(*k, "nf-b").tables.at("inet nstopo") == t);

    run_ok("ip netns exec nf-b nft flush chain inet nstopo input");
    NftTable seen = observe_namespace(*k, "nf-b").tables.at("inet nstopo");
    CHECK_FALSE(seen == t);
    CHECK(seen.rules == 0);

    k->load_table("nf-b", t);
    run_ok("ip netns exec nf-b nft add rule inet nstopo input udp dport 53 accept");
    seen = observe_namespace(*k, "nf-b").tables.at("inet nstopo");
    CHECK_FALSE(seen == t);
    CHECK(seen.rules == 3);

    // A counter's packets are state, not definition: traffic does not make drift.
    run_ok("ip netns exec nf-b nft add table ip foreign");
    run_ok(
        "ip netns exec nf-b nft add chain ip foreign out '{ type filter hook output priority 0; "
        "}'");
    run_ok("ip netns exec nf-b nft add rule ip foreign out counter");
    run_ok("ip netns exec nf-b ip link set lo up");
    run("ip netns exec nf-b ping -c 1 -W 1 127.0.0.1");  // counted on the way out, dropped by input
    const auto tables = observe_namespace(*k, "nf-b").tables;
    REQUIRE(tables.count("ip foreign") == 1);
    CHECK(tables.at("ip foreign").rules == 1);
    CHECK(tables.at("ip foreign").canonical.find("\"packets\"") == std::string::npos);
}

TEST_CASE("the uplink's host table and forwarding: done, observed, undone, absent") {
    auto k = make_kernel();
    run_ok("ip link add up-k0 type veth peer name up-k1");
    run_ok("nft add table inet bystander");
    Uplink u;
    u.out = "up-k0";
    u.subnets = {cidr("10.0.1.0/24"), cidr("10.1.1.0/24")};
    const NftTable t = canonical(*k, uplink_table("lab1", u));
    CHECK(t.id() == "ip nstopo-lab1");
    CHECK(t.rules == 1);
    ObserveScope scope;
    scope.host_tables = {t.id()};
    const std::string key = ipv4_forwarding_key("up-k0");
    scope.host_sysctls = {key, ipv4_forwarding_key("gone0")};
    CHECK(k->observe(scope).host_tables.empty());  // absent; the bystander is not returned

    k->load_table(kHostNamespace, t);
    auto seen = k->observe(scope);
    REQUIRE(seen.host_tables.size() == 1);
    CHECK(seen.host_tables.at(t.id()) == t);
    CHECK(run_ok("nft list table ip nstopo-lab1")
              .find("oifname \"up-k0\" ip saddr { 10.0.1.0/24, 10.1.1.0/24 } masquerade") !=
          std::string::npos);

    CHECK(seen.host_sysctls.at(key) == "0");
    CHECK_FALSE(seen.host_sysctls.contains(ipv4_forwarding_key("gone0")));  // no such link
    k->set_sysctl(kHostNamespace, key, "1");
    CHECK(k->observe(scope).host_sysctls.at(key) == "1");
    CHECK(run_ok("sysctl -n net.ipv4.conf.up-k0.forwarding") == "1\n");
    CHECK(run_ok("sysctl -n net.ipv4.ip_forward") == "0\n");
    k->set_sysctl(kHostNamespace, key, "0");
    CHECK(k->observe(scope).host_sysctls.at(key) == "0");

    k->delete_table(kHostNamespace, t);
    CHECK(k->observe(scope).host_tables.empty());
    CHECK(nft_tables("") == "inet bystander\n");
    run_ok("nft delete table inet bystander");
    run_ok("ip link del up-k0");
}
