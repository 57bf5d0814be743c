// `extends:`, `vars:` and `remove:`: the files a lab builds on, merged into one tree.
//
// The steps, in order: read every file the loaded one extends (and those they extend), each
// parsed on its own with its own diagnostics; gather the variables (a file's `vars:` win over
// those of the files it extends, --set wins over all); substitute them in every file; merge each
// file over what it extends, after taking out what its `remove:` names. Nodes are never changed
// in place (a YAML alias may share one): merging and removing make new nodes, so each value keeps
// the position, in its own file, where it was written.
#include "compose.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>

#include "nstopo/config.hpp"
#include "nstopo/names.hpp"
#include "text_checks.hpp"

namespace nstopo::config {

namespace fs = std::filesystem;

namespace {

// What substitution may add to all the files together: a bound on `${x}` used many times over.
constexpr std::size_t kMaxSubstitutedBytes = 2 * kMaxTopologyFileBytes;

struct File {
    YamlTree tree;
    std::string name;                // as diagnostics name it
    fs::path real;                   // without symbolic links: how cycles are found
    std::vector<std::size_t> bases;  // the files it extends, in `extends:` order
    NodeId offset = 0;               // where its nodes start in the merged tree
};

// An end of a veth as written: "ns/if", "if" (the host), or { namespace, interface }.
struct End {
    std::string ns, ifname;
};

class Composer {
  public:
    Composer(Diagnostics& diags, const std::map<std::string, std::string>& set)
        : diags_(diags), set_(set) {}

    std::optional<YamlTree> run(YamlTree main) {
        files_.push_back(File{std::move(main), diags_.file(), real_path(diags_.file()), {}, 0});
        std::vector<fs::path> chain{files_[0].real};
        read_bases(0, chain);
        std::map<std::string, std::string> vars;
        std::set<std::size_t> seen;
        gather_vars(0, seen, vars);
        for (const auto& [name, value] : set_) {
            if (variable_name_ok(name))
                vars[name] = value;
            else
                diags_.error(SourceLocation{diags_.file(), 0, 0},
                             "--set " + quote(name) +
                                 ": not a variable name (a letter or `_`, "
                                 "then letters, digits or `_`)");
        }
        for (auto& f : files_) substitute(f, vars);
        for (auto& f : files_) import(f);
        out_.root = composite(0);
        return std::move(out_);
    }

  private:
    // -- reading -------------------------------------------------------------------------------

    static fs::path real_path(const std::string& file) {
        std::error_code ec;
        const fs::path abs = fs::absolute(file, ec);
        if (ec) return fs::path(file).lexically_normal();
        const fs::path real = fs::weakly_canonical(abs, ec);
        return ec ? abs.lexically_normal() : real;
    }

    // The value of top-level `key` of file `f`, if its root is a map that has it.
    static std::optional<NodeId> top(const YamlTree& t, std::string_view key) {
        const YamlNode& root = t[t.root];
        if (root.kind != NodeKind::map) return std::nullopt;
        for (const auto& [k, v] : root.entries)
            if (t[k].text == key) return v;
        return std::nullopt;
    }

    void error(const File& f, NodeId id, std::string message) {
        diags_.error(f.tree[id].pos, std::move(message));
    }

    void read_bases(std::size_t i, std::vector<fs::path>& chain) {
        const auto extends = top(files_[i].tree, kExtendsKey);
        if (!extends) return;
        std::vector<NodeId> written;
        const YamlNode& v = files_[i].tree[*extends];
        if (v.kind == NodeKind::scalar) written.push_back(*extends);
        if (v.kind == NodeKind::list) written = v.items;
        if (v.kind == NodeKind::map || v.kind == NodeKind::null)
            error(files_[i], *extends, "`extends` must be a file name or a list of file names");
        for (const NodeId w : written)
            if (auto base = read_base(i, w, chain)) files_[i].bases.push_back(*base);
    }

    // The file named at node `w` of file `from`, read, parsed and with what it extends read too;
    // nullopt when it cannot be (after an error), or when it was already reached (it is merged
    // once, where first reached).
    std::optional<std::size_t> read_base(std::size_t from, NodeId w, std::vector<fs::path>& chain) {
        const File& f = files_[from];
        const YamlNode& n = f.tree[w];
        if (n.kind != NodeKind::scalar || n.text.empty()) {
            error(f, w, "`extends` must name a file (a path relative to this file)");
            return std::nullopt;
        }
        const fs::path written(n.text);
        const fs::path path =
            written.is_absolute() ? written : fs::path(f.name).parent_path() / written;
        const std::string name = path.lexically_normal().string();
        const fs::path real = real_path(name);
        if (std::find(chain.begin(), chain.end(), real) != chain.end()) {
            std::string cycle;
            for (const auto& c : chain) cycle += c.filename().string() + " -> ";
            error(
                f, w,
                "extends " + quote(n.text) + " makes a cycle: " + cycle + real.filename().string());
            return std::nullopt;
        }
        for (std::size_t j = 0; j < files_.size(); ++j)
            if (files_[j].real == real) return std::nullopt;
        TopologyText text = read_topology_file(path);
        if (!text.text) {
            const auto& ds = text.unreadable.diagnostics;
            error(f, w,
                  "extends " + quote(n.text) + ": " + quote(name) + " " +
                      (ds.empty() ? std::string("cannot be read") : ds.front().message));
            return std::nullopt;
        }
        Diagnostics own(name);
        std::optional<YamlTree> tree;
        if (check_text(*text.text, own)) tree = parse_yaml(*text.text, own);
        diags_.adopt(std::move(own).finish(*text.text));
        if (!tree) return std::nullopt;
        const auto source = diags_.add_source(name, *text.text);
        if (!source) {
            error(f, w, "extends " + quote(n.text) + ": too many files extend one another");
            return std::nullopt;
        }
        for (auto& node : tree->nodes) node.pos.source = *source;
        files_.push_back(File{std::move(*tree), name, real, {}, 0});
        const std::size_t index = files_.size() - 1;
        chain.push_back(real);
        read_bases(index, chain);
        chain.pop_back();
        return index;
    }

    // -- variables -----------------------------------------------------------------------------

    void gather_vars(std::size_t i, std::set<std::size_t>& seen,
                     std::map<std::string, std::string>& vars) {
        if (!seen.insert(i).second) return;
        for (const std::size_t b : files_[i].bases) gather_vars(b, seen, vars);
        const File& f = files_[i];
        const auto v = top(f.tree, kVarsKey);
        if (!v) return;
        const YamlNode& map = f.tree[*v];
        if (map.kind == NodeKind::null) return;
        if (map.kind != NodeKind::map) {
            error(f, *v, "`vars` must be a map of variable names to values");
            return;
        }
        for (const auto& [k, value] : map.entries) {
            const std::string& name = f.tree[k].text;
            if (!variable_name_ok(name)) {
                error(f, k,
                      "variable name " + quote(name) +
                          " must be a letter or `_`, then letters, digits or `_` (at most 64)");
                continue;
            }
            if (f.tree[value].kind != NodeKind::scalar) {
                error(f, value, "variable " + quote(name) + " must be a string or a number");
                continue;
            }
            vars[name] = f.tree[value].text;
        }
    }

    // The nodes of `id`'s subtree in `t` (for the values substitution leaves alone).
    static void subtree(const YamlTree& t, NodeId id, std::set<NodeId>& out) {
        if (!out.insert(id).second) return;
        for (const NodeId item : t[id].items) subtree(t, item, out);
        for (const auto& [k, v] : t[id].entries) {
            out.insert(k);
            subtree(t, v, out);
        }
    }

    // `text` with each ${NAME} replaced by its value ("$${" stays a literal "${").
    std::optional<std::string> expand(const File& f, NodeId id, const std::string& text,
                                      const std::map<std::string, std::string>& vars) {
        std::string out;
        for (std::size_t i = 0; i < text.size();) {
            if (text.compare(i, 3, "$${") == 0) {
                out += "${";
                i += 3;
                continue;
            }
            if (text.compare(i, 2, "${") != 0) {
                out += text[i++];
                continue;
            }
            const auto close = text.find('}', i + 2);
            if (close == std::string::npos) {
                error(f, id, "`${` without its `}` in " + quote(text));
                return std::nullopt;
            }
            const std::string name = text.substr(i + 2, close - i - 2);
            const auto value = vars.find(name);
            if (!variable_name_ok(name)) {
                error(f, id, quote("${" + name + "}") + " does not name a variable");
                return std::nullopt;
            }
            if (value == vars.end()) {
                error(f, id,
                      "undefined variable " + quote(name) +
                          "; define it under `vars:` or give --set " + name + "=VALUE");
                return std::nullopt;
            }
            substituted_ += value->second.size();
            if (substituted_ > kMaxSubstitutedBytes) {
                error(f, id,
                      "variables add more than " + std::to_string(kMaxSubstitutedBytes) +
                          " bytes to the files");
                return std::nullopt;
            }
            out += value->second;
            i = close + 1;
        }
        return out;
    }

    void substitute(File& f, const std::map<std::string, std::string>& vars) {
        std::set<NodeId> skip;
        for (const char* key : {kExtendsKey, kVarsKey})
            if (const auto v = top(f.tree, key)) subtree(f.tree, *v, skip);
        for (NodeId id = 0; id < f.tree.nodes.size(); ++id) {
            YamlNode& n = f.tree.nodes[id];
            if (n.kind != NodeKind::scalar || skip.count(id) != 0 ||
                n.text.find('$') == std::string::npos)
                continue;
            auto text = expand(f, id, n.text, vars);
            if (!text || *text == n.text) continue;
            // Read as if the value had been written there unquoted: in a flow map `${mtu}` must
            // be quoted (YAML takes `{` for a map), and `mtu: "${mtu}"` is still a number.
            n.text = std::move(*text);
            n.plain = true;
        }
        // Keys made of variables may now collide.
        for (auto& n : f.tree.nodes) {
            if (n.kind != NodeKind::map) continue;
            std::map<std::string, NodeId> first;
            std::vector<std::pair<NodeId, NodeId>> kept;
            for (const auto& [k, v] : n.entries) {
                const auto [at, fresh] = first.emplace(f.tree[k].text, k);
                if (fresh) {
                    kept.emplace_back(k, v);
                    continue;
                }
                diags_.error(f.tree[k].pos, "duplicate key " + quote(f.tree[k].text) +
                                                " once variables are substituted (first at " +
                                                diags_.at(f.tree[at->second].pos).str() + ")");
            }
            n.entries = std::move(kept);
        }
    }

    // -- merging -------------------------------------------------------------------------------

    const YamlNode& node(NodeId id) const { return out_.nodes[id]; }

    NodeId add(YamlNode n) {
        out_.nodes.push_back(std::move(n));
        return static_cast<NodeId>(out_.nodes.size() - 1);
    }

    void import(File& f) {
        f.offset = static_cast<NodeId>(out_.nodes.size());
        for (YamlNode n : f.tree.nodes) {
            for (auto& item : n.items) item += f.offset;
            for (auto& [k, v] : n.entries) {
                k += f.offset;
                v += f.offset;
            }
            out_.nodes.push_back(std::move(n));
        }
    }

    std::optional<std::size_t> entry_index(NodeId map, std::string_view key) const {
        const auto& entries = node(map).entries;
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (node(entries[i].first).text == key) return i;
        return std::nullopt;
    }

    // `b` over `a`: maps merge by key, lists append, anything else is `b`; an empty `b` is `a`.
    NodeId merge(NodeId a, NodeId b) {
        const NodeKind ka = node(a).kind, kb = node(b).kind;
        if (kb == NodeKind::null) return a;
        if (ka == NodeKind::map && kb == NodeKind::map) {
            YamlNode m = node(a);
            const auto over = node(b).entries;  // merge() adds nodes: no reference across it
            // Keys are unique in each map: one index, not a search per key (a lab of thousands
            // of namespaces extends another).
            std::unordered_map<std::string, std::size_t> at;
            for (std::size_t i = 0; i < m.entries.size(); ++i)
                at.emplace(node(m.entries[i].first).text, i);
            for (const auto& [k, v] : over) {
                const auto [it, fresh] = at.emplace(node(k).text, m.entries.size());
                if (fresh)
                    m.entries.emplace_back(k, v);
                else
                    m.entries[it->second].second = merge(m.entries[it->second].second, v);
            }
            return add(std::move(m));
        }
        if (ka == NodeKind::list && kb == NodeKind::list) {
            YamlNode l = node(a);
            const auto& more = node(b).items;
            l.items.insert(l.items.end(), more.begin(), more.end());
            return add(std::move(l));
        }
        return b;
    }

    // File `i` merged over what it extends, after its `remove:`.
    NodeId composite(std::size_t i) {
        const File& f = files_[i];
        const NodeId root = f.tree.root + f.offset;
        if (node(root).kind != NodeKind::map) return root;
        std::optional<NodeId> base;
        for (const std::size_t b : f.bases) {
            const NodeId c = composite(b);
            base = base ? merge(*base, c) : c;
        }
        YamlNode own = node(root);
        std::optional<NodeId> removes;
        std::erase_if(own.entries, [&](const auto& e) {
            const std::string& key = node(e.first).text;
            if (key == kRemoveKey) removes = e.second;
            return key == kExtendsKey || key == kVarsKey || key == kRemoveKey;
        });
        const NodeId mine = add(std::move(own));
        if (removes) {
            if (base)
                base = apply_removes(*base, *removes);
            else
                diags_.error(node(*removes).pos,
                             "`remove` takes things out of the files this one extends, and it "
                             "extends none");
        }
        return base ? merge(*base, mine) : mine;
    }

    // -- removing ------------------------------------------------------------------------------

    NodeId apply_removes(NodeId root, NodeId removes) {
        const YamlNode& list = node(removes);
        if (list.kind == NodeKind::null) return root;
        if (list.kind != NodeKind::list) {
            diags_.error(list.pos, "`remove` must be a list of paths, such as namespaces/h3");
            return root;
        }
        const std::vector<NodeId> items = list.items;
        for (const NodeId item : items) {
            const YamlNode& n = node(item);
            const auto segments = n.kind == NodeKind::scalar ? split(n.text) : Segments{};
            if (segments.empty()) {
                diags_.error(n.pos,
                             "a `remove` path names keys from the top, separated by `/`, "
                             "such as namespaces/h3 or checks/NAME");
                continue;
            }
            auto removed = remove_at(root, segments, 0);
            if (!removed) {
                diags_.error(n.pos, "remove " + quote(n.text) +
                                        ": nothing of that name in the files this one extends");
                continue;
            }
            root = cascade(*removed, segments);
        }
        return root;
    }

    using Segments = std::vector<std::string>;

    static Segments split(const std::string& path) {
        Segments out;
        std::size_t start = 0;
        while (true) {
            const auto slash = path.find('/', start);
            out.push_back(path.substr(start, slash - start));
            if (out.back().empty()) return {};
            if (slash == std::string::npos) return out;
            start = slash + 1;
        }
    }

    static std::string join(const Segments& s, std::size_t from) {
        std::string out;
        for (std::size_t i = from; i < s.size(); ++i) out += (i > from ? "/" : "") + s[i];
        return out;
    }

    // Whether list item `item` is what `name` names: a check (or any map) by its `name`, a route
    // by its `to`, a scalar by its text, a veth by either end.
    bool names_item(NodeId item, const std::string& name) const {
        const YamlNode& n = node(item);
        if (n.kind == NodeKind::scalar) return n.text == name;
        if (n.kind == NodeKind::map)
            return std::any_of(n.entries.begin(), n.entries.end(), [&](const auto& e) {
                const std::string& key = node(e.first).text;
                return (key == "name" || key == "to") && node(e.second).text == name;
            });
        if (n.kind == NodeKind::list)
            return std::any_of(n.items.begin(), n.items.end(), [&](NodeId end) {
                const auto e = end_of(end);
                return e && (e->ns.empty() ? e->ifname : e->ns + "/" + e->ifname) == name;
            });
        return false;
    }

    // `id` without what segments[k...] name; nullopt when nothing there has that name.
    std::optional<NodeId> remove_at(NodeId id, const Segments& segments, std::size_t k) {
        YamlNode n = node(id);
        if (n.kind == NodeKind::map) {
            const auto at = entry_index(id, segments[k]);
            if (!at) return std::nullopt;
            if (k + 1 == segments.size()) {
                n.entries.erase(n.entries.begin() + static_cast<std::ptrdiff_t>(*at));
                return add(std::move(n));
            }
            const auto child = remove_at(n.entries[*at].second, segments, k + 1);
            if (!child) return std::nullopt;
            n.entries[*at].second = *child;
            return add(std::move(n));
        }
        if (n.kind == NodeKind::list) {
            const std::string name = join(segments, k);
            const auto before = n.items.size();
            std::erase_if(n.items, [&](NodeId item) { return names_item(item, name); });
            if (n.items.size() == before) return std::nullopt;
            return add(std::move(n));
        }
        return std::nullopt;
    }

    // The value at `path` under `id`, if every key is there.
    std::optional<NodeId> at_path(NodeId id, const Segments& path) const {
        for (const auto& key : path) {
            if (node(id).kind != NodeKind::map) return std::nullopt;
            const auto at = entry_index(id, key);
            if (!at) return std::nullopt;
            id = node(id).entries[*at].second;
        }
        return id;
    }

    // `id` with the value at `path` replaced by fn(value), if it is there.
    NodeId rewrite(NodeId id, const Segments& path, std::size_t k,
                   const std::function<NodeId(NodeId)>& fn) {
        if (k == path.size()) return fn(id);
        if (node(id).kind != NodeKind::map) return id;
        const auto at = entry_index(id, path[k]);
        if (!at) return id;
        YamlNode n = node(id);
        n.entries[*at].second = rewrite(n.entries[*at].second, path, k + 1, fn);
        return add(std::move(n));
    }

    // List `id` without the items `drop` says; the same node when it drops none.
    NodeId filter(NodeId id, const std::function<bool(NodeId)>& drop) {
        if (node(id).kind != NodeKind::list) return id;
        YamlNode n = node(id);
        const auto before = n.items.size();
        std::erase_if(n.items, drop);
        return n.items.size() == before ? id : add(std::move(n));
    }

    std::optional<End> end_of(NodeId id) const {
        const YamlNode& n = node(id);
        if (n.kind == NodeKind::scalar) {
            const auto slash = n.text.find('/');
            if (slash == std::string::npos) return End{"", n.text};
            return End{n.text.substr(0, slash), n.text.substr(slash + 1)};
        }
        if (n.kind != NodeKind::map) return std::nullopt;
        End e;
        if (const auto ns = entry_index(id, "namespace")) e.ns = node(n.entries[*ns].second).text;
        if (const auto i = entry_index(id, "interface")) e.ifname = node(n.entries[*i].second).text;
        return e;
    }

    // What else goes with a removed namespace (`ifname` empty) or interface: the veths with an
    // end in it (and the configuration of their other ends), its LAN memberships, its bridge
    // ports, and for a namespace the checks that start in it.
    NodeId cascade(NodeId root, const Segments& path) {
        End gone;
        if (path.size() == 2 && path[0] == "namespaces")
            gone = {path[1], ""};
        else if (path.size() == 4 && path[0] == "namespaces" && path[2] == "interfaces")
            gone = {path[1], path[3]};
        else if (path.size() == 3 && path[0] == "host" && path[1] == "interfaces")
            gone = {"", path[2]};
        else
            return root;
        const auto matches = [&](const std::optional<End>& e) {
            return e && e->ns == gone.ns && (gone.ifname.empty() || e->ifname == gone.ifname);
        };
        std::vector<End> peers;
        root = rewrite(root, {"veths"}, 0, [&](NodeId veths) {
            return filter(veths, [&](NodeId veth) {
                std::vector<std::optional<End>> ends;
                for (const NodeId end : node(veth).items) ends.push_back(end_of(end));
                if (std::none_of(ends.begin(), ends.end(), matches)) return false;
                for (const auto& e : ends)
                    if (e && !matches(e)) peers.push_back(*e);
                return true;
            });
        });
        root = drop_lan_members(root, matches);
        if (gone.ifname.empty())
            root = rewrite(root, {"checks"}, 0, [&](NodeId checks) {
                return filter(checks, [&](NodeId check) {
                    const auto from = node(check).kind == NodeKind::map ? entry_index(check, "from")
                                                                        : std::nullopt;
                    return from && node(node(check).entries[*from].second).text == gone.ns;
                });
            });
        else
            root = drop_interface(root, gone, false);
        for (const auto& peer : peers) root = drop_interface(root, peer, true);
        return root;
    }

    NodeId drop_lan_members(NodeId root, const std::function<bool(const std::optional<End>&)>& m) {
        const auto lans = at_path(root, {"lans"});
        if (!lans || node(*lans).kind != NodeKind::map) return root;
        const auto drop = [&](NodeId member) { return m(end_of(member)); };
        for (const auto& [k, v] : std::vector(node(*lans).entries)) {
            const std::string name = node(k).text;
            const bool long_form = node(v).kind == NodeKind::map;
            root = rewrite(root,
                           long_form ? Segments{"lans", name, "members"} : Segments{"lans", name},
                           0, [&](NodeId members) { return filter(members, drop); });
        }
        return root;
    }

    // The bridge ports named `end.ifname` in its namespace and, for the peer of a removed veth,
    // its `interfaces:` entry: what would name an interface that is no longer made.
    NodeId drop_interface(NodeId root, const End& end, bool configuration) {
        const Segments owner = end.ns.empty() ? Segments{"host"} : Segments{"namespaces", end.ns};
        if (configuration) {
            Segments path = owner;
            path.insert(path.end(), {"interfaces", end.ifname});
            if (at_path(root, path)) root = *remove_at(root, path, 0);
        }
        Segments bridges = owner;
        bridges.push_back("bridges");
        const auto found = at_path(root, bridges);
        if (!found || node(*found).kind != NodeKind::map) return root;
        for (const auto& [k, v] : std::vector(node(*found).entries)) {
            Segments ports = bridges;
            ports.insert(ports.end(), {node(k).text, "ports"});
            root = rewrite(root, ports, 0, [&](NodeId list) {
                return filter(list, [&](NodeId p) { return node(p).text == end.ifname; });
            });
        }
        return root;
    }

    Diagnostics& diags_;
    const std::map<std::string, std::string>& set_;
    std::vector<File> files_;
    std::size_t substituted_ = 0;
    YamlTree out_;
};

}  // namespace

bool variable_name_ok(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    const auto alpha = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    return alpha(name[0]) && std::all_of(name.begin(), name.end(), [&](char c) {
               return alpha(c) || (c >= '0' && c <= '9');
           });
}

std::optional<YamlTree> compose(YamlTree main, const std::map<std::string, std::string>& set,
                                Diagnostics& diags) {
    const YamlNode& root = main[main.root];
    // The common case, a file that builds on nothing and uses no variable, stays as it was.
    const bool plain =
        set.empty() && (root.kind != NodeKind::map ||
                        std::none_of(root.entries.begin(), root.entries.end(), [&](const auto& e) {
                            const std::string& k = main[e.first].text;
                            return k == kExtendsKey || k == kVarsKey || k == kRemoveKey;
                        }));
    if (plain && std::none_of(main.nodes.begin(), main.nodes.end(), [](const YamlNode& n) {
            return n.kind == NodeKind::scalar && n.text.find("${") != std::string::npos;
        }))
        return main;
    return Composer(diags, set).run(std::move(main));
}

}  // namespace nstopo::config
