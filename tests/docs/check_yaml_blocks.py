#!/usr/bin/env python3
"""Every YAML block of the documentation is true to the format.

A ```yaml block with a top-level `namespaces:` claims to be a lab: `nstopo validate` must accept
it, with the directories its processes name (`directory`, `mounts` sources) made beside it. Any
other ```yaml block is a part of a file (`checks:` alone, say), and so is one that `extends:`
files the documentation does not hold: it must parse, and its top-level keys must be keys of
the format (the JSON Schema's top-level properties).
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)


def make_process_paths(lab, folder):
    """Makes `folder` and the directories the lab's processes run in or mount, inside it."""
    folder.mkdir()
    for ns in (lab.get("namespaces") or {}).values():
        for proc in ((ns or {}).get("processes") or {}).values():
            paths = [proc.get("directory")] + list((proc.get("mounts") or {}).values())
            for rel in paths:
                if isinstance(rel, str) and not rel.startswith("/") and ".." not in rel:
                    (folder / rel).mkdir(parents=True, exist_ok=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nstopo", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("docs", nargs="+")
    args = ap.parse_args()
    top_keys = set(json.load(open(args.schema))["properties"])
    failures, labs, parts = 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in args.docs:
            text = pathlib.Path(doc).read_text()
            for n, m in enumerate(BLOCK.finditer(text), 1):
                line = text.count("\n", 0, m.start()) + 1
                where = f"{doc}:{line}"
                block = m.group(1)
                try:
                    data = yaml.safe_load(block)
                except yaml.YAMLError as e:
                    print(f"FAIL {where}: not YAML: {e}")
                    failures += 1
                    continue
                if not isinstance(data, dict):
                    print(f"FAIL {where}: not a map of the format's keys")
                    failures += 1
                    continue
                if "namespaces" in data and "extends" not in data:
                    labs += 1
                    folder = pathlib.Path(tmp) / f"block-{line}"
                    make_process_paths(data, folder)
                    path = folder / "lab.yaml"
                    path.write_text(block)
                    r = subprocess.run([args.nstopo, "validate", str(path)],
                                       capture_output=True, text=True)
                    if r.returncode != 0:
                        print(f"FAIL {where}: the lab does not validate:\n{r.stderr}")
                        failures += 1
                    continue
                parts += 1
                unknown = set(data) - top_keys
                if unknown:
                    print(f"FAIL {where}: keys the format does not have: {sorted(unknown)}")
                    failures += 1
    print(f"{labs} labs and {parts} parts of files checked, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
