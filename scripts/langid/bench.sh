#!/usr/bin/env bash
# Identification throughput of the release binary, one core, identification only (the
# `--time` figure excludes reading standard input and printing; "per core" divides by the
# thread's CPU time, so that a busy machine does not hide it). Best of 5 runs per input.
#   scripts/langid/bench.sh            (after: make build)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
inputs=()
if [ -f .data/langid/eval.tsv ]; then
  cut -f3 .data/langid/eval.tsv > .data/langid/bench-items.txt
  awk 'length($0) > 150' .data/langid/bench-items.txt > .data/langid/bench-paragraphs.txt
  inputs+=(.data/langid/bench-items.txt .data/langid/bench-paragraphs.txt)
fi
for f in .data/bench/text-100mb.txt samples/bap-mss-statement.en-es.txt; do [ -f "$f" ] && inputs+=("$f"); done
for f in "${inputs[@]}"; do
  best=0
  line=""
  for _ in 1 2 3 4 5; do
    out=$("$bin" identify --time < "$f" 2>&1 > /dev/null)
    rate=$(sed -E 's/.*: ([0-9.]+) MB\/s per core/\1/' <<< "$out")
    if awk -v a="$rate" -v b="$best" 'BEGIN { exit !(a > b) }'; then best=$rate; line=$out; fi
  done
  echo "$f: $line"
done
