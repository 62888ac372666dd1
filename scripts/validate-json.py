#!/usr/bin/env python3
"""Validates JSON documents or JSON Lines against a JSON Schema (draft 2020-12) with `jsonschema`.

usage: validate-json.py SCHEMA FILE...      (FILE ending in .jsonl/.ndjson: one instance per line;
                                             .bulk.ndjson: every second line, after the action line)
Prints one line per problem (FILE:LINE: message) and exits 1 if any; exits 3 if jsonschema is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)


def instances(path):
    with open(path, encoding="utf-8") as handle:
        if path.endswith(".bulk.ndjson"):
            lines = handle.read().split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            for number in range(1, len(lines), 2):
                yield number + 1, json.loads(lines[number])
        elif path.endswith((".jsonl", ".ndjson")):
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield number, json.loads(line)
        else:
            yield 1, json.load(handle)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    problems = 0
    checked = 0
    for path in argv[2:]:
        for line, instance in instances(path):
            checked += 1
            for error in validator.iter_errors(instance):
                problems += 1
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{path}:{line}: {where}: {error.message}")
    print(f"checked {checked} instances in {len(argv) - 2} files: {problems} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
