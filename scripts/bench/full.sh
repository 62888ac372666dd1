#!/usr/bin/env bash
# The full EN/ES pipeline end to end (scripts/bench/full-json.yaml: all nine stages, JSON out)
# on real translated documentation (scripts/bench/build_pairs.py):
#   - 10,000 document pairs (about 25 MB), --jobs 1 and --jobs 2: MB/s per CPU-second, pairs
#     per second, peak RSS, and the scaling from one job to two;
#   - the same pairs through `bitext stream` (records in, JSON Lines out), --jobs 1;
#   - one long pair (every dev-set document concatenated, about 11,000 paragraphs per side).
#   - the long pair 4, 16 and 64 times over: peak RSS as a multiple of its largest document
#     (issue 9's memory target, under 10×), and the default pipeline (all seven outputs) on ×4.
# The per-file floor is measured in the same run: `cat` of the same files to /dev/null and `cp -r`
# of them into a fresh directory (every input opened and read, and a file created for each), and
# the full pipeline's CPU time is printed as a multiple of the copy's: "N× the cost of copying the
# files". The output floor too: `cp -r` of the JSON the pipeline wrote (the files and bytes any
# writer of that output pays for), and the share of the 20 MB/s target's CPU budget the two
# copies take before any computing. Prints a Markdown table.
#   scripts/bench/full.sh [PAIRS]       (default 10000; release binary built by the caller)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BITEXT:-.build/release/bitext}  # BITEXT=path compares another build
data=.data/bench
pairs=${1:-10000}
[ -d .data/align/devset ] && [ .data/align/devset -nt scripts/align/build_devset.py ] || { python3 scripts/align/build_devset.py > /dev/null && touch .data/align/devset; }
python3 scripts/bench/build_pairs.py --pairs "$pairs" --out "$data" > /dev/null

. scripts/bench/measure.sh

# The pipeline's rows are the median run of $runs by CPU time (BENCH_RUNS, default 3), the runs'
# CPU range beside it; the floors' rows are single runs (the copy: the cheaper of two, below).
runs=${BENCH_RUNS:-3}
row() {  # label bytes units runs command... (leaves the command's CPU seconds in $cpu)
  local label=$1 bytes=$2 units=$3 n=$4
  shift 4
  read -r wall cpu kib lo hi < <(measure_median "$n" "" "$@")
  awk -v l="$label" -v b="$bytes" -v u="$units" -v w="$wall" -v cpu="$cpu" -v k="$kib" -v lo="$lo" -v hi="$hi" -v n="$n" 'BEGIN {
    if (cpu <= 0) cpu = 0.001; if (w <= 0) w = 0.001
    range = n > 1 ? sprintf(" (%.2f–%.2f)", lo, hi) : ""
    printf "| %s | %.2f | %.2f%s | %.1f | %.1f | %.0f | %d |\n", l, w, cpu, range, b / 1048576 / cpu, b / 1048576 / w, u / w, k / 1024 }'
}

pair_bytes=$(find "$data/pairs" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
book_bytes=$(( $(stat -c %s "$data/book.en.txt") + $(stat -c %s "$data/book.es.txt") ))
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "The pipeline's rows: the median of $runs runs by CPU time (user + system), the runs' range in brackets."
echo
echo "| what | wall s | CPU s (range) | MB/s per CPU-second | MB/s wall | units/s (wall) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|---|"
row "\`cat\` over the $pairs pairs (floor)" "$pair_bytes" "$pairs" 1 sh -c "cat $data/pairs/*.txt"
cat_cpu=$cpu
# Each run writes into a directory of its own, and the old ones are deleted only afterwards: on
# ext4 without a journal, creating files just after deleting thousands scans past the deleted
# entries, which put 14–24% of a run into file creation instead of 2–3%.
stamp=$(date +%s)
# The copy runs before and after the pipeline and the cheaper of the two is the floor: its file
# creation pays for the inodes deleted in the last minutes on this file system (other jobs'), which
# can make one copy several times dearer than the next.
row "\`cp -r\` of the $pairs pairs into a new directory (per-file floor), before" "$pair_bytes" "$pairs" 1 \
  cp -r "$data/pairs" "$data/full-out-$stamp-copy1"
copy_cpu=$cpu
declare -A full_cpu
for jobs in 1 2; do
  row "full pipeline, $pairs pairs ($((pair_bytes / 1048576)) MiB), --jobs $jobs" "$pair_bytes" "$pairs" "$runs" \
    "$bin" run scripts/bench/full-json.yaml "$data/pairs" --out "$data/full-out-$stamp-jobs$jobs-{run}" --jobs "$jobs" --quiet
  full_cpu[$jobs]=$cpu
done
# The same pairs as records on standard input (`bitext stream --records`), one compact JSON line
# each on standard output: the pipeline without a file per unit (no create, fsync or rename).
"$bin" stream --records --pipeline scripts/bench/full-json.yaml "$data/pairs" > "$data/full-out-$stamp-records.ndjson"
row "\`bitext stream\` of the same pairs (records on standard input, JSON Lines to /dev/null), --jobs 1" "$pair_bytes" "$pairs" "$runs" \
  sh -c "\"$bin\" stream --pipeline scripts/bench/full-json.yaml --jobs 1 < \"$data/full-out-$stamp-records.ndjson\" > /dev/null"
row "\`cp -r\` of the $pairs pairs into a new directory (per-file floor), after" "$pair_bytes" "$pairs" 1 \
  cp -r "$data/pairs" "$data/full-out-$stamp-copy2"
copy_cpu=$(awk -v a="$copy_cpu" -v b="$cpu" 'BEGIN { print (b < a ? b : a) }')
# The output floor: copying what the pipeline wrote (its JSON files, 12–13× the input's bytes, and
# the manifest) into a new directory, the file creation and the bytes any writer of that output pays
# before computing anything. With the input copy it bounds how fast this output can be made here.
out_dir="$data/full-out-$stamp-jobs1-1"
out_bytes=$(du -sb "$out_dir" | cut -f1)
out_files=$(find "$out_dir" -type f | wc -l)
row "\`cp -r\` of the pipeline's output ($out_files files, $((out_bytes / 1048576)) MiB) into a new directory (output floor)" \
  "$pair_bytes" "$pairs" 1 cp -r "$out_dir" "$data/full-out-$stamp-copy-output"
output_copy_cpu=$cpu
row "full pipeline, one long pair ($((book_bytes / 1024)) KiB, $(grep -c . "$data/book.en.txt") paragraphs per side)" \
  "$book_bytes" 1 "$runs" "$bin" align "$data/book.en.txt" "$data/book.es.txt" --pipeline scripts/bench/full-json.yaml --format json
# Issue 9's memory target (peak under 10× the largest document) on the full pipeline: the long
# pair 4, 16 and 64 times over (each book file concatenated, kept in $data/book4, book16, book64),
# where what grows with the document outweighs the resources every run loads; ×16 and ×64 (178,000
# and 713,000 paragraphs a side) are aligned window by window (align.paragraphs `window`). ×64
# (93 MB) runs once: its peak, not its time, is what the row is for.
repeated_book() {  # COPIES: writes $data/bookCOPIES/book.{en,es}.txt once (again when the book changed)
  local dir=$data/book$1 lang
  for lang in en es; do
    if [ ! -f "$dir/book.$lang.txt" ] || [ "$data/book.$lang.txt" -nt "$dir/book.$lang.txt" ]; then
      mkdir -p "$dir"
      for _ in $(seq "$1"); do cat "$data/book.$lang.txt"; done > "$dir/book.$lang.txt.tmp"
      mv "$dir/book.$lang.txt.tmp" "$dir/book.$lang.txt"
    fi
  done
}
declare -A book_kib book_largest
for copies in 4 16 64; do
  repeated_book "$copies"
  dir=$data/book$copies
  bytes=$(( $(stat -c %s "$dir/book.en.txt") + $(stat -c %s "$dir/book.es.txt") ))
  book_largest[$copies]=$(stat -c %s "$dir/book.en.txt" "$dir/book.es.txt" | sort -n | tail -n 1)
  row "full pipeline, the long pair ×$copies ($((bytes / 1024)) KiB)" \
    "$bytes" 1 "$([ "$copies" = 64 ] && echo 1 || echo "$runs")" "$bin" run scripts/bench/full-json.yaml "$dir" --out "$data/full-out-$stamp-book$copies-{run}" --jobs 1 --quiet
  book_kib[$copies]=$kib
done
# The default pipeline (pipelines/default.yaml: JSON, XML, TMX, XLIFF, JSON Lines, review pages
# and the search index), which `make run` and most users run, on the pair ×4: its outputs' writers
# and its peak memory.
default_bytes=$(( $(stat -c %s "$data/book4/book.en.txt") + $(stat -c %s "$data/book4/book.es.txt") ))
row "default pipeline (all seven outputs), the long pair ×4 ($((default_bytes / 1024)) KiB)" \
  "$default_bytes" 1 "$runs" "$bin" run pipelines/default.yaml "$data/book4" --out "$data/full-out-$stamp-default4-{run}" --jobs 1 --quiet
default_kib=$kib
# Deleting some 100,000 files makes the next minutes' file creation dearer (see above): `make bench`
# keeps them (KEEP_OUTPUTS=1) until its last part is done.
[ -n "${KEEP_OUTPUTS:-}" ] || rm -rf "$data"/full-out-"$stamp"-*
echo
for jobs in 1 2; do
  awk -v p="$pairs" -v j="$jobs" -v f="${full_cpu[$jobs]}" -v c="$copy_cpu" -v k="$cat_cpu" 'BEGIN {
    if (c <= 0) c = 0.001; if (k <= 0) k = 0.001
    printf "Full pipeline on the %d pairs, --jobs %d: %.1f× the CPU cost of copying the files (`cp -r`, the cheaper run: %.2f s), %.1f× that of reading them (`cat`).\n", p, j, f / c, c, f / k }'
done
awk -v b="$pair_bytes" -v c="$copy_cpu" -v o="$output_copy_cpu" -v f="${full_cpu[1]}" 'BEGIN {
  budget = b / 1048576 / 20
  printf "Copying the inputs and the output (%.2f + %.2f s) takes %.0f%% of the %.2f s of CPU that 20 MB/s allows for these pairs, before any computing; the full pipeline took %.2f s.\n", c, o, 100 * (c + o) / budget, budget, f }'
for copies in 4 16 64; do
  awk -v c="$copies" -v k="${book_kib[$copies]}" -v d="${book_largest[$copies]}" 'BEGIN {
    printf "Peak memory of the full pipeline on the long pair ×%d: %.0f MiB, %.1f× its largest document (%.1f MiB; issue 9: under 10×).\n", c, k / 1024, k * 1024 / d, d / 1048576 }'
done
awk -v k="$default_kib" -v d="${book_largest[4]}" 'BEGIN {
  printf "Peak memory of the default pipeline (all seven outputs) on the long pair ×4: %.0f MiB, %.1f× its largest document.\n", k / 1024, k * 1024 / d }'
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
