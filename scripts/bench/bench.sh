#!/usr/bin/env bash
# make bench: release build, then throughput, peak memory and start-up, with the floors
# (cat, wc -l) measured in the same run. Prints a Markdown table; the figures go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
data=.data/bench
results=$data/results.md
scripts/bench/corpora.sh > /dev/null

. scripts/bench/measure.sh

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / 1048576 / s }'; }

# Each row is the median run of $runs by CPU time (BENCH_RUNS, default 3), with the range of
# the runs' CPU times beside it.
runs=${BENCH_RUNS:-3}
row() {  # label bytes prepare command...: prepare (a shell command) runs before each run
  local label=$1 bytes=$2 prepare=$3
  shift 3
  read -r secs cpu kib lo hi < <(measure_median "$runs" "$prepare" "$@")
  printf '| %s | %.2f | %s | %.2f (%.2f–%.2f) | %s | %d |\n' "$label" "$secs" "$(mbps "$bytes" "$secs")" \
    "$cpu" "$lo" "$hi" "$(mbps "$bytes" "$cpu")" "$((kib / 1024))"
}

{
  echo "## make bench — $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -m)"
  echo
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Each row: the median of $runs runs by CPU time (user + system), the runs' range in brackets."
  echo
  echo "| what | wall s | MB/s (wall) | CPU s (range) | MB/s per CPU-second | peak RSS (MiB) |"
  echo "|---|---|---|---|---|---|"
  for corpus in text-1mb.txt text-100mb.txt text-1gb.txt; do
    f=$data/$corpus
    [ -f "$f" ] || continue
    bytes=$(stat -L -c %s "$f")
    row "cat $corpus (floor)" "$bytes" "" cat "$f"
    row "wc -l $corpus (floor)" "$bytes" "" wc -l "$f"
    # Each run starts with the page cache written back (`sync`), as in large.sh: otherwise the
    # last run's gigabytes of dirty pages are charged to the next one's system time.
    row "bitext ingest+segment → JSON, $corpus, --jobs 1" "$bytes" 'rm -rf "$data/out" && sync' \
      "$bin" run pipelines/ingest-json.yaml "$f" --out "$data/out" --jobs 1 --quiet
    row "same, compact JSON (\`pretty: false\`)" "$bytes" 'rm -rf "$data/out" && sync' \
      "$bin" run scripts/bench/ingest-json-compact.yaml "$f" --out "$data/out" --jobs 1 --quiet
  done
  echo
  echo "Start-up (hyperfine, \`bitext --version\` and \`bitext validate pipelines/default.yaml\`):"
  echo
  echo '```'
  hyperfine -N --warmup 3 --runs 20 --style basic "$bin --version" "$bin validate pipelines/default.yaml" 2>/dev/null | grep -E 'Time|±' || true
  echo '```'
} | tee "$results"

# Each capability's own benchmark, each with its peer or floor measured in the same run.
# BENCH_ONLY=full,real,stages,instructions,html,langid,align,entities,spacy,limits selects some; all run by default.
only=${BENCH_ONLY:-full,real,stages,instructions,html,langid,align,entities,spacy,limits}
# Each stage's share of the full pipeline, from perf samples over the first 1,000 of the pairs
# full.sh builds (linked, not copied); perf comes with Debian's linux-perf.
stage_costs() {
  command -v perf > /dev/null || { echo "(perf not installed: apt-get install linux-perf)"; return 0; }
  [ -d "$data/pairs" ] || python3 scripts/bench/build_pairs.py --pairs 10000 --out "$data" > /dev/null
  local subset=$data/pairs-1000
  # (Rebuilt when empty: a run on a machine without the pairs' sources leaves it so.)
  if [ -z "$(ls -A "$subset" 2>/dev/null)" ]; then
    rm -rf "$subset" "$subset.tmp"
    mkdir -p "$subset.tmp"
    find "$data/pairs" -name '*.txt' | sort | head -2000 | while read -r f; do ln -s "$(realpath "$f")" "$subset.tmp/"; done
    mv "$subset.tmp" "$subset"
  fi
  scripts/bench/unit_costs.sh "$subset" "$bin"
}
run_part() {  # name title script [args]
  case ",$only," in *",$1,"*) ;; *) return 0 ;; esac
  echo
  echo "## $2"
  echo
  shift 2
  # Some parts print their figures on standard error (`bitext entities --benchmark`, the
  # alignment-at-scale timings): they belong in the results file too.
  "$@" 2>&1 || echo "(failed: $*)"
}
{
  KEEP_OUTPUTS=1 run_part full "Full EN/ES pipeline: 10,000 document pairs and one long pair" scripts/bench/full.sh
  KEEP_OUTPUTS=1 run_part real "Full EN/ES pipeline on real pages: the LibreOffice help in English and Spanish" scripts/bench/real_pairs.sh
  run_part stages "Full EN/ES pipeline per stage: CPU seconds and MB/s of each stage (perf, 1,000 pairs)" stage_costs
  run_part instructions "Instructions executed (callgrind): figures that do not move with the machine" scripts/bench/instructions.sh "$bin"
  run_part html "HTML ingest next to xmllint" scripts/html/bench.sh
  run_part langid "Language identification throughput" scripts/langid/bench.sh
  run_part align "Alignment at scale (5,000 to 20,000 paragraphs)" scripts/align/bench_scale.sh
  run_part entities "Entity extraction throughput" scripts/entities/bench.sh 20
  run_part spacy "Entities next to spaCy's small Spanish model" scripts/bench/entities_peer.sh
  run_part limits "Limits under load (10,000 files, 500 MB, 100 MB line)" scripts/robustness/limits.sh
} | tee -a "$results"
# The full pipeline's outputs and copies (about 100,000 files: two copies, and three runs of each
# of two pipeline rows) and the real pages' (about 10,000), removed only now: deleting them earlier
# would have made the file creation of every later part dearer (ext4 scans past recently deleted
# inodes when it allocates one: with the real pages' outputs deleted just before it, the per-stage
# part's "creating output files" row read 35.7% of the run instead of 3.2%, BENCHMARKS.md "Session 33").
rm -rf "$data"/full-out-* "$data"/real-out-*
