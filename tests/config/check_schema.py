#!/usr/bin/python3
"""Checks schemas/topology.schema.json against sample topologies.

Every *.yaml file in the --good directories (missing ones are skipped) must validate; every *.yaml
file in --bad must fail, so this check can fail. Files are read as YAML 1.2 (the core schema, as
yaml-cpp and editors read them): PyYAML's YAML 1.1 rules would turn `yes` into a bool and
12:34:56:00:11:22 into a number.
"""

import argparse
import json
import pathlib
import re
import sys

import yaml
from jsonschema import Draft202012Validator

BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"


class Yaml12Loader(yaml.SafeLoader):
    """A SafeLoader whose plain scalars resolve to bool, int and float as in YAML 1.2's core schema."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (BOOL, INT, FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    FLOAT, re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."))
Yaml12Loader.add_constructor(INT, lambda loader, node: int(loader.construct_scalar(node), 10))


def yaml_files(directory):
    path = pathlib.Path(directory)
    return sorted(path.glob("*.yaml")) if path.is_dir() else []


def schema_errors(validator, path):
    """The schema's complaints about one file, as printable lines."""
    with open(path, encoding="utf-8") as f:
        document = yaml.load(f, Loader=Yaml12Loader)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(document)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--good", nargs="+", default=[])
    parser.add_argument("--bad", required=True)
    args = parser.parse_args()

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        print(f"{args.schema}: $schema is not JSON Schema 2020-12")
        return 1
    validator = Draft202012Validator(schema)

    good = [p for d in args.good for p in yaml_files(d)]
    bad = yaml_files(args.bad)
    failures = []
    if not good or not bad:
        failures.append(f"need good and bad samples (found {len(good)} good, {len(bad)} bad)")
    for path in good:
        failures += [f"{path}: {line}" for line in schema_errors(validator, path)]
    for path in bad:
        if not schema_errors(validator, path):
            failures.append(f"{path}: the schema accepts it but must refuse it")

    for line in failures:
        print(line)
    print(f"check_schema: {len(good)} good and {len(bad)} bad files, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
