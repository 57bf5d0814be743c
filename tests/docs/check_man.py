#!/usr/bin/env python3
"""The man pages are true to the binary and render cleanly.

check_man.py --nstopo BIN --pages DIR --sources DIR --schema FILE

- each page (DIR/nstopo.1, DIR/nstopo-topology.5, made by scdoc) renders with `man --warnings -l`
  without a warning;
- nstopo(1) has an entry under COMMANDS for every command the binary lists
  (`nstopo __complete commands`), and each entry names every option of its command
  (`nstopo __complete options COMMAND`); GLOBAL OPTIONS has an entry for every global option;
- nstopo-topology(5) has an entry for every key of the topology schema.
Each problem is printed with what to add where; exit 1 if there is any."""
import argparse
import json
import os
import re
import subprocess
import sys

problems = []


def render_warnings(page):
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "--warnings", "-l", page], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"{page}: man -l exits {r.returncode}: {r.stderr.strip()}")
    elif r.stderr.strip():
        problems.append(f"{page}: man --warnings -l warns:\n{r.stderr.rstrip()}")
    return r.stdout


def sections(scd):
    """{section title: [(term line, entry text)]}: an entry is a line that starts with '*' at
    column 0 (a definition term) and the indented lines under it."""
    out, title, entry = {}, None, None
    for line in scd.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
            out[title] = []
            entry = None
        elif title and line.startswith("*"):
            entry = [line, line]
            out[title].append(entry)
        elif entry is not None and (line.startswith("\t") or not line.strip()):
            entry[1] += "\n" + line
        else:
            entry = None
    return out


def binary(nstopo, *args):
    return subprocess.run([nstopo, *args], check=True, capture_output=True, text=True).stdout


def check_commands(nstopo, scd_file):
    scd = open(scd_file).read()
    parts = sections(scd)
    commands = binary(nstopo, "__complete", "commands").split()
    if not commands:
        problems.append("nstopo __complete commands lists no command")
    entries = {}
    for term, text in parts.get("COMMANDS", []):
        m = re.match(r"\*([a-z0-9-]+)\*", term)
        if m:
            entries[m.group(1)] = text
    for command in commands:
        if command not in entries:
            problems.append(f"{scd_file}: no entry for command '{command}' under COMMANDS "
                            f"(a line '*{command}* ...' and its description)")
            continue
        for names in binary(nstopo, "__complete", "options", command).splitlines():
            for name in names.split():
                if f"*{name}*" not in entries[command]:
                    problems.append(f"{scd_file}: the entry of '{command}' does not name its "
                                    f"option {name} (as *{name}*)")
    for command in entries:
        if command not in commands:
            problems.append(f"{scd_file}: COMMANDS has '{command}', which the binary does not")
    globals_text = "\n".join(term for term, _ in parts.get("GLOBAL OPTIONS", []))
    for names in binary(nstopo, "__complete", "options").splitlines():
        for name in names.split():
            if f"*{name}*" not in globals_text:
                problems.append(f"{scd_file}: GLOBAL OPTIONS has no entry for {name}")
    for code in re.findall(r"inline constexpr int \w+ = (\d+);", open(ERROR_HPP).read()):
        if f"*{code}*" not in "\n".join(t for t, _ in parts.get("EXIT STATUS", [])):
            problems.append(f"{scd_file}: EXIT STATUS has no entry for exit code {code}")


def schema_keys(node, keys):
    if isinstance(node, dict):
        keys.update(node.get("properties", {}).keys())
        for value in node.values():
            schema_keys(value, keys)
    elif isinstance(node, list):
        for value in node:
            schema_keys(value, keys)
    return keys


def check_format(schema_file, scd_file):
    terms = "\n".join(t for entries in sections(open(scd_file).read()).values() for t, _ in entries)
    text = open(scd_file).read()
    for key in sorted(schema_keys(json.load(open(schema_file)), set())):
        if f"*{key}*" not in terms and f"*{key}*" not in text:
            problems.append(f"{scd_file}: the schema's key '{key}' is not documented (add an "
                            f"entry '*{key}*' to the section of its kind)")


def main():
    global ERROR_HPP
    p = argparse.ArgumentParser()
    p.add_argument("--nstopo", required=True)
    p.add_argument("--pages", required=True)
    p.add_argument("--sources", required=True)
    p.add_argument("--schema", required=True)
    p.add_argument("--error-header", required=True)
    a = p.parse_args()
    ERROR_HPP = a.error_header
    for page in ("nstopo.1", "nstopo-topology.5"):
        text = render_warnings(os.path.join(a.pages, page))
        if "NAME" not in text:
            problems.append(f"{page}: renders without a NAME section")
    check_commands(a.nstopo, os.path.join(a.sources, "nstopo.1.scd"))
    check_format(a.schema, os.path.join(a.sources, "nstopo-topology.5.scd"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("man pages: every command, option, exit code and key documented; no warning")


main()
