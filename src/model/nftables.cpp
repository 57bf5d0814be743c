#include "nstopo/nftables.hpp"

#include <tuple>

namespace nstopo {

namespace {

// A link name as an nft string: interface names never hold '"' (interface_name_problem).
std::string quoted_ifname(const std::string& ifname) {
    return "\"" + ifname + "\"";
}

std::string destination(const NatRule& r) {
    const bool v6 = r.to.family() == Family::v6;
    const std::string addr = v6 ? "[" + r.to.str() + "]" : r.to.str();
    return std::string(v6 ? "ip6" : "ip") + " to " + addr + ":" + std::to_string(r.to_port);
}

// A base chain of hook `hook` at priority `priority` with `rules`, or "" when there are none.
std::string nat_chain(const std::string& name, const std::string& hook, const std::string& priority,
                      const std::vector<std::string>& rules) {
    if (rules.empty()) return {};
    std::string text = "chain " + name + " {\n  type nat hook " + hook + " priority " + priority +
                       "; policy accept;\n";
    for (const auto& r : rules) text += "  " + r + "\n";
    return text + "}\n";
}

}  // namespace

bool NatRule::operator==(const NatRule& o) const {
    return std::tie(kind, ifname, proto, port, to, to_port) ==
           std::tie(o.kind, o.ifname, o.proto, o.port, o.to, o.to_port);
}

bool NftTable::operator==(const NftTable& o) const {
    return std::tie(family, name, canonical, rules) ==
           std::tie(o.family, o.name, o.canonical, o.rules);
}

std::string nat_rule_text(const NatRule& r) {
    if (r.kind == NatRule::Kind::masquerade)
        return "oifname " + quoted_ifname(r.ifname) + " masquerade";
    return "iifname " + quoted_ifname(r.ifname) + " " + r.proto + " dport " +
           std::to_string(r.port) + " dnat " + destination(r);
}

NftTable nstopo_table(std::vector<NatRule> nat, std::string file, const std::string& file_text,
                      SourceLocation where) {
    std::vector<std::string> forwards, masquerades;
    for (const auto& r : nat)
        (r.kind == NatRule::Kind::forward ? forwards : masquerades).push_back(nat_rule_text(r));
    NftTable t;
    t.family = kNftFamily;
    t.name = kNftTable;
    t.body = nat_chain(kNatPrerouting, "prerouting", "dstnat", forwards) +
             nat_chain(kNatPostrouting, "postrouting", "srcnat", masquerades);
    int lines = 0;
    for (const char c : t.body) lines += c == '\n';
    t.file_first_line = lines + 1;
    t.body += file_text;
    if (!t.body.empty() && t.body.back() != '\n') t.body += '\n';
    t.nat = std::move(nat);
    t.file = std::move(file);
    t.where = std::move(where);
    return t;
}

std::string uplink_table_name(const std::string& lab) {
    return "nstopo-" + lab;
}

NftTable uplink_table(const std::string& lab, const Uplink& uplink) {
    std::string subnets;
    for (const auto& s : uplink.subnets) subnets += (subnets.empty() ? "" : ", ") + s.str();
    NftTable t;
    t.family = kUplinkFamily;
    t.name = uplink_table_name(lab);
    t.body = nat_chain(
        "postrouting", "postrouting", "srcnat",
        {"oifname " + quoted_ifname(uplink.out) + " ip saddr { " + subnets + " } masquerade"});
    t.where = uplink.where;
    return t;
}

std::string replace_script(const NftTable& t) {
    const std::string table = "table " + t.id();
    return table + "\ndelete " + table + "\n" + table + " {\n" + t.body + "}\n";
}

std::string delete_script(const NftTable& t) {
    return "delete table " + t.id() + "\n";
}

}  // namespace nstopo
