#!/usr/bin/env bash
# scripts/bench/instructions.sh BINARY — instructions executed (callgrind) by fixed runs: start-up,
# a pipeline file, 1 MB of plain text, the long EN/ES pair, 1,000 small EN/ES pairs. Unlike times,
# these counts do not move with the machine or the hour, so two builds (or two sessions on different
# machines) compare by them directly. Costs the CPU time of the runs about 50 times over (~2 minutes).
#
# valgrind hides the SHA instructions from the program, so the manifest's hashing runs the portable
# SHA-256 code, many times dearer than the hardware's: its instructions are counted apart and left out.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/bitext}
data=.data/bench
command -v valgrind > /dev/null || { echo "(valgrind not installed: apt-get install valgrind)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# valgrind cannot read the toolchain's debug information: a copy without it (same code, same names).
strip --strip-debug -o "$tmp/bitext" "$bin"

count() {  # name command...: prints "total sha" (instructions)
  local out=$tmp/cg.$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$out" "$tmp/bitext" "$@" > /dev/null 2>&1 || true
  # One reading of the profile: the program's total and the portable compression function's
  # inclusive cost (the name is the Swift symbol's). (awk reads to the end: leaving early would
  # fail the pipeline with SIGPIPE.)
  callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk '
    /PROGRAM TOTALS/ && !total { gsub(",", "", $1); total = $1 }
    /SHA256V16compressPortably/ && !sha { gsub(",", "", $1); sha = $1 }
    END { print (total ? total : 0), (sha ? sha : 0) }'
}
row() {  # label bytes name command...
  local label=$1 bytes=$2
  shift 2
  read -r total sha < <(count "$@")
  awk -v label="$label" -v total="$total" -v sha="$sha" -v bytes="$bytes" 'BEGIN {
    rest = total - sha
    per = bytes > 0 ? sprintf("%.0f", rest / bytes) : "—"
    printf "| %s | %.1f | %.1f | %s |\n", label, total / 1e6, rest / 1e6, per
  }'
}

pairs=$data/pairs-1000
echo "Instructions executed, counted by callgrind (\`scripts/bench/instructions.sh\`; the runs in one process, \`--in-process\`)."
echo
echo "| run | instructions (M) | without SHA-256 (M) | per input byte, without SHA-256 |"
echo "|---|---|---|---|"
row "\`bitext --version\`" 0 version --version
row "\`bitext validate pipelines/default.yaml\`" 0 validate validate pipelines/default.yaml
if [ -f "$data/text-1mb.txt" ]; then
  row "1 MB plain text → JSON (\`pipelines/ingest-json.yaml\`)" "$(stat -L -c %s "$data/text-1mb.txt")" text \
    run pipelines/ingest-json.yaml "$data/text-1mb.txt" --out "$tmp/out-text" --jobs 1 --quiet --in-process
fi
if [ -f "$data/book.en.txt" ] && [ -f "$data/book.es.txt" ]; then
  # The long pair as `make bench`'s full part runs it (`bitext align`, one process): no file per unit.
  row "one long pair (every dev-set document, ~11,000 paragraphs a side), full pipeline → JSON" \
    "$(cat "$data/book.en.txt" "$data/book.es.txt" | wc -c)" book \
    align "$data/book.en.txt" "$data/book.es.txt" --pipeline scripts/bench/full-json.yaml --format json
fi
if [ -n "$(ls -A "$pairs" 2>/dev/null)" ]; then
  row "1,000 small EN/ES pairs, full pipeline → JSON (\`scripts/bench/full-json.yaml\`)" "$(cat "$pairs"/*.txt | wc -c)" pairs \
    run scripts/bench/full-json.yaml "$pairs" --out "$tmp/out-pairs" --jobs 1 --quiet --in-process
fi
