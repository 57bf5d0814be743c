#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "nstopo/error.hpp"
#include "nstopo/names.hpp"
#include "nstopo/state.hpp"
#include "temp_dir.hpp"

using namespace nstopo;
namespace fs = std::filesystem;

namespace {
using nstopo::test::TempDir;

LabRecord sample() {
    LabRecord r;
    r.lab = "lab1";
    r.source = "/x/lab1.yaml";
    r.phase = LabPhase::applied;
    r.namespaces = {"a", "b"};
    r.host_interfaces = {"veth0"};
    r.desired.name = "lab1";
    Namespace n;
    n.name = "a";
    Interface i;
    i.name = "a-eth0";
    i.addresses = {*Cidr::parse("10.0.0.1/24"), *Cidr::parse("2001:db8::1/64")};
    i.mtu = 1400;
    i.mac = MacAddress::parse("02:00:00:00:00:01");
    n.interfaces["a-eth0"] = i;
    n.routes.push_back(Route{default_route(Family::v4), IpAddress::parse("10.0.0.254"), {}, 0, {}});
    n.routes.push_back(Route{*Cidr::parse("10.9.0.0/16"), {}, "a-eth0", 7, {}});
    n.sysctls = {{"net.ipv4.ip_forward", "1"}};
    Process p;
    p.name = "web";
    p.command = {"python3", "-m", "http.server", "8080"};
    p.directory = "/x/www";
    p.user = "nobody";
    p.env = {{"PYTHONUNBUFFERED", "1"}};
    p.mounts = {{"/etc/frr", "/x/frr"}};
    n.processes["web"] = p;
    p.name = "idle";
    p.command = {"sleep", "infinity"};
    p.user.clear();
    p.env.clear();
    p.mounts.clear();
    n.processes["idle"] = p;
    r.desired.namespaces["a"] = n;
    r.desired.veths.push_back(Veth{{"a", "a-eth0"}, {"", "veth0"}, {}});
    Interface h;
    h.name = "veth0";
    h.state = LinkState::down;
    r.desired.host_interfaces["veth0"] = h;
    normalize(r.desired);
    return r;
}
}  // namespace

TEST_CASE("records round-trip through the state directory") {
    TempDir dir;
    StateStore store(dir.path);
    CHECK_FALSE(store.load("lab1"));
    const LabRecord r = sample();
    store.save(r);
    const auto back = store.load("lab1");
    REQUIRE(back);
    CHECK(back->lab == r.lab);
    CHECK(back->source == r.source);
    CHECK(back->phase == r.phase);
    CHECK(back->namespaces == r.namespaces);
    CHECK(back->host_interfaces == r.host_interfaces);
    CHECK(back->desired == r.desired);
    CHECK(store.load_all().size() == 1);
    CHECK_FALSE(fs::exists(dir.path / "labs" / "lab1.json.tmp"));
    store.remove("lab1");
    CHECK_FALSE(store.load("lab1"));
    CHECK(store.load_all().empty());
}

TEST_CASE("a record that nstopo did not write is an error naming the file") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "labs");
    std::ofstream(dir.path / "labs" / "junk.json") << "{not json";
    try {
        store.load("junk");
        FAIL("should not load");
    } catch (const Error& e) {
        CHECK(e.message().find("labs/junk.json\" is not JSON") != std::string::npos);
    }
}

TEST_CASE("lab names cannot escape the state directory") {
    TempDir dir;
    StateStore store(dir.path);
    CHECK_THROWS_AS(store.load("../etc"), Error);
    CHECK(lab_name_problem("../etc") == "contains '/'");
    CHECK(lab_name_problem("..") == "'..' is not a usable name");
    CHECK(lab_name_problem("two-routers").empty());
    CHECK(lab_name_problem(std::string(33, 'a')) == "is 33 bytes long (at most 32)");
}

TEST_CASE("a lab lock excludes a second holder until released") {
    TempDir dir;
    StateStore store(dir.path);
    {
        const FileLock first = store.lock_lab("lab1", std::chrono::milliseconds(0));
        CHECK_THROWS_AS(store.lock_lab("lab1", std::chrono::milliseconds(30)), Error);
        // Another lab is independent.
        const FileLock other = store.lock_lab("lab2", std::chrono::milliseconds(0));
    }
    const FileLock again = store.lock_lab("lab1", std::chrono::milliseconds(0));
}
