#include "yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace nstopo::config {

namespace {

// Thrown from inside the event handler to stop the parser once a diagnostic says why.
struct StopParsing {};

Pos to_pos(const YAML::Mark& m) {
    if (m.is_null()) return {};
    return {m.line + 1, m.column + 1};
}

// Builds a YamlTree from one document's events.
class TreeBuilder final : public YAML::EventHandler {
  public:
    explicit TreeBuilder(Diagnostics& diags) : diags_(diags) {}

    YamlTree take() {
        YamlTree t;
        t.nodes = std::move(nodes_);
        t.root = root_;
        return t;
    }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        YamlNode n;
        n.pos = pending_key_pos().value_or(to_pos(mark));
        add_leaf(std::move(n), anchor);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        YamlNode n;
        n.kind = NodeKind::scalar;
        n.plain = tag == "?";  // yaml-cpp tags plain scalars "?", quoted ones "!"
        n.pos = to_pos(mark);
        refuse_tag(n.pos, tag);
        n.text = value;
        add_leaf(std::move(n), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        // yaml-cpp refuses undefined anchors itself; this keeps a surprise from becoming a throw.
        if (anchor >= anchors_.size()) stop(to_pos(mark), "the referenced anchor is not defined");
        const NodeId target = anchors_[anchor];
        if (expanded_[target] == 0)
            stop(to_pos(mark), "an alias cannot refer to a node that contains it");
        count(expanded_[target], to_pos(mark));
        attach(target, expanded_[target]);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        refuse_tag(to_pos(mark), tag);
        open(NodeKind::list, to_pos(mark), anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        refuse_tag(to_pos(mark), tag);
        open(NodeKind::map, to_pos(mark), anchor);
    }
    void OnMapEnd() override { close(); }

  private:
    // A list or map whose end event has not come yet.
    struct Open {
        NodeId id = 0;
        std::uint64_t expanded = 1;  // its size so far, aliases expanded
        std::optional<NodeId> key;   // a map's key waiting for its value
        bool skip_value = false;     // that key was reported (duplicate, not a string)
        std::unordered_map<std::string, int> key_lines;  // a map's keys so far, by line
    };

    // An explicit tag (`!!binary`, `!!python/object:...`) would silently mean nothing to the
    // loader: the value would be read as the plain text after it. Refuse it, and carry on.
    void refuse_tag(Pos p, const std::string& tag) {
        if (tag.empty() || tag == "?" || tag == "!") return;
        // yaml-cpp expands the `!!` shorthand; show the tag as it is written.
        const std::string_view core = "tag:yaml.org,2002:";
        const std::string written = tag.starts_with(core) ? "!!" + tag.substr(core.size()) : tag;
        diags_.error(p, "YAML tags are not part of the format: remove '" + written + "'");
    }

    [[noreturn]] void stop(Pos p, std::string message) {
        diags_.error(p, std::move(message));
        throw StopParsing{};
    }

    // Counts `n` more nodes of the expanded document, stopping past the limit.
    void count(std::uint64_t n, Pos p) {
        total_ += n;
        if (total_ > kMaxTopologyNodes)
            stop(p, "document too large: more than " + std::to_string(kMaxTopologyNodes) +
                        " nodes after expanding aliases");
    }

    NodeId create(YamlNode n, YAML::anchor_t anchor, std::uint64_t expanded) {
        count(1, n.pos);
        const auto id = static_cast<NodeId>(nodes_.size());
        nodes_.push_back(std::move(n));
        expanded_.push_back(expanded);
        if (anchor != YAML::NullAnchor) {
            if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
            anchors_[anchor] = id;
        }
        return id;
    }

    void add_leaf(YamlNode n, YAML::anchor_t anchor) {
        const NodeId id = create(std::move(n), anchor, 1);
        attach(id, 1);
    }

    void open(NodeKind kind, Pos p, YAML::anchor_t anchor) {
        if (open_.size() >= kMaxYamlDepth) stop(p, "the document nests too deeply");
        YamlNode n;
        n.kind = kind;
        n.pos = p;
        // Size 0 marks it unfinished until close(): an alias to it from inside is a cycle.
        Open frame;
        frame.id = create(std::move(n), anchor, 0);
        open_.push_back(std::move(frame));
    }

    void close() {
        Open done = std::move(open_.back());
        open_.pop_back();
        expanded_[done.id] = done.expanded;
        attach(done.id, done.expanded);
    }

    std::optional<Pos> pending_key_pos() const {
        if (open_.empty() || !open_.back().key) return std::nullopt;
        return nodes_[*open_.back().key].pos;
    }

    // Hangs a finished node under the innermost open collection, or makes it the root.
    void attach(NodeId id, std::uint64_t expanded) {
        if (open_.empty()) {
            root_ = id;
            return;
        }
        Open& parent = open_.back();
        parent.expanded += expanded;
        YamlNode& p = nodes_[parent.id];
        if (p.kind == NodeKind::list) {
            p.items.push_back(id);
        } else if (!parent.key) {
            accept_key(parent, id);
        } else {
            if (!parent.skip_value) p.entries.emplace_back(*parent.key, id);
            parent.key.reset();
            parent.skip_value = false;
        }
    }

    void accept_key(Open& parent, NodeId key) {
        parent.key = key;
        const YamlNode& k = nodes_[key];
        if (k.kind != NodeKind::scalar) {
            diags_.error(k.pos, "a map key must be a string, got " + kind_name(k.kind));
            parent.skip_value = true;
            return;
        }
        const auto [it, inserted] = parent.key_lines.emplace(k.text, k.pos.line);
        if (!inserted) {
            diags_.error(k.pos, "duplicate key " + quote(k.text) + " (first at line " +
                                    std::to_string(it->second) + ")");
            parent.skip_value = true;
        }
    }

    Diagnostics& diags_;
    std::vector<YamlNode> nodes_;
    std::vector<std::uint64_t> expanded_;  // per node: its size with aliases expanded
    std::vector<NodeId> anchors_;          // yaml-cpp's anchor number -> node
    std::vector<Open> open_;
    std::uint64_t total_ = 0;
    NodeId root_ = 0;
};

// Fails on the start of a second document, without reading it.
class SecondDocumentProbe final : public YAML::EventHandler {
  public:
    explicit SecondDocumentProbe(Diagnostics& diags) : diags_(diags) {}
    void OnDocumentStart(const YAML::Mark& mark) override {
        diags_.error(to_pos(mark),
                     "a topology file holds one YAML document; a second one starts here");
        throw StopParsing{};
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

  private:
    Diagnostics& diags_;
};

// Runs the parser over the first document and checks there is no second one. False after a
// diagnostic.
bool read_one_document(YAML::Parser& parser, TreeBuilder& builder, Diagnostics& diags) {
    try {
        if (!parser.HandleNextDocument(builder)) {
            diags.error(Pos{1, 1}, "the file is empty");
            return false;
        }
        SecondDocumentProbe probe(diags);
        parser.HandleNextDocument(probe);
        return true;
    } catch (const StopParsing&) {
    } catch (const YAML::DeepRecursion& e) {
        diags.error(to_pos(e.mark), "the document nests too deeply");
    } catch (const YAML::Exception& e) {
        diags.error(to_pos(e.mark), "invalid YAML: " + e.msg);
    }
    return false;
}

}  // namespace

std::string kind_name(NodeKind k) {
    switch (k) {
        case NodeKind::null:
            return "nothing";
        case NodeKind::scalar:
            return "a string";
        case NodeKind::list:
            return "a list";
        case NodeKind::map:
            return "a map";
    }
    return "nothing";
}

std::optional<YamlTree> parse_yaml(std::string_view text, Diagnostics& diags) {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    TreeBuilder builder(diags);
    if (!read_one_document(parser, builder, diags)) return std::nullopt;
    return builder.take();
}

}  // namespace nstopo::config
