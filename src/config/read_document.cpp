#include "read.hpp"

namespace nstopo::config {

namespace {

const std::vector<std::string> kTopKeys = {"name", "namespaces", "veths", "host", "checks", "lans"};

void read_lab_name(const Reader& r, NodeId id, Draft& draft) {
    if (const auto* name = r.scalar(id, code("name"))) {
        draft.name = *name;
        draft.name_where = r.at(id);
    }
}

}  // namespace

Draft read_draft(const YamlTree& tree, Diagnostics& diags) {
    const Reader r(tree, diags);
    Draft draft;
    const NodeId root = r.root();
    if (r.node(root).kind == NodeKind::null) {
        diags.error(Pos{1, 1}, "the file is empty");
        return draft;
    }
    if (!r.map(root, "the top level", "a map of name, namespaces, veths and host")) return draft;
    r.check_keys(root, kTopKeys, "at the top level");
    if (const auto v = r.find(root, "name")) read_lab_name(r, *v, draft);
    if (const auto v = r.find(root, "namespaces")) read_namespaces(r, *v, draft);
    if (const auto v = r.find(root, "veths")) read_veths(r, *v, draft);
    if (const auto v = r.find(root, "host")) read_host(r, *v, draft);
    if (const auto v = r.find(root, "lans")) read_lans(r, *v, draft);
    if (const auto v = r.find(root, "checks")) read_checks(r, *v, draft);
    return draft;
}

}  // namespace nstopo::config
