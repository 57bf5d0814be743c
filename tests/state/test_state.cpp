#include <sys/stat.h>

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

// The message of the error load(lab) throws: Error(state), naming the file.
std::string load_error(const StateStore& store, const std::string& lab) {
    try {
        store.load(lab);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::state);
        return e.message();
    }
    FAIL("the record of " << lab << " loaded");
    return {};
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

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
    r.desired.lans["lan1"] =
        Lan{"lan1", {{{"a", "eth1"}, "a-eth1"}, {{"b", "eth0"}, "p-0870b6e5"}}, {}};
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
    // A LAN is no part of Topology's equality: compared on its own.
    CHECK(back->desired.lans == r.desired.lans);
    CHECK(store.load_all().records.size() == 1);
    CHECK_FALSE(fs::exists(dir.path / "labs" / "lab1.json.tmp"));
    store.remove("lab1");
    CHECK_FALSE(store.load("lab1"));
    CHECK(store.load_all().records.empty());
}

TEST_CASE("a record that nstopo did not write is an error naming the file") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "labs");
    std::ofstream(dir.path / "labs" / "junk.json") << "{not json";
    CHECK(load_error(store, "junk").find("labs/junk.json\" is not JSON") != std::string::npos);
}

TEST_CASE("a damaged record is its lab's problem only") {
    TempDir dir;
    StateStore store(dir.path);
    store.save(sample());
    std::ofstream(dir.path / "labs" / "junk.json") << "{not json";
    std::ofstream(dir.path / "labs" / "other.json") << R"({"version": 1})";
    const StoredRecords all = store.load_all();
    REQUIRE(all.records.size() == 1);
    CHECK(all.records[0].lab == "lab1");
    REQUIRE(all.damaged.size() == 2);
    CHECK(all.damaged[0].lab == "junk");
    CHECK(all.damaged[0].why.find("labs/junk.json\" is not JSON") != std::string::npos);
    CHECK(all.damaged[1].lab == "other");
    CHECK(all.damaged[1].why.find("labs/other.json\" is malformed") != std::string::npos);
    CHECK(store.lab_names() == std::vector<std::string>{"junk", "lab1", "other"});
    // Skipped, a damaged record is not even read.
    CHECK(store.load_all("junk").damaged.size() == 1);
}

TEST_CASE("a record of another lab under this lab's name is damaged") {
    TempDir dir;
    StateStore store(dir.path);
    store.save(sample());
    fs::rename(dir.path / "labs" / "lab1.json", dir.path / "labs" / "lab2.json");
    CHECK(load_error(store, "lab2").find("is of lab 'lab1', not of the lab its name says") !=
          std::string::npos);
}

TEST_CASE("files of the labs directory that are no lab's record are ignored") {
    TempDir dir;
    StateStore store(dir.path);
    store.save(sample());
    std::ofstream(dir.path / "labs" / "lab1.json.tmp") << "{";
    std::ofstream(dir.path / "labs" / "-x.json") << "{";
    std::ofstream(dir.path / "labs" / "a b.json") << "{";
    std::ofstream(dir.path / "labs" / "notes.txt") << "{";
    CHECK(store.lab_names() == std::vector<std::string>{"lab1"});
    CHECK(store.load_all().records.size() == 1);
    CHECK(store.load_all().damaged.empty());
}

TEST_CASE("a record is never read through a symbolic link, nor from a FIFO or device") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "labs");
    const auto labs = dir.path / "labs";
    REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
    // Each would hang (a FIFO without a writer) or read without bound (/dev/zero) if opened.
    fs::create_symlink(dir.path / "fifo", labs / "tofifo.json");
    fs::create_symlink("/dev/zero", labs / "zero.json");
    REQUIRE(::mkfifo((labs / "fifo.json").c_str(), 0600) == 0);
    fs::create_directory(labs / "dir.json");
    store.save(sample());
    fs::create_symlink(labs / "lab1.json", labs / "alias.json");
    CHECK(load_error(store, "tofifo").find("labs/tofifo.json\" is a symbolic link") !=
          std::string::npos);
    CHECK(load_error(store, "zero").find("labs/zero.json\" is a symbolic link") !=
          std::string::npos);
    CHECK(load_error(store, "alias").find("labs/alias.json\" is a symbolic link") !=
          std::string::npos);
    CHECK(load_error(store, "fifo").find("labs/fifo.json\" is not a regular file") !=
          std::string::npos);
    CHECK(load_error(store, "dir").find("labs/dir.json\" is not a regular file") !=
          std::string::npos);
    const StoredRecords all = store.load_all();
    CHECK(all.records.size() == 1);
    CHECK(all.damaged.size() == 5);
}

TEST_CASE("a record over the size limit is not read") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "labs");
    const auto big = dir.path / "labs" / "big.json";
    std::ofstream(big) << "{";
    fs::resize_file(big, kMaxRecordBytes + 1);  // sparse: costs nothing
    CHECK(load_error(store, "big").find("is 16777217 bytes long, over the limit of 16777216") !=
          std::string::npos);
    fs::resize_file(big, kMaxRecordBytes);  // at the limit it is read (and is no JSON)
    CHECK(load_error(store, "big").find("is not JSON") != std::string::npos);
}

TEST_CASE("saving never writes through a symbolic link at the temporary's name") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "labs");
    const auto target = dir.path / "precious";
    std::ofstream(target) << "keep me";
    fs::create_symlink(target, dir.path / "labs" / "lab1.json.tmp");
    store.save(sample());
    CHECK(read_file(target) == "keep me");
    CHECK(store.load("lab1"));
    CHECK_FALSE(fs::exists(fs::symlink_status(dir.path / "labs" / "lab1.json.tmp")));
    // A stale temporary of a killed run is replaced the same way.
    std::ofstream(dir.path / "labs" / "lab1.json.tmp") << "half a rec";
    LabRecord changed = sample();
    changed.source = "/y/lab1.yaml";
    store.save(changed);
    CHECK(store.load("lab1")->source == "/y/lab1.yaml");
}

TEST_CASE("a lock file is never a symbolic link: its target is neither made nor locked") {
    TempDir dir;
    StateStore store(dir.path);
    fs::create_directories(dir.path / "locks");
    const auto target = dir.path / "made-by-the-link";
    fs::create_symlink(target, dir.path / "locks" / "lab1.lock");
    const auto refused = [&](const auto& take) {
        try {
            take();
            FAIL("the lock was taken");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::state);
            CHECK(e.message().find("locks/lab1.lock\" is a symbolic link") != std::string::npos);
        }
    };
    refused([&] { store.lock_lab("lab1", std::chrono::milliseconds(0)); });
    refused([&] { store.try_lock_lab("lab1"); });
    CHECK_FALSE(fs::exists(fs::symlink_status(target)));
    // A dangling link still makes the lab known (it was there before), and takes nothing else.
    CHECK(store.known("lab1"));
    fs::create_symlink(target, dir.path / "registry.lock");
    try {
        store.lock_registry(std::chrono::milliseconds(0));
        FAIL("the registry lock was taken");
    } catch (const Error& e) {
        CHECK(e.message().find("registry.lock\" is a symbolic link") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(fs::symlink_status(target)));
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
