#!/usr/bin/env python3
"""Check that a Spark run of bitext (JSON Lines partitions) holds exactly what `bitext run`
wrote for the same inputs: the same units, each JSON document equal (paragraphs, alignment,
entities…), and the same units failed.

    spark/check_equal.py RUN_OUTPUT_DIR SPARK_OUTPUT_DIR
"""

import glob
import json
import os
import sys


def run_outputs(directory):
    documents = {}
    for path in glob.glob(os.path.join(directory, "**", "*.json"), recursive=True):
        if os.path.relpath(path, directory) == "manifest.json":
            continue
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        documents[document["id"]] = document
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    failed = {unit["id"] for unit in manifest["units"] if unit["status"] == "failed"}
    return documents, failed


def spark_outputs(directory):
    documents, errors = {}, {}
    for path in sorted(glob.glob(os.path.join(directory, "part-*"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                target = errors if "error" in record else documents
                if str(record["id"]) in target:
                    sys.exit(f"check: id {record['id']} appears twice in the Spark output")
                target[str(record["id"])] = record
    return documents, errors


def main():
    run_directory, spark_directory = sys.argv[1:3]
    expected, expected_failed = run_outputs(run_directory)
    got, errors = spark_outputs(spark_directory)
    problems = []
    if set(got) != set(expected):
        problems.append(f"units only in bitext run: {sorted(set(expected) - set(got))[:10]}; only in Spark: {sorted(set(got) - set(expected))[:10]}")
    for unit in sorted(set(got) & set(expected)):
        if got[unit] != expected[unit]:
            keys = [key for key in set(got[unit]) | set(expected[unit]) if got[unit].get(key) != expected[unit].get(key)]
            problems.append(f"{unit}: documents differ in {sorted(keys)}")
    if set(errors) != expected_failed:
        problems.append(f"failed units differ: bitext run {sorted(expected_failed)}, Spark {sorted(errors)}")
    for problem in problems[:20]:
        print("check: " + problem, file=sys.stderr)
    links = sum(len(document.get("alignment", [])) for document in got.values())
    paragraphs = sum(len(side) for document in got.values() for side in document["paragraphs"].values())
    print(f"check: {len(got)} documents ({sum(d['paired'] for d in got.values())} paired, {paragraphs} paragraphs, {links} alignment links) and {len(errors)} failure(s) "
          + ("identical to bitext run" if not problems else f"— {len(problems)} difference(s)"))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
