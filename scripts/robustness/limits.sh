#!/usr/bin/env bash
# Limits under load (issue 8): peak memory and time of the release binary on
#   - a batch of 10,000 small files (memory must not grow with the batch),
#   - one 500 MB file (memory is a small multiple of the file, bounded by max_bytes),
#   - one 100 MB file that is a single line (no quadratic path in decoding or segmentation).
# Inputs are generated under .data/robustness (gitignored). Prints a Markdown table for
# BENCHMARKS.md. Needs the release build (make build) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
data=.data/robustness
mkdir -p "$data"
[ -x "$bin" ] || make --no-print-directory build

paragraph="The Permanent Council reaffirms its commitment to the sovereignty of Haiti and to the peacekeeping mission. El Consejo Permanente reafirma su compromiso con la soberanía de Haití y con la misión de paz."

# 10,000 files of about 2 KB: numbered items, a heading, wrapped paragraphs.
small="$data/small-10k"
if [ ! -d "$small" ] || [ "$(find "$small" -name '*.txt' | wc -l)" -ne 10000 ]; then
  rm -rf "$small"
  mkdir -p "$small"
  python3 - "$small" "$paragraph" <<'PY'
import os, sys, textwrap
root, paragraph = sys.argv[1], sys.argv[2]
for i in range(10000):
    d = os.path.join(root, f"{i // 1000:02d}")
    os.makedirs(d, exist_ok=True)
    body = "\n\n".join(textwrap.fill(f"{n}. Document {i}, item {n}. {paragraph}", 72) for n in range(1, 6))
    with open(os.path.join(d, f"doc{i:05d}.txt"), "w", encoding="utf-8") as f:
        f.write(f"REPORT {i}\n\n{body}\n")
PY
fi

# One 500 MB file of wrapped paragraphs.
large="$data/text-500mb.txt"
if [ ! -s "$large" ] || [ "$(stat -c %s "$large")" -lt $((500 << 20)) ]; then
  python3 - "$large" "$paragraph" <<'PY'
import sys, textwrap
path, paragraph = sys.argv[1], sys.argv[2]
block = "".join(textwrap.fill(f"{n}. {paragraph}", 72) + "\n\n" for n in range(1, 200)).encode()
with open(path, "wb") as f:
    written = 0
    while written < 500 << 20:
        f.write(block)
        written += len(block)
PY
fi

# One line of 100 MB.
line="$data/line-100mb.txt"
if [ ! -s "$line" ] || [ "$(stat -c %s "$line")" -lt $((100 << 20)) ]; then
  python3 - "$line" "$paragraph" <<'PY'
import sys
path, paragraph = sys.argv[1], sys.argv[2]
chunk = (paragraph + " ").encode() * 1000
with open(path, "wb") as f:
    written = 0
    while written < 100 << 20:
        f.write(chunk)
        written += len(chunk)
    f.write(b"\n")
PY
fi

run() {  # label jobs inputs...
  local label=$1 jobs=$2
  shift 2
  local out="$data/out" log
  rm -rf "$out"
  log=$(mktemp)
  /usr/bin/time -v "$bin" run pipelines/ingest-json.yaml "$@" --out "$out" --jobs "$jobs" --quiet 2> "$log" || true
  local rss wall status written
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  status=$(awk -F': ' '/Exit status/ {print $2}' "$log")
  written=$(find "$out" -name '*.json' ! -name manifest.json | wc -l)
  printf '| %s | %s | %s | %d | %s | %s |\n' "$label" "$jobs" "$wall" "$((rss / 1024))" "$status" "$written"
  rm -f "$log"
}

echo "## scripts/robustness/limits.sh — $(date -u +%Y-%m-%d) on $(nproc) cores ($(uptime | sed 's/.*load average: //') load)"
echo
echo "| input | --jobs | wall (m:ss) | peak RSS (MiB) | exit | outputs |"
echo "|---|---|---|---|---|---|"
run "10,000 files of ~2 KB ($(du -sh "$small" | cut -f1))" 2 "$small"
run "one 500 MB file ($(stat -c %s "$large") bytes)" 1 "$large"
run "one 100 MB single line ($(stat -c %s "$line") bytes)" 1 "$line"
