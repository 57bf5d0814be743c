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
  python3 - "$work/$lab.svg" "$file" <<'EOF'
import sys
import xml.etree.ElementTree as ET
import yaml
svg = ET.parse(sys.argv[1]).getroot()
lab = yaml.safe_load(open(sys.argv[2]))
ns = "{http://www.w3.org/2000/svg}"
nodes = [g for g in svg.iter(ns + "g") if g.get("class") == "node"]
edges = [g for g in svg.iter(ns + "g") if g.get("class") == "edge"]
host = 1 if lab.get("host") else 0
assert len(nodes) == len(lab["namespaces"]) + host, (len(nodes), sys.argv[2])
assert len(edges) == len(lab["veths"]), (len(edges), sys.argv[2])
EOF
done
if "$nstopo" graph --format png "$dir/pair.yaml" > /dev/null 2>&1; then
  echo "FAIL: an unknown format was accepted"; exit 1
fi
echo "graph: every lab draws"
