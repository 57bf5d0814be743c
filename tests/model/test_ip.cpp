#include <catch2/catch.hpp>

#include "nstopo/ip.hpp"

using namespace nstopo;

TEST_CASE("IPv4 addresses parse and print canonically") {
    const auto a = IpAddress::parse("192.168.0.1");
    REQUIRE(a);
    CHECK(a->family() == Family::v4);
    CHECK(a->str() == "192.168.0.1");
    CHECK(a->bytes()[0] == 192);
    CHECK(a->bytes()[3] == 1);
    CHECK_FALSE(IpAddress::parse("192.168.0"));
    CHECK_FALSE(IpAddress::parse("192.168.0.256"));
    CHECK_FALSE(IpAddress::parse("192.168.0.1 "));
    CHECK_FALSE(IpAddress::parse(""));
    CHECK_FALSE(IpAddress::parse(std::string_view("1.2.3.4\0", 8)));
}

TEST_CASE("IPv6 addresses parse and print in RFC 5952 form") {
    const auto a = IpAddress::parse("2001:DB8:0:0:0:0:0:1");
    REQUIRE(a);
    CHECK(a->family() == Family::v6);
    CHECK(a->str() == "2001:db8::1");
    CHECK(IpAddress::parse("::1")->is_loopback());
    CHECK(IpAddress::parse("fe80::1")->is_v6_link_local());
    CHECK_FALSE(IpAddress::parse("fec0::1")->is_v6_link_local());
    CHECK(IpAddress::parse("ff02::1")->is_multicast());
    CHECK(IpAddress::parse("::")->is_unspecified());
    CHECK_FALSE(IpAddress::parse("2001:db8:::1"));
    CHECK_FALSE(IpAddress::parse("2001:db8::g"));
}

TEST_CASE("addresses order by family, then numerically") {
    const auto a = *IpAddress::parse("10.0.0.2");
    const auto b = *IpAddress::parse("10.0.0.10");
    const auto c = *IpAddress::parse("::1");
    CHECK(a < b);
    CHECK(b < c);
    CHECK(a == *IpAddress::parse("10.0.0.2"));
    CHECK(a.is_multicast() == false);
    CHECK(IpAddress::parse("224.0.0.1")->is_multicast());
}

TEST_CASE("CIDR parsing keeps host bits and reports why text is malformed") {
    const auto c = Cidr::parse("10.0.0.1/24");
    REQUIRE(c);
    CHECK(c->ip.str() == "10.0.0.1");
    CHECK(c->prefix_len == 24);
    CHECK_FALSE(c->is_network());
    CHECK(c->network().str() == "10.0.0.0/24");
    CHECK(c->contains(*IpAddress::parse("10.0.0.254")));
    CHECK_FALSE(c->contains(*IpAddress::parse("10.0.1.1")));
    CHECK_FALSE(c->contains(*IpAddress::parse("::1")));

    CHECK(Cidr::parse_error("10.0.0.1") ==
          "missing prefix length (write ADDRESS/LENGTH, e.g. 192.168.0.1/24)");
    CHECK(Cidr::parse_error("10.0.0.1/33") == "prefix length 33 exceeds 32");
    CHECK(Cidr::parse_error("10.0.0.1/x") == "prefix length 'x' is not a number");
    CHECK(Cidr::parse_error("10.0.0.1/") == "prefix length '' is not a number");
    CHECK(Cidr::parse_error("10.0.0.1/-1") == "prefix length '-1' is not a number");
    CHECK(Cidr::parse_error("10.0.300.1/24") == "'10.0.300.1' is not an IPv4 or IPv6 address");
    CHECK(Cidr::parse_error("2001:db8::1/129") == "prefix length 129 exceeds 128");
    CHECK(Cidr::parse("10.0.0.5", true)->str() == "10.0.0.5/32");
    CHECK(Cidr::parse("2001:db8::5", true)->str() == "2001:db8::5/128");
}

TEST_CASE("CIDR network() clears host bits at every prefix length") {
    CHECK(Cidr::parse("10.1.2.3/0")->network().str() == "0.0.0.0/0");
    CHECK(Cidr::parse("10.1.2.3/9")->network().str() == "10.0.0.0/9");
    CHECK(Cidr::parse("10.255.2.3/9")->network().str() == "10.128.0.0/9");
    CHECK(Cidr::parse("10.1.2.3/32")->network().str() == "10.1.2.3/32");
    CHECK(Cidr::parse("2001:db8:ffff::1/36")->network().str() == "2001:db8:f000::/36");
    CHECK(Cidr::parse("2001:db8::1/64")->network().str() == "2001:db8::/64");
    CHECK(default_route(Family::v4).str() == "0.0.0.0/0");
    CHECK(default_route(Family::v6).str() == "::/0");
    CHECK(default_route(Family::v6).is_default());
}

TEST_CASE("MAC addresses parse, print lower-case and classify") {
    const auto m = MacAddress::parse("02:AB:cd:00:00:01");
    REQUIRE(m);
    CHECK(m->str() == "02:ab:cd:00:00:01");
    CHECK_FALSE(m->is_multicast());
    CHECK(MacAddress::parse("02-ab-cd-00-00-01") == m);
    CHECK(MacAddress::parse("01:00:5e:00:00:01")->is_multicast());
    CHECK(MacAddress::parse("00:00:00:00:00:00")->is_zero());
    CHECK_FALSE(MacAddress::parse("02:ab:cd:00:00"));
    CHECK_FALSE(MacAddress::parse("02:ab:cd:00:00:0g"));
    CHECK_FALSE(MacAddress::parse("02:ab-cd:00:00:01"));
    CHECK_FALSE(MacAddress::parse("02:ab:cd:00:00:001"));
}

TEST_CASE("CIDR last() sets host bits: the IPv4 broadcast address") {
    CHECK(Cidr::parse("10.0.0.1/24")->last().str() == "10.0.0.255");
    CHECK(Cidr::parse("10.8.0.1/30")->last().str() == "10.8.0.3");
    CHECK(Cidr::parse("10.255.2.3/9")->last().str() == "10.255.255.255");
    CHECK(Cidr::parse("10.1.2.3/32")->last().str() == "10.1.2.3");
    CHECK(Cidr::parse("2001:db8::1/64")->last().str() == "2001:db8::ffff:ffff:ffff:ffff");
}
