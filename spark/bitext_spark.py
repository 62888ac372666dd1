#!/usr/bin/env python3
"""Run bitext over a directory of documents on Apache Spark.

The driver lists the documents and groups them into records (one file, or an English file and
its Spanish version), distributes the records, and runs `bitext stream` on each partition with
RDD.pipe. Each record becomes one line of JSON: the unit's bitext document, or an error record
{"id": ..., "error": {...}}. The lines are saved as JSON Lines partitions (part-00000, ...), which
`spark.read.json(OUTPUT)` loads as a table.

    spark-submit --master 'local[2]' spark/bitext_spark.py corpus/ results/ \
        --bitext "$PWD/.build/release/bitext" --pipeline "$PWD/pipelines/default.yaml"

Paths in the records are the driver's absolute paths: on a cluster the corpus must be on a file
system every worker mounts at the same place (NFS, Lustre, a FUSE-mounted bucket). See README.md,
"Streaming and Spark".
"""

import argparse
import json
import os
import shlex
import subprocess
import sys

# The extensions `bitext run` reads when it walks a directory.
WALKED_EXTENSIONS = {".txt", ".text", ".html", ".htm", ".xhtml", ".shtml"}
# Language tags in file names, as `bitext run` names pairs: x.en.txt, x_en.txt, x-en.txt.
TAG_SEPARATORS = (".", "_", "-")


def walk(root):
    """Relative paths of the documents under root, sorted, hidden entries skipped."""
    found = []
    for directory, subdirectories, files in os.walk(root, followlinks=True):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in WALKED_EXTENSIONS:
                found.append(os.path.relpath(os.path.join(directory, name), root))
    return sorted(found)


def language_key(relative):
    """(common name, language) when the name carries an en/es tag, else None."""
    stem, _ = os.path.splitext(relative)
    for language in ("en", "es"):
        for tag in (language, language.upper()):
            for separator in TAG_SEPARATORS:
                if stem.endswith(separator + tag):
                    return stem[: -len(separator + tag)], language
        parts = relative.split("/")
        if language in parts[:-1]:  # en/x.txt and es/x.txt
            index = parts.index(language)
            return "/".join(parts[:index] + parts[index + 1 :]).rsplit(".", 1)[0], language
    return None


def records_by_names(root, pair):
    """Records from file names alone: x.en.* with x.es.* (and en/x with es/x) as pairs when
    `pair`, every other file (or every file) on its own. Ids follow bitext's unit names."""
    files = walk(root)
    units = []
    paired = set()
    if pair:
        groups = {}
        for relative in files:
            key = language_key(relative)
            if key:
                groups.setdefault(key[0], {}).setdefault(key[1], []).append(relative)
        for name, sides in sorted(groups.items()):
            if len(sides.get("en", [])) == 1 and len(sides.get("es", [])) == 1:
                units.append((name + ".en-es", {"en": sides["en"][0], "es": sides["es"][0]}))
                paired.update((sides["en"][0], sides["es"][0]))
    units += [(os.path.splitext(relative)[0], {"path": relative}) for relative in files if relative not in paired]
    # Names that would collide keep their extensions, as in bitext.
    counts = {}
    for name, _ in units:
        counts[name] = counts.get(name, 0) + 1
    records = []
    for name, paths in units:
        if counts[name] > 1:
            name = "+".join(paths.values())
        records.append({"id": name, "root": root, **paths})
    return sorted(records, key=lambda record: record["id"])


def records_by_bitext(root, bitext, pipeline):
    """Records grouped and named by bitext itself (`bitext stream --records`), with the
    pipeline's own pairing stage: exactly the units `bitext run` would make."""
    command = [bitext, "stream", "--records", root] + (["--pipeline", pipeline] if pipeline else [])
    completed = subprocess.run(command, check=False, stdout=subprocess.PIPE, text=True)
    if completed.returncode not in (0, 1):
        sys.exit(f"bitext-spark: {shlex.join(command)} exited with {completed.returncode}")
    return [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(description="Run bitext over a directory of documents on Apache Spark (RDD.pipe to `bitext stream`).")
    parser.add_argument("input", help="directory of .txt/.html documents (on a file system every worker sees at the same path)")
    parser.add_argument("output", help="output directory for the JSON Lines partitions (any Hadoop path: file:, hdfs:, s3a:)")
    parser.add_argument("--bitext", default="bitext", help="the bitext executable on the workers: an absolute path, or ./bitext/bitext when shipped with --archives (default: bitext on /usr/local/bin:/usr/bin:/bin)")
    parser.add_argument("--driver-bitext", help="the bitext executable on the driver, for --pairing bitext (default: --bitext)")
    parser.add_argument("--pipeline", help="pipeline file, at a path the workers and the driver see (default: bitext's built-in default pipeline)")
    parser.add_argument("--pairing", choices=["bitext", "names", "files"], default="bitext",
                        help="bitext: group and name as `bitext run` does (asks bitext on the driver); names: pair x.en.* with x.es.* in Python; files: one record per file")
    parser.add_argument("--partitions", type=int, help="number of partitions (default: 4 x the default parallelism)")
    parser.add_argument("--jobs", type=int, default=1, help="records each bitext process works on at once (default 1: Spark runs one task per core)")
    args = parser.parse_args()

    from pyspark.sql import SparkSession  # imported late so that --help works without pyspark

    root = os.path.abspath(args.input)
    if not os.path.isdir(root):
        sys.exit(f"bitext-spark: {args.input}: not a directory")
    if args.pairing == "bitext":
        records = records_by_bitext(root, args.driver_bitext or args.bitext, args.pipeline)
    else:
        records = records_by_names(root, pair=args.pairing == "names")

    spark = SparkSession.builder.appName("bitext").getOrCreate()
    context = spark.sparkContext
    partitions = args.partitions or max(1, 4 * context.defaultParallelism)
    command = [args.bitext, "stream", "--tolerate-failures", "--jobs", str(args.jobs)]
    if args.pipeline:
        command += ["--pipeline", args.pipeline]
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    # checkCode: a usage error fails the task (Spark retries it); failed records do not, they
    # are error records in the output (--tolerate-failures), a record that crashes bitext too.
    results = context.parallelize(lines, min(partitions, max(1, len(lines)))).pipe(
        shlex.join(command), env={"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}, checkCode=True)
    results.saveAsTextFile(args.output)

    saved = context.textFile(args.output)
    total = saved.count()
    failed = saved.filter(lambda line: line.startswith('{"id":') and "error" in json.loads(line)).count()
    print(f"bitext-spark: {len(records)} record(s), {total} result(s), {failed} failed; results in {args.output}", file=sys.stderr)
    spark.stop()
    if total != len(records):
        sys.exit(f"bitext-spark: expected one result per record ({len(records)}), got {total}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
