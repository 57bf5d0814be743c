// The topology model: plain value types shared by every layer.
//
// Desired state (what the loader builds from YAML) and observed state (what the kernel layer reads
// from the live kernel) are the same types, so the planner diffs value against value and tests
// build both sides by hand. A few fields are only meaningful on one side; their comments say which.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nstopo/ip.hpp"
#include "nstopo/names.hpp"

namespace nstopo {

// Where in a topology file a value came from. Not part of any value's equality.
struct SourceLocation {
    std::string file;
    int line = 0;    // 1-based; 0 means unknown
    int column = 0;  // 1-based
    bool known() const { return line > 0; }
    std::string str() const;  // "file:line:col", or "file" when the position is unknown
};

enum class LinkState : std::uint8_t { up, down };
std::string to_string(LinkState s);

// The name of the host's own (root) namespace in every `ns` parameter of the model and the kernel
// interface. It is not a valid namespace name in a topology file.
inline const std::string kHostNamespace;

// One end of a veth pair: a namespace ("" = the host namespace) and an interface name.
struct VethEnd {
    std::string ns;
    std::string ifname;
    bool in_host() const { return ns.empty(); }
    std::string str() const;  // "ns01/ns01-veth0", or "veth0" for a host end
    auto operator<=>(const VethEnd&) const = default;
    bool operator==(const VethEnd&) const = default;
};

struct Veth {
    VethEnd a;
    VethEnd b;
    SourceLocation where;
    // The same pair with its ends in a fixed order (a < b): compare pairs through this.
    Veth canonical() const;
    bool same_pair(const Veth& o) const;
    bool has_end(const VethEnd& e) const { return a == e || b == e; }
};

enum class LinkKind : std::uint8_t { veth, loopback, bridge, other };
std::string to_string(LinkKind k);

// How a bridge forwards. Desired and observed: the bridge's STP state and its MAC ageing time.
struct BridgeOptions {
    bool stp = false;
    // In hundredths of a second, as the kernel keeps it. 0 = a hub: the bridge learns no MAC
    // address and floods every frame to every port.
    std::uint32_t ageing_time = kDefaultAgeingTime;
    static constexpr std::uint32_t kDefaultAgeingTime = 30000;  // the kernel's default, 300 s
    bool hub() const { return ageing_time == 0; }
    bool operator==(const BridgeOptions&) const = default;
};

// Network emulation (netem) on a link's egress: a fixed delay with random jitter, and random
// impairments. Probabilities are in millionths of all packets (ppm: 1% = 10000), which the kernel
// keeps as fractions of 2^32 - 1 (netem_probability_to_kernel); delays in microseconds.
struct Netem {
    std::uint32_t delay_us = 0;
    std::uint32_t jitter_us = 0;  // only with a delay
    std::uint32_t loss = 0;
    std::uint32_t duplicate = 0;
    std::uint32_t corrupt = 0;
    std::uint32_t reorder = 0;  // only with a delay: these packets are sent at once, the rest late
    bool operator==(const Netem&) const = default;
};

// What a probability of `ppm` millionths is to the kernel (a fraction of 2^32 - 1), and back:
// from_kernel(to_kernel(p)) == p for every p in 0..1000000.
std::uint32_t netem_probability_to_kernel(std::uint32_t ppm);
std::uint32_t netem_probability_from_kernel(std::uint32_t fraction);
inline constexpr std::uint32_t kPpmOfAll = 1'000'000;  // 100%

// Traffic control on a link's egress: the root queueing discipline nstopo makes. `rate` alone is a
// token bucket (TBF); `netem` alone is netem; both are netem with a TBF child (tc-netem(8)'s rate
// layout). Desired: nullopt = none, the kernel's default qdisc. Observed: nullopt when the link
// has the kernel's default (a root qdisc with handle 0: noqueue, pfifo_fast, mq, fq_codel).
struct Shaping {
    std::optional<std::uint64_t> rate;  // bits per second, a multiple of 8 (the kernel keeps bytes)
    std::optional<Netem> netem;
    // Observed only: a root qdisc nstopo does not make, as "KIND HANDLE" ("htb 1:"); rate and
    // netem are then unset. Never equal to a desired shaping, so it is replaced (or removed).
    std::string foreign;
    bool operator==(const Shaping&) const = default;
    // "rate 10mbit", "rate 10mbit, delay 40ms, jitter 5ms, loss 1%", "qdisc htb 1:".
    std::string str() const;
};

// tc(8)'s spelling of a rate: the largest of gbit, mbit, kbit, bit that writes it whole
// ("10mbit", "1500kbit", "8bit").
std::string rate_text(std::uint64_t bits_per_second);
// "40ms", "1500us", "2s": the largest of s, ms, us that writes it whole.
std::string duration_text(std::uint32_t microseconds);
// "1%", "0.1%", "0.0001%": millionths as a percentage, without trailing zeros.
std::string percent_text(std::uint32_t ppm);

struct Interface {
    std::string name;
    LinkKind kind = LinkKind::veth;
    std::vector<Cidr> addresses;  // sorted, unique (see normalize())
    LinkState state = LinkState::up;
    // Desired: nullopt = the kind's default MTU (default_mtu). Observed: always set.
    std::optional<std::uint32_t> mtu;
    // Desired: nullopt = the address the kernel gave the link when nstopo created it (the apply
    // layer keeps it in the lab's record and holds the link to it). Observed: always set.
    std::optional<MacAddress> mac;
    // The bridge of the same namespace this link is a port of; "" if none.
    std::string master;
    // Set exactly when kind is LinkKind::bridge.
    std::optional<BridgeOptions> bridge;
    // The file's `rate:` and `netem:` (see Shaping).
    std::optional<Shaping> shaping;
    // Desired only: where the file says `netem:` (else `rate:`), which may be another file than
    // the interface's own `where` when a lab extends another; unknown if neither is written.
    SourceLocation shaping_where;
    // Observed only: the lab named by the link's nstopo mark (ifalias "nstopo:LAB"); "" if none.
    std::string owner;
    // Observed only: the kernel's name for the link's type ("veth", "bridge", "vxlan",
    // "macvlan"; "" for a link without one, as lo). Says what a LinkKind::other link is.
    std::string type;
    // Observed only: the kernel's index of the link in its namespace. A namespace numbers its
    // links upwards, so a link deleted and made again by hand has another.
    int ifindex = 0;
    SourceLocation where;

    bool operator==(const Interface& o) const;  // all fields but `ifindex` and the locations
};

// The MTU a link of this kind has when nobody set one: what an unset `mtu` means (1500 for a veth,
// 65536 for lo; nullopt for other kinds, which the file cannot declare).
std::optional<std::uint32_t> default_mtu(LinkKind k);

struct Route {
    Cidr to;                         // a network (host bits zero); 0/0 is the default route
    std::optional<IpAddress> via;    // gateway
    std::optional<std::string> dev;  // desired: optional; observed: always set
    std::uint32_t metric = 0;        // the kernel's priority; loader fills the family default
    SourceLocation where;

    Family family() const { return to.family(); }
    // Kernel identity of a route in the main table: destination and metric.
    bool same_key(const Route& o) const { return to == o.to && metric == o.metric; }
    std::string str() const;                // "10.0.0.0/24 via 172.16.0.2 dev gw01-veth1 metric 0"
    bool operator==(const Route& o) const;  // all fields but `where`
};

// The observed route `have` is what `want` asks for: the same gateway, and the same device when
// `want` names one (it need not: the kernel then picks it).
bool fulfils(const Route& have, const Route& want);

// The kernel's default metric for a route of this family when none is given (0 for IPv4, 1024 for
// IPv6).
std::uint32_t default_metric(Family f);

// Sysctl keys that `forwarding:` expands to.
inline const std::string kIpv4Forwarding = "net.ipv4.ip_forward";
inline const std::string kIpv6Forwarding = "net.ipv6.conf.all.forwarding";
// The key each new link copies its IPv4 forwarding from.
inline const std::string kIpv4DefaultForwarding = "net.ipv4.conf.default.forwarding";

// The IPv4 forwarding switch of one link, "net.ipv4.conf.IFNAME.forwarding" (a '.' of the name
// written '/', as sysctl(8) does): the kernel forwards a packet only when this key of the link it
// *arrived* on is 1 (ip_route_input_slow, IN_DEV_FORWARD); net.ipv4.ip_forward is not consulted
// on that path, and writing it (or conf.all.forwarding) sets the key of every link at once.
std::string ipv4_forwarding_key(const std::string& ifname);
// The link of such a key, or nullopt for any other key.
std::optional<std::string> ifname_of_forwarding_key(const std::string& key);

// Keys under net.ipv4.conf.default. and net.ipv6.conf.default.: the kernel copies them into each
// link when the link is created, so they must be set before the namespace's links exist.
bool sysctl_shapes_new_links(const std::string& key);

// Lab namespaces skip IPv6 duplicate address detection by default (a default the file may
// override): until a link's link-local address has passed DAD (1-2 s after the link comes up), the
// kernel cannot send neighbour solicitations for forwarded traffic (ndisc_send_ns needs a
// non-tentative link-local source), so a router would drop the first packets of a fresh lab.
inline const std::string kIpv6DefaultAcceptDad = "net.ipv6.conf.default.accept_dad";

// Whether an IPv6 address nstopo adds goes through duplicate address detection.
enum class Dad : std::uint8_t {
    skip,    // usable at once (IFA_F_NODAD): lab namespaces by default, and host ends
    detect,  // tentative until DAD has passed, as the kernel does by itself
};

// A process as the kernel knows it: its pid and its start time (clock ticks after boot, field 22
// of /proc/PID/stat). The kernel hands a pid out again once its process is gone; the pair names
// one process until the machine reboots.
struct ProcessIdentity {
    int pid = 0;
    std::uint64_t start_time = 0;
    bool operator==(const ProcessIdentity&) const = default;
};

// What became of a process the lab started (observed only).
enum class ProcessState : std::uint8_t {
    running,  // its recorded identity runs, inside its namespace
    exited,   // no process has its recorded identity any more
    astray,   // it runs, but not in the namespace of that name (deleted and made again meanwhile)
};
std::string to_string(ProcessState s);

// Observed only: a process the lab's record says it started, and how it is now.
struct ProcessRun {
    ProcessIdentity id;
    std::string definition;       // definition_hash() of the process as it was started
    std::string log;              // the file its output is appended to
    std::int64_t started_at = 0;  // when it was started, in seconds since the epoch
    ProcessState state = ProcessState::running;
    // Observed only, for an exited run: its wait status (as waitpid gives it), when known.
    std::optional<int> wait_status;
    bool operator==(const ProcessRun&) const = default;
};

// Where the exit status of a process whose output goes to `log` is written: beside it, with
// ".exit" for its ".log" ("web.log" -> "web.exit"; another name gets ".exit" appended). One line,
// "PID STATUS", STATUS the raw wait status; empty while the process runs.
std::string process_exit_file(const std::string& log);

// A program the lab runs in one of its namespaces (`processes:` in the file), identified by
// (namespace, name). Desired: from the file, with every path made absolute. The loader has
// checked that `command` is a non-empty argv without NUL bytes, that `directory` and every mount
// source lie inside the lab file's folder (after symlinks), that every mount target lies under
// one of kProcessMountRoots, and that env names are portable.
struct Process {
    std::string name;
    std::vector<std::string> command;  // argv; command[0] is looked up in PATH (execvp)
    std::string directory;             // absolute working directory
    std::string user;                  // a user name or number inside the namespace; "" = root
    std::map<std::string, std::string> env;     // added to the environment nstopo runs with
    std::map<std::string, std::string> mounts;  // absolute target -> absolute source
    // Desired: a digest of what the mount sources hold (names, sizes and contents, bounded: see
    // config's mount_digest), so that an edited configuration file restarts the process.
    std::string mounts_digest;
    // Observed only: the run the lab's record knows of (nullopt on the desired side).
    std::optional<ProcessRun> run;
    SourceLocation where;  // its key

    // "python3 -m http.server 8080": the argv as a person reads it (arguments with blanks or
    // quotes are quoted).
    std::string command_line() const;
    // A stable digest of everything that defines the process (command, directory, user, env,
    // mounts and mounts_digest): a recorded process whose digest differs is restarted.
    std::string definition_hash() const;
    bool operator==(const Process& o) const;  // all fields but `run` and `where`
};

// A stable 64-bit digest (16 hex digits) of a sequence of fields, each length-prefixed so that
// ("ab", "c") and ("a", "bc") differ: a change detector, not a defence against an adversary.
class Digest {
  public:
    void add(const std::string& field);
    std::string hex() const;

  private:
    void mix(const std::string& bytes);
    std::uint64_t h_ = 14695981039346656037ull;
};

// The directories a `mounts:` target must be (or lie under): places a program reads its
// configuration, data and runtime files from, never the system's binaries or libraries.
inline const std::vector<std::string> kProcessMountRoots = {"/etc", "/var", "/srv", "/run",
                                                            "/tmp", "/opt", "/home"};

// One entry of a namespace's `nat:` (see nftables.hpp for how it is rendered).
struct NatRule {
    enum class Kind : std::uint8_t {
        masquerade,  // source NAT of what leaves `ifname` to that link's address
        forward,     // destination NAT of `proto` `port` arriving on `ifname` to `to`:`to_port`
    };
    Kind kind = Kind::masquerade;
    std::string ifname;
    std::string proto;  // forward: "tcp" or "udp"
    std::uint16_t port = 0;
    IpAddress to;
    std::uint16_t to_port = 0;
    SourceLocation where;
    bool operator==(const NatRule& o) const;  // all but `where`
};

// An nftables table of a namespace, identified by family and name. Desired: nstopo's own table
// (kNftFamily kNftTable), made from `nat:` and the `nftables:` file. Observed: every table the
// kernel has in the namespace.
struct NftTable {
    std::string family;  // "inet", "ip", ...
    std::string name;
    // The table as the kernel lists it back: its chains, sets, maps and rules as JSON, without
    // handles, counters or the listing's metainfo (see nftables.hpp). Desired: filled in before
    // planning, by loading `body` into a scratch namespace (Kernel::canonical_table). Observed:
    // read.
    std::string canonical;
    int rules = 0;  // how many rules `canonical` has
    // Desired only: the table's body in nft syntax, which the kernel layer wraps in
    // "table FAMILY NAME { ... }": the NAT chains, then the file's text.
    std::string body;
    std::vector<NatRule> nat;  // desired only: the `nat:` entries rendered into `body`
    // Desired only: the `nftables:` file as messages name it (the lab file's folder and the name
    // written); "" if none.
    std::string file;
    int file_first_line = 0;  // desired only: the line of `body` where the file's text starts
    SourceLocation where;     // desired: `nat:` or `nftables:`, whichever comes first

    std::string id() const { return family + " " + name; }  // "inet nstopo"
    bool operator==(const NftTable& o) const;               // family, name, canonical and rules
};

struct Namespace {
    std::string name;
    // Every link of the namespace by name. Desired: the veth ends placed here and "lo" (whose state
    // is the file's `loopback:`). Observed: every link the kernel has.
    std::map<std::string, Interface> interfaces;
    std::vector<Route> routes;  // sorted by (to, metric), unique key
    // `net.*` keys relative to /proc/sys, values with whitespace normalized ("1", "4096 87380").
    // Desired: the file's sysctls plus both forwarding keys ("0" unless `forwarding: true`).
    // Observed: the keys that were asked for.
    std::map<std::string, std::string> sysctls;
    // Desired only: where each key the file writes under `sysctls:` was written (the keys nstopo
    // adds itself have none; their operations point at the namespace).
    std::map<std::string, SourceLocation> sysctl_where;
    // The programs the lab runs here, by name. Desired: the file's. Observed: the kernel observer
    // returns none; the engine adds those the lab's record says it started (each with its `run`).
    std::map<std::string, Process> processes;
    // nftables tables by NftTable::id(). Desired: nstopo's table, if `nat:` or `nftables:` asks
    // for one. Observed: every table of the namespace.
    std::map<std::string, NftTable> tables;
    // Observed only: the lab named by the namespace's nstopo mark (ifalias of its "lo"); "" if
    // none.
    std::string owner;
    // Observed only: the namespace's identity, which no other namespace has or will have until
    // the machine reboots (its netns cookie, NlSocket::netns_cookie); 0 where the kernel has none.
    std::uint64_t identity = 0;
    // Observed only: main-table routes the model cannot hold (multipath, blackhole, unreachable,
    // prohibit, ...), each as "blackhole 10.9.0.0/24": left out of `routes`, named here so that
    // `import` can say what it did not take.
    std::vector<std::string> unmodelled_routes;
    SourceLocation where;

    bool forwarding() const;                    // IPv4 forwarding is on
    bool operator==(const Namespace& o) const;  // all but `identity`, `where`, `sysctl_where`
};

// Dad::detect when the namespace's sysctls turn DAD on for link `ifname`: conf.all.accept_dad, or
// conf.IFNAME.accept_dad (else conf.default.accept_dad, which a new link copies) at 1 or more.
Dad dad_for(const Namespace& ns, const std::string& ifname);

// A reachability check of the lab (`checks:` in the file): from a lab namespace, `to` must answer
// an ICMP echo, or accept a TCP connection on port `tcp` (or must not, with `expect_reachable`
// false), optionally from `source` and with the first hop `via`. With `wait`, it is tried again
// until it holds or the wait runs out. Checks are no kernel state: the planner ignores them, the
// observer never returns any, Topology's equality leaves them out and the state record does not
// store them.
struct Check {
    std::string from;  // a namespace of the lab (never the host)
    IpAddress to;
    std::optional<IpAddress> source;  // bind the echo (or the connection) to this address of `from`
    std::optional<IpAddress> via;     // the gateway the route lookup in `from` must name
    std::optional<std::uint16_t> tcp;  // connect to this port instead of sending echo requests
    std::optional<std::chrono::milliseconds> wait;  // keep trying this long until it holds
    bool expect_reachable = true;
    std::string name;  // what reports call the check (`name:`); "" = its generated text
    std::string hint;  // what to look at when it fails (`hint:`), for a student; may be ""
    SourceLocation where;

    // "ns01 -> 10.0.0.1 from 192.168.0.1 via 192.168.0.254", "ns01 -> 10.0.0.1 tcp 8080"
    std::string str() const;
    // The name reports show: `name`, or str() when the file gives none.
    std::string label() const;
};

// The longest `wait:` a check may take: ten minutes.
constexpr std::chrono::milliseconds kMaxCheckWait{600'000};

// The host's own routing, as far as a lab's host ends could take from it (observed only): the
// routes of its main table but those the kernel adds itself, and the addresses of its links.
struct HostRouting {
    std::vector<Route> routes;
    std::map<std::string, std::vector<Cidr>> addresses;  // by link
};

// `host: uplink:`: the lab's subnets reach the host's own network through host interface `out`,
// source-NATed to its address (masquerade). Desired only (the record keeps it); what it makes in
// the kernel is Topology::host_tables and host_sysctls, which the loader derives from it.
struct Uplink {
    std::string out;            // a host interface the lab does not create (eth0)
    std::vector<Cidr> subnets;  // IPv4 networks inside subnets of the lab's addresses, sorted
    SourceLocation where;       // its key
    bool operator==(const Uplink& o) const { return out == o.out && subnets == o.subnets; }
};

// A LAN of the file's `lans:` shorthand: a switch namespace named after the LAN, holding one
// bridge (kLanBridge), and one veth from each member to a port of that bridge. The loader expands
// it into that namespace, bridge and veths, so the planner and the observer see ordinary objects;
// the Lan itself only says, for `graph` and `status`, which namespace is a LAN's switch. Desired
// only (the record keeps it); not part of Topology's equality.
struct Lan {
    std::string name;  // also the switch namespace's name
    struct Member {
        VethEnd end;       // the member's interface, in its namespace
        std::string port;  // the bridge port in the switch namespace its veth ends on
        bool operator==(const Member&) const = default;
    };
    std::vector<Member> members;  // in file order
    SourceLocation where;         // its key under `lans:`
    bool operator==(const Lan& o) const { return name == o.name && members == o.members; }
};

// The bridge of every LAN's switch namespace.
inline const std::string kLanBridge = "br0";

// The switch port of a LAN member NS/IFNAME is lan_plain_port, "NS-IFNAME", when that is a valid
// interface name (at most 15 bytes) that no other member of the LAN would also get; else
// lan_hashed_port, "p-" and the 32-bit FNV-1a hash of "NS/IFNAME" in 8 lowercase hex digits
// ("a-long-name/eth0" -> "p-0870b6e5"). The loader chooses (expand_lans).
std::string lan_plain_port(const VethEnd& member);
std::string lan_hashed_port(const VethEnd& member);

struct Topology {
    std::string name;  // the lab's name
    std::map<std::string, Namespace> namespaces;
    std::vector<Veth> veths;
    // Host (root) namespace interfaces the lab declares (desired) or that were read (observed).
    std::map<std::string, Interface> host_interfaces;
    // Routes of the host's main table the lab adds (`host: routes:`), sorted by (to, metric).
    // Desired: the file's. Observed (with host_routing in the scope): the host's main-table routes
    // that carry nstopo's protocol (kRouteProtocol), whichever lab added them.
    std::vector<Route> host_routes;
    // `host: uplink:`, if the file has one. Desired only.
    std::optional<Uplink> uplink;
    // nftables tables of the host namespace by NftTable::id(). Desired: the uplink's table
    // (uplink_table in nftables.hpp). Observed: those of the scope's host_tables that exist.
    std::map<std::string, NftTable> host_tables;
    // Sysctls of the host namespace (keys as Namespace::sysctls). Desired: the uplink's
    // per-interface forwarding keys, "1". Observed: those of the scope's host_sysctls the kernel
    // has.
    std::map<std::string, std::string> host_sysctls;
    SourceLocation where;  // the file
    // The file's `checks:`, in file order. Desired only; not part of operator==.
    std::vector<Check> checks;
    // Observed only, when the scope asks for it; not part of operator==.
    HostRouting host_routing;
    // The file's `lans:`, by name (their namespaces, bridges and veths are in the fields above).
    // Desired only; not part of operator==.
    std::map<std::string, Lan> lans;
    // Observed only: processes the lab started in a namespace that is gone (deleted by hand),
    // still running there (astray) and keeping it alive, by namespace name. Not part of
    // operator==.
    std::map<std::string, std::map<std::string, Process>> lost_processes;

    const Interface* find_interface(const std::string& ns, const std::string& ifname) const;
    Interface* find_interface(const std::string& ns, const std::string& ifname);
    const Veth* find_veth(const VethEnd& end) const;
    bool operator==(const Topology& o) const;  // all fields but `where`; veths compared as sets
};

// Sorts and deduplicates addresses, sorts routes and veths: the canonical form every producer of a
// Topology (loader, observer, fakes) returns, so equal states compare equal.
void normalize(Topology& t);
void normalize(Interface& i);
void normalize(Namespace& n);

}  // namespace nstopo
