#!/usr/bin/env bash
# nstopo graph on every lab: Mermaid and DOT print, and the SVG Graphviz draws is well-formed XML
# with one node per namespace. Needs no root. Usage: graph.sh NSTOPO TOPOLOGIES_DIR
set -euo pipefail
nstopo=$1
dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "$dir"/*.yaml; do
  lab=$(basename "$file" .yaml)
  "$nstopo" graph "$file" > "$work/$lab.mmd"
  head -1 "$work/$lab.mmd" | grep -qx "flowchart LR" || { echo "FAIL: $lab mermaid"; exit 1; }
  "$nstopo" graph --format dot "$file" > "$work/$lab.dot"
  "$nstopo" graph --format svg "$file" > "$work/$lab.svg"
  python3 - "$work/$lab.svg" "$file" "$work/$lab.dot" <<'EOF'
import re
import sys
import xml.etree.ElementTree as ET
import yaml
svg = ET.parse(sys.argv[1]).getroot()
import os


def merge(base, over):
    """The format's merge for what is counted here: maps by key, lists appended."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(over, list):
        return base + over
    return base if over is None else over


def load(path):
    """The file, merged over those it `extends:` (its `remove:` and `vars:` not applied)."""
    doc = yaml.safe_load(open(path)) or {}
    bases = doc.pop("extends", None) or []
    merged = {}
    for base in [bases] if isinstance(bases, str) else bases:
        merged = merge(merged, load(os.path.join(os.path.dirname(path), base)))
    return merge(merged, doc)


lab = load(sys.argv[2])
dot = open(sys.argv[3]).read()
ns = "{http://www.w3.org/2000/svg}"
nodes = [g for g in svg.iter(ns + "g") if g.get("class") == "node"]
edges = [g for g in svg.iter(ns + "g") if g.get("class") == "edge"]
# One node per namespace, but a namespace that is only a switch is drawn as its switches, and
# every bridge is a node of its own; one edge per veth (a LAN makes one per member), and a dashed
# one from each bridge that is not alone in its namespace to that namespace's node.
assert len(nodes) == len(re.findall(r'^  "[^\n]*" \[label=<', dot, re.M)), (len(nodes), sys.argv[2])
lans = lab.get("lans") or {}
members = sum(len(m["members"] if isinstance(m, dict) else m) for m in lans.values())
dashed = dot.count("[style=dashed]")
assert len(edges) == len(lab.get("veths") or []) + members + dashed, (len(edges), sys.argv[2])
text = " ".join(t.text or "" for t in svg.iter(ns + "text"))
for name in list(lab["namespaces"]) + list(lans):
    assert name in text, (name, sys.argv[2])
EOF
done
if "$nstopo" graph --format png "$dir/pair.yaml" > /dev/null 2>&1; then
  echo "FAIL: an unknown format was accepted"; exit 1
fi
echo "graph: every lab draws"
