#!/usr/bin/env bash
# Plain text at 1 GB (issue 9): wall and CPU seconds (user, system), MB/s per CPU-second and peak RSS of
# `bitext run pipelines/ingest-json.yaml` (and compact JSON) on .data/bench/text-1gb.txt, with
# the floors (cat, wc -l) measured in the same rounds.
#   scripts/bench/large.sh [BINARY...]     (default: .build/release/bitext)
# Several binaries are alternated round by round (LARGE_ROUNDS rounds, 3 by default) so that
# they meet the same load. Each run writes into a fresh directory; its outputs are hashed
# (the first binary's digests are the reference: a differing one is reported) and deleted
# (the pretty output is 3.7 GB). LARGE_COMPACT=0 skips compact JSON. The page cache is
# flushed (`sync`) before each run, so that one run's writeback is not charged to the next.
# LARGE_CORPUS=.data/bench/text-100mb.txt measures another corpus the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- .build/release/bitext
rounds=${LARGE_ROUNDS:-3}
data=.data/bench
corpus=${LARGE_CORPUS:-$data/text-1gb.txt}
[ -f "$corpus" ] || scripts/bench/corpora.sh > /dev/null
bytes=$(stat -L -c %s "$corpus")
out=$data/large-out
log=$(mktemp)
trap 'rm -rf "$out" "$log" "$log".*' EXIT

# run LABEL COMMAND...: one timed run; prints a table row.
run() {
  local label=$1
  shift
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$log" "$@" > /dev/null 2>&1 || echo "(exit status $? for $label)" >&2
  read -r wall user sys kib < <(tail -n 1 "$log")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kib" -v b="$bytes" 'BEGIN {
    c = u + s; if (c <= 0) c = 0.001
    printf "| %s | %.2f | %.2f | %.2f | %.2f | %.1f | %d |\n", l, w, u, s, c, b / 1048576 / c, k / 1024 }'
}

# digest PIPELINE-LABEL: the outputs' digests, checked against the first binary's.
digest() {
  local key=$1 sums
  sums=$(cd "$out" && sha256sum -- * | awk '{ print $1, $2 }' | sort -k 2 | tr '\n' ' ')
  if [ ! -f "$log.$key" ]; then echo "$sums" > "$log.$key"; elif [ "$(cat "$log.$key")" != "$sums" ]; then
    echo "OUTPUT DIFFERS ($key): $sums" >&2
  fi
  rm -rf "$out"
}

echo "Plain text, $(basename "$corpus") — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall s | user s | system s | CPU s | MB/s per CPU-second | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  run "round $round: cat (floor)" cat "$corpus"
  run "round $round: wc -l (floor)" wc -l "$corpus"
  for bin in "$@"; do
    rm -rf "$out"
    run "round $round: $bin, pretty JSON" "$bin" run pipelines/ingest-json.yaml "$corpus" --out "$out" --jobs 1 --quiet
    digest pretty
    if [ "${LARGE_COMPACT:-1}" = 1 ]; then
      run "round $round: $bin, compact JSON" "$bin" run scripts/bench/ingest-json-compact.yaml "$corpus" --out "$out" --jobs 1 --quiet
      digest compact
    fi
  done
done
echo
echo "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
