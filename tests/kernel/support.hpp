// Helpers for kernel tests: building expected model values, running `ip` as a witness, and
// catching nstopo::Error.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nstopo/error.hpp"
#include "nstopo/kernel.hpp"

namespace nstopo::test {

// Runs `command` with sh; stdout and stderr together.
struct CommandResult {
    int status = -1;
    std::string output;
};
CommandResult run(const std::string& command);
// Runs `command` and REQUIREs that it succeeds; returns its output.
std::string run_ok(const std::string& command);
// `ip -j [-n NS] ARGS`, parsed.
nlohmann::json ip_json(const std::string& ns, const std::string& args);
// The one link `ifname` of `ns` as `ip -j -d link show` reports it.
nlohmann::json ip_link(const std::string& ns, const std::string& ifname);
// The MAC address `ip` reports for a link.
MacAddress ip_mac(const std::string& ns, const std::string& ifname);

Cidr cidr(const char* text);
IpAddress ip(const char* text);
MacAddress mac(const char* text);

// Expected observed values.
Interface veth_interface(const std::string& name, LinkState state, const MacAddress& mac,
                         const std::string& owner, std::vector<Cidr> addresses = {});
Interface loopback(const std::string& owner, LinkState state = LinkState::down,
                   std::vector<Cidr> addresses = {});
// A namespace just made by create_namespace(name, lab): only lo, down, marked.
Namespace fresh_namespace(const std::string& name, const std::string& lab);
// A route; a null `via` or `dev` leaves that field unset.
Route route(const char* to, const char* via, const char* dev, std::uint32_t metric = 0);

ObserveScope scope_of(std::vector<std::string> namespaces, std::vector<std::string> host = {});
// observe() of one namespace, REQUIRE-d to exist.
Namespace observe_namespace(Kernel& k, const std::string& ns);
// observe() of one namespace; nullopt if absent.
std::optional<Namespace> try_observe_namespace(Kernel& k, const std::string& ns);
// observe() of one host link; nullopt if absent.
std::optional<Interface> observe_host_link(Kernel& k, const std::string& ifname);

// Runs `f`, REQUIREs that it throws nstopo::Error, and returns the error.
template <class F>
Error error_from(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    FAIL("expected an nstopo::Error");
    throw std::logic_error("unreachable");
}

// The errno a kernel error carries (REQUIREs a KernelContext).
int errno_of(const Error& e);

// The inode of the calling thread's network namespace.
unsigned long thread_netns_inode();

std::unique_ptr<Kernel> make_kernel();
// Creates namespace `ns` (lab "lab1") holding the veth pair `a`--`b`, both up.
void namespace_with_pair(Kernel& k, const std::string& ns, const std::string& a,
                         const std::string& b);

// Readable values in failure messages.
std::string describe(const Interface& i);
std::string describe(const Route& r);
std::string describe(const Namespace& n);
std::string describe(const Topology& t);

}  // namespace nstopo::test

namespace Catch {
// Every model value that nstopo::test::describe() knows prints through it.
template <class T>
struct StringMaker<T, std::void_t<decltype(nstopo::test::describe(std::declval<const T&>()))>> {
    static std::string convert(const T& v) { return nstopo::test::describe(v); }
};
}  // namespace Catch
