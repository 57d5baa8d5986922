#!/usr/bin/python3
"""The JSON Schema of scenario files (run by ctest as python.schema; tests/python.cmake).

    /usr/bin/python3 tests/test_schema.py --rxstress BIN

1. scenarios/rxstress.schema.json is what `rxstress schema` prints (regenerate it with
   `rxstress schema > scenarios/rxstress.schema.json`), and is a valid draft 2020-12 schema.
2. Every scenario shipped (scenarios/, the stress library, tests/data/, notebooks/tests/)
   validates against it, and carries the `# yaml-language-server: $schema=` modeline that points
   at it (scenarios/ and scenarios/stresses/ only: the files users copy).
3. The cases of the bad-scenario corpus whose defect a schema can express (a wrong type, an
   unknown or missing key, a value out of range, an option that does not exist) are rejected by
   the schema too: at least 20 of them, each listed below.
Exits 0 when everything passes, 1 otherwise.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import yaml
from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMA = os.path.join(ROOT, "scenarios", "rxstress.schema.json")
CORPUS = os.path.join(HERE, "data", "bad-scenarios")

# Corpus cases a schema can reject: types, unknown and missing keys, ranges, options, list
# lengths (not cross-references, files, YAML syntax, or values only the loader computes).
EXPRESSIBLE = """
09-yaml-comments-only 10-yaml-top-level-list 11-type-horizon-word 12-type-horizon-fraction
13-type-paths-list 14-type-population-scalar 15-type-drivers-mapping 16-type-seasonality-scalar
17-type-delegation-item-scalar 18-type-median-with-unit 19-unknown-top-level
20-unknown-driver-key 21-unknown-terms-key 22-unknown-corridor-key 23-missing-paths
24-missing-population 25-missing-driver-type 26-missing-model-name 27-missing-median
28-missing-population-source 29-zero-median 30-negative-spend 31-zero-sigma-log
32-negative-growth-sd 33-zero-dispersion 34-inline-zero-list-size 35-probability-above-one
36-probability-negative 37-share-above-one 38-share-over-two 41-two-population-sources
53-inf-threshold 54-minus-inf-uplift 55-horizon-zero 56-horizon-10000 57-paths-zero
58-paths-absurd 59-paths-overflow 60-paths-null 61-holder-unknown 62-holder-misspelt
67-delegation-empty 68-driver-type-unknown 69-driver-type-misspelt 71-drivers-empty
74-seasonality-eleven 79-compression-ten 82-start-full-date 84-seed-negative
92-extends-not-a-path 94-extends-unknown-key-in-override 96-csv-delimiter-unknown
102-capacity-negative 103-cover-one 104-list-size-too-large
""".split()

# Valid scenarios shipped with the repository (bases/bad-base.yaml is deliberately invalid).
VALID = sorted(
    glob.glob(os.path.join(ROOT, "scenarios", "**", "*.yaml"), recursive=True)
    + glob.glob(os.path.join(HERE, "data", "*.yaml"))
    + glob.glob(os.path.join(ROOT, "notebooks", "tests", "*.yaml"))
    + [os.path.join(CORPUS, "bases", "base.yaml")])

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def first_error(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    return "/".join(map(str, e.absolute_path)) + ": " + e.message[:200]


def modeline_target(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# yaml-language-server: $schema="):
                return os.path.normpath(os.path.join(os.path.dirname(path), line.split("=", 1)[1].strip()))
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rxstress", required=True)
    args = parser.parse_args()

    generated = subprocess.run([args.rxstress, "schema"], check=True, capture_output=True,
                               text=True).stdout
    with open(SCHEMA, encoding="utf-8") as f:
        shipped = f.read()
    check(generated == shipped, "scenarios/rxstress.schema.json is what `rxstress schema` prints")
    schema = json.loads(shipped)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)

    for path in VALID:
        with open(path, encoding="utf-8") as f:
            error = first_error(validator, yaml.safe_load(f))
        check(error is None, f"{os.path.relpath(path, ROOT)} validates" + (f": {error}" if error else ""))
        if os.path.relpath(path, ROOT).startswith("scenarios"):
            check(modeline_target(path) == os.path.normpath(SCHEMA),
                  f"{os.path.relpath(path, ROOT)} has the modeline pointing at the schema")

    check(len(EXPRESSIBLE) >= 20, f"{len(EXPRESSIBLE)} corpus cases listed as expressible")
    for case in EXPRESSIBLE:
        path = os.path.join(CORPUS, case + ".yaml")
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
        check(first_error(validator, document) is not None, f"the schema rejects corpus case {case}")

    print(f"\n{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
