#!/usr/bin/env bash
# CPU time of the alignment stages on the scale inputs (scripts/align/build_scale.py): the EN/ES
# pipeline is run with one more stage at a time, and each stage's cost is read as the
# difference from the previous run (JSON output of the layer it adds included). User+system CPU
# seconds and peak memory, best of RUNS runs (the machine is shared: CPU time, not wall time).
#   scripts/align/bench_stages.sh [N | EN.txt:ES.txt ...]   (default: 5000 20000; RUNS=3)
#   an EN:ES argument measures that pair of files instead of a scale input (e.g.
#   .data/bench/book.en.txt:.data/bench/book.es.txt, from scripts/bench/build_pairs.py)
#   BIN=/path/to/other/bitext scripts/align/bench_stages.sh   (compare another build, same inputs)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d .data/align/devset ] && [ .data/align/devset -nt scripts/align/build_devset.py ] || { python3 scripts/align/build_devset.py > /dev/null && touch .data/align/devset; }
bin=${BIN:-.build/release/bitext}
[ -n "${BIN:-}" ] || make --no-print-directory build >/dev/null
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 20000)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

stages=(ingest segment.paragraphs identify.language pair.documents align.paragraphs segment.sentences align.sentences extract.entities link.entities)
# Prefixes of the full pipeline (scripts/bench/full-json.yaml): the first four stages, then one more each time.
for k in 4 5 6 7 9; do
  {
    echo "name: prefix-$k"
    echo "stages:"
    for s in "${stages[@]:0:$k}"; do echo "  - use: $s"; done
    echo "outputs:"
    echo "  - write: json"
  } > "$dir/prefix-$k.yaml"
done

best() {  # prints "CPU_SECONDS PEAK_KIB", the run with the least CPU time
  local out best_cpu="" best_kib=""
  for _ in $(seq "$runs"); do
    out=$(/usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1)
    read -r user sys kib <<< "$out"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then best_cpu=$cpu; best_kib=$kib; fi
  done
  echo "$best_cpu $best_kib"
}

echo "| paragraphs per side (or pair) | input | floor: ingest → pair → JSON | + align.paragraphs | + segment.sentences | + align.sentences | full pipeline (+ entities) | full pipeline MB/s |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  if [[ "$n" == *:* ]]; then
    en=${n%%:*}
    es=${n#*:}
    n=$(basename "$en" .en.txt)
  else
    python3 scripts/align/build_scale.py --blocks "$n" >/dev/null
    en=.data/align/scale/scale-$n.en.txt
    es=.data/align/scale/scale-$n.es.txt
  fi
  bytes=$(( $(stat -c %s "$en") + $(stat -c %s "$es") ))
  declare -A cpu kib
  for k in 4 5 6 7 9; do
    read -r cpu[$k] kib[$k] < <(best "$bin" align "$en" "$es" --pipeline "$dir/prefix-$k.yaml" --format json)
  done
  d() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }')
  rate=$(awk -v b="$bytes" -v s="${cpu[9]}" 'BEGIN { printf "%.2f", b / 1e6 / s }')
  echo "| $n | $mb MB | ${cpu[4]} s, $(( kib[4] / 1024 )) MiB | ${cpu[5]} s (+$(d "${cpu[5]}" "${cpu[4]}")), $(( kib[5] / 1024 )) MiB | ${cpu[6]} s (+$(d "${cpu[6]}" "${cpu[5]}")) | ${cpu[7]} s (+$(d "${cpu[7]}" "${cpu[6]}")), $(( kib[7] / 1024 )) MiB | ${cpu[9]} s, $(( kib[9] / 1024 )) MiB | $rate |"
done
