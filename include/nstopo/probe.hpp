// Lab tools that talk to the kernel from inside a lab namespace: ICMP echo, TCP connect and route
// lookup for `nstopo check`, and running a command in a namespace for `nstopo exec`. The real
// implementation lives in src/kernel (the only layer that enters namespaces); the check runner
// takes a Prober so that its tests use a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nstopo/ip.hpp"
#include "nstopo/kernel.hpp"

namespace nstopo {

struct EchoRequest {
    std::string ns;  // a named namespace (never the host)
    IpAddress to;
    std::optional<IpAddress> source;          // bind to this address first
    std::chrono::milliseconds timeout{1000};  // for all tries together
    int tries = 3;                            // echo requests, spread evenly over the timeout
};

struct EchoResult {
    bool answered = false;
    std::chrono::microseconds rtt{0};  // of the first reply, when answered
    // When not answered: why, as a person reads it ("no reply", "Network is unreachable",
    // "destination unreachable from 10.0.0.254").
    std::string detail;
    int sent = 0;  // echo requests sent before the answer was certain (or the timeout)
};

// A TCP connection to open from inside a namespace (and close again at once).
struct TcpRequest {
    std::string ns;  // a named namespace (never the host)
    IpAddress to;
    std::uint16_t port = 0;
    std::optional<IpAddress> source;          // bind to this address first (any port)
    std::chrono::milliseconds timeout{1000};  // for the handshake
};

struct TcpResult {
    enum class Outcome {
        connected,    // the handshake completed
        refused,      // a reset answered the SYN (nobody listens), or an ICMP port unreachable
        unreachable,  // no route, or an ICMP error (host, network unreachable, prohibited)
        timed_out,    // nothing came back within the timeout
    };
    Outcome outcome = Outcome::timed_out;
    std::chrono::microseconds time{0};  // until the handshake completed or failed
    // Why, when not connected, as a person reads it: "refused", "timed out", "no route",
    // "host unreachable from 10.0.0.254".
    std::string detail;
    bool connected() const { return outcome == Outcome::connected; }
};

// The kernel's answer to "which way to `to`" (RTM_GETROUTE) in a namespace.
struct RouteAnswer {
    bool found = false;
    std::optional<IpAddress> gateway;  // none: directly connected
    std::string dev;                   // the output interface
    std::string error;                 // when not found: the kernel's reason
};

// Every method may be called from several threads at once, and enters the namespace on the
// calling thread only for as long as it needs to make a socket there.
class Prober {
  public:
    virtual ~Prober() = default;
    // Sends up to `tries` ICMP (or ICMPv6) echo requests and waits for a matching reply. Returns
    // as soon as the answer is certain: a reply, an error sending (no route), or an ICMP error
    // (destination unreachable, time exceeded) quoting one of its requests.
    virtual EchoResult echo(const EchoRequest& request) = 0;
    // Opens a TCP connection (SYN, SYN-ACK, ACK) and closes it. Returns as soon as the answer is
    // certain: a reset or an ICMP error does not wait for the timeout.
    virtual TcpResult tcp_connect(const TcpRequest& request) = 0;
    // The route the namespace would use to `to` (from `source`, if given).
    virtual RouteAnswer route_to(const std::string& ns, const IpAddress& to,
                                 const std::optional<IpAddress>& source) = 0;
};

// Raw ICMP sockets (root has CAP_NET_RAW) and rtnetlink. Defined in the nstopo_kernel library.
std::unique_ptr<Prober> make_prober(const KernelOptions& options);

// Runs `argv` (execvp: PATH lookup, no shell) inside namespace `ns` as `ip netns exec` does: the
// process enters the network namespace and a private mount namespace with a fresh /sys of that
// network namespace. For kHostNamespace it runs where the process is. Returns only by throwing
// Error (kind kernel) when a step or the exec fails. Call it from a single-threaded process
// (unshare(CLONE_NEWNS) needs that).
[[noreturn]] void exec_in_namespace(const KernelOptions& options, const std::string& ns,
                                    const std::vector<std::string>& argv);

}  // namespace nstopo
