#!/usr/bin/env bash
# Where the CPU of the full EN/ES pipeline (scripts/bench/full-json.yaml, --jobs 1) goes, per
# stage and per cost outside the stages (the JSON writer, creating and flushing output files,
# the manifest), for one or more builds over the same pairs: perf samples (4 kHz, frame
# pointers) counted once each, in the row of the function nearest the leaf on their stack (so
# the rows add up to the run), CPU time whatever else the machine runs. Each build writes into
# a fresh directory that is removed only after all runs: ext4 without a journal (this machine's) scans past inodes deleted in the last
# minute when it creates a file, so `rm -rf OUT` just before a run makes file creation
# several times dearer than it is (see BENCHMARKS.md, "Per-unit costs outside alignment").
# CALL_GRAPH=dwarf unwinds with DWARF (at 1 kHz unless FREQ says otherwise): the Swift runtime's
# retain/release and malloc have no frame pointers, so with the default (fp) their samples lose
# the caller's frames and fall into "in no row above" (about 21% of a run; about 10% with dwarf).
#   scripts/bench/unit_costs.sh PAIRS_DIR BITEXT [BITEXT...]
#   e.g. scripts/bench/unit_costs.sh .data/bench/pairs /tmp/bitext-before .build/release/bitext
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs=$1
shift
work=$(mktemp -d .data/unit-costs.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0
if [ "${CALL_GRAPH:-fp}" = dwarf ]; then
  freq=${FREQ:-1000}
  graph="--call-graph dwarf,16384"
else
  freq=${FREQ:-4000}
  graph="-g"
fi
bytes=$(find -L "$pairs" \( -name "*.txt" -o -name "*.html" \) -printf '%s\n' | awk '{ s += $1 } END { print s }')
for bin in "$@"; do
  n=$((n + 1))
  perf record -q -F "$freq" $graph -o "$work/perf.data" "$bin" run scripts/bench/full-json.yaml "$pairs" \
    --out "$work/out-$n" --jobs 1 --quiet 2> /dev/null
  echo "### $bin"
  perf script -i "$work/perf.data" -F ip,sym 2> /dev/null | python3 -c '
import sys
bytes, hz = int(sys.argv[1]), int(sys.argv[2])
rows = [
    ("ingest", ["12BitextIngest0B0V7process"]),
    ("segment.paragraphs", ["SegmentParagraphsV7process"]),
    ("identify.language", ["08IdentifyB0V7process"]),
    ("pair.documents (planning the batch)", ["PairDocumentsV4plan"]),
    ("segment.sentences", ["SegmentSentencesV7process"]),
    ("align.paragraphs", ["0B10ParagraphsV7process"]),
    ("align.sentences", ["0B9SentencesV7process"]),
    ("extract.entities", ["07ExtractB0V7process"]),
    ("link.entities", ["04LinkB0V7process"]),
    ("JSON writer (composing the unit file; files it creates, hashes and writes are their rows)", ["JSONDocumentWriterV6stream"]),
    ("hashing outputs (SHA-256)", ["HashingFileSinkV6append"]),
    ("writing files (the write system call: the kernel copies the bytes into the page cache)", ["__GI___libc_write", "__libc_write"]),
    ("creating output files (open, O_CREAT)", ["__GI___libc_open", "__libc_open64"]),
    ("flushing outputs (fsync, sync_file_range)", ["fsync", "sync_file_range"]),
    ("renaming outputs into place", ["rename"]),
    ("manifest (entries and checkpoints)", ["IncrementalManifest", "ManifestV6encode", "ManifestV9UnitEntry"]),
    ("loading the pipeline and resources, once", ["LoaderV4load", "once_slow"]),
    ("discovering inputs (directory walk, stat, realpath)", ["InputDiscovery"]),
    ("reading inputs", ["contents6ofFile", "cleanText"]),
    ("process start-up (dynamic linking)", ["_dl_start", "_dl_relocate", "dl_main"]),
]
counts = [0] * len(rows)
total = 0
unattributed = 0
for sample in sys.stdin.read().split("\n\n"):
    if not sample.strip():
        continue
    total += 1
    # Each sample goes to one row: the one whose function is nearest the leaf (perf script prints
    # the leaf first), so nested costs (creating and hashing an output file inside the JSON
    # writer) are not counted twice and the rows add up to the whole run.
    best, nearest = None, None
    for i, (_, symbols) in enumerate(rows):
        for s in symbols:
            at = sample.find(s)
            if at >= 0 and (nearest is None or at < nearest):
                best, nearest = i, at
    if best is None:
        unattributed += 1
    else:
        counts[best] += 1
mib = bytes / 1048576
def rate(count):  # the MB/s the input would go through at if this row were the only cost
    return f"{mib / (count / hz):.1f}" if count else "—"
print(f"{mib:.2f} MB of EN/ES text, {total / hz:.2f} s CPU sampled: {rate(total)} MB/s per CPU-second end to end")
print()
print("| where | CPU s | share | MB/s per CPU-second of this row alone |")
print("|---|---|---|---|")
for (name, _), count in zip(rows, counts):
    print(f"| {name} | {count / hz:.3f} | {100 * count / max(total, 1):.1f}% | {rate(count)} |")
print(f"| in no row above | {unattributed / hz:.3f} | {100 * unattributed / max(total, 1):.1f}% | {rate(unattributed)} |")
' "$bytes" "$freq"
  echo
done
