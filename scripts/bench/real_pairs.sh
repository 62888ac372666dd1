#!/usr/bin/env bash
# The full EN/ES pipeline (scripts/bench/full-json.yaml) on a real collection of translated
# documents as they are published: the LibreOffice help pages in English and Spanish that Debian
# ships (libreoffice-help-en-us, libreoffice-help-es; 2,561 HTML pages a language, from a few
# hundred bytes to 200 KB). Unlike the 10,000 pairs of full.sh, which are windows cut from 25
# documents, no page repeats another, and every page goes through HTML ingest.
# Measured in the same run: `cat` of the pages (reading the bytes) and `cp -rL` of them into a fresh
# directory (the per-file floor). MB/s are per CPU-second (user + system) of HTML input; the text
# the pages hold (the paragraphs' UTF-8 bytes in the outputs) is given beside it.
#   scripts/bench/real_pairs.sh        (release binary built by the caller; BITEXT=path for another)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BITEXT:-.build/release/bitext}
help=${LIBREOFFICE_HELP:-/usr/share/libreoffice/help}
data=.data/bench
corpus=$data/libreoffice
if [ ! -d "$help/en-US/text" ] || [ ! -d "$help/es/text" ]; then
  echo "(LibreOffice help not installed: apt-get install libreoffice-help-en-us libreoffice-help-es)"
  exit 0
fi
# The two language trees side by side, linked: pair.documents pairs en-US/X.html with es/X.html.
mkdir -p "$corpus"
ln -sfn "$help/en-US" "$corpus/en-US"
ln -sfn "$help/es" "$corpus/es"

. scripts/bench/measure.sh

pages=$(find -L "$corpus" -name '*.html' | wc -l)
pairs=$((pages / 2))
bytes=$(find -L "$corpus" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { print s }')
row() {  # label units command... (leaves the command's CPU seconds in $cpu)
  local label=$1 units=$2
  shift 2
  read -r wall cpu kib < <(measure "$@")
  awk -v l="$label" -v b="$bytes" -v u="$units" -v w="$wall" -v cpu="$cpu" -v k="$kib" 'BEGIN {
    if (cpu <= 0) cpu = 0.001; if (w <= 0) w = 0.001
    printf "| %s | %.2f | %.2f | %.1f | %.0f | %d |\n", l, w, cpu, b / 1048576 / cpu, u / w, k / 1024 }'
}
echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$pairs page pairs, $((bytes / 1048576)) MiB of HTML ($(dpkg-query -W -f '${Version}' libreoffice-help-en-us 2> /dev/null || echo '?'))."
echo
echo "| what | wall s | CPU s | MB/s of HTML per CPU-second | pairs/s (wall) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
row "\`cat\` of the pages (floor)" "$pairs" sh -c "find -L '$corpus' -name '*.html' -print0 | xargs -0 cat"
cat_cpu=$cpu
# Outputs go to directories of their own, removed only at the end (see full.sh: ext4 scans past
# recently deleted inodes when it creates files).
stamp=$(date +%s)
row "\`cp -rL\` of the pages into a new directory (per-file floor)" "$pairs" cp -rL "$corpus" "$data/real-out-$stamp-copy"
copy_cpu=$cpu
declare -A full_cpu full_wall
for jobs in 1 2; do
  row "full pipeline, --jobs $jobs" "$pairs" \
    "$bin" run scripts/bench/full-json.yaml "$corpus" --out "$data/real-out-$stamp-jobs$jobs" --jobs "$jobs" --quiet
  full_cpu[$jobs]=$cpu
  full_wall[$jobs]=$wall
done
# The text the pages hold: every paragraph's UTF-8 bytes, both languages, from the one-job outputs.
text_bytes=$(python3 - "$data/real-out-$stamp-jobs1" << 'EOF'
import json, pathlib, sys
total = 0
for path in pathlib.Path(sys.argv[1]).rglob("*.en-es.json"):
    for side in json.loads(path.read_text()).get("paragraphs", {}).values():
        total += sum(len(p["text"].encode()) for p in side)
print(total)
EOF
)
# Issue 9's memory target on real text: the pages' paragraphs end to end as one long pair (English
# pages in one file, their Spanish versions in the same order in the other; pages whose versions
# differ in paragraphs give runs of one-sided links, as real long documents do), once and 8 times
# over. The book pairs of full.sh repeat one book; this text has shorter paragraphs and other
# entities. (A group of links opening with such runs crashed align.sentences until session 28.)
long=$data/libreoffice-long
python3 - "$data/real-out-$stamp-jobs1" "$long" << 'EOF'
import json, pathlib, sys
outputs, long = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
sides = {"en": [], "es": []}
for path in sorted(outputs.rglob("*.en-es.json")):
    paragraphs = json.loads(path.read_text()).get("paragraphs", {})
    if paragraphs.get("en") and paragraphs.get("es"):
        for language in sides:
            sides[language].append("\n\n".join(p["text"] for p in paragraphs[language]))
for copies in (1, 8):
    (long / f"x{copies}").mkdir(parents=True, exist_ok=True)
    for language, pages in sides.items():
        (long / f"x{copies}" / f"help.{language}.txt").write_text("\n\n".join(pages * copies) + "\n")
EOF
declare -A long_kib long_largest long_bytes
for copies in 1 8; do
  dir=$long/x$copies
  long_bytes[$copies]=$(( $(stat -c %s "$dir/help.en.txt") + $(stat -c %s "$dir/help.es.txt") ))
  long_largest[$copies]=$(stat -c %s "$dir/help.en.txt" "$dir/help.es.txt" | sort -n | tail -n 1)
  read -r wall cpu kib < <(measure "$bin" run scripts/bench/full-json.yaml "$dir" --out "$data/real-out-$stamp-long$copies" --jobs 1 --quiet)
  long_kib[$copies]=$kib
  [ -s "$data/real-out-$stamp-long$copies/help.en-es.json" ] || echo "(the pages as one long pair ×$copies: no output, the run failed)"
done
# (`make bench` keeps them until its end, KEEP_OUTPUTS: ext4 without a journal scans past recently
# deleted inodes when it allocates one, which made the next part's file creation several times dearer.)
[ -n "${KEEP_OUTPUTS:-}" ] || rm -rf "$data"/real-out-"$stamp"-*
echo
for copies in 1 8; do
  awk -v c="$copies" -v b="${long_bytes[$copies]}" -v k="${long_kib[$copies]}" -v d="${long_largest[$copies]}" 'BEGIN {
    printf "Peak memory of the full pipeline on the pages as one long pair, ×%d (%.1f MiB): %.0f MiB, %.1f× its largest document (%.1f MiB; issue 9: under 10×).\n", c, b / 1048576, k / 1024, k * 1024 / d, d / 1048576 }'
done
echo
awk -v t="$text_bytes" -v f="${full_cpu[1]}" -v w1="${full_wall[1]}" -v w2="${full_wall[2]}" -v c="$copy_cpu" -v k="$cat_cpu" 'BEGIN {
  if (f <= 0) f = 0.001; if (c <= 0) c = 0.001; if (k <= 0) k = 0.001; if (w2 <= 0) w2 = 0.001
  printf "The pages hold %.1f MiB of paragraph text: %.1f MB of text per CPU-second with --jobs 1. ", t / 1048576, t / 1048576 / f
  printf "The pipeline costs %.1f× the CPU of copying the pages and %.1f× that of reading them; --jobs 2 runs %.2f× as fast as --jobs 1 (wall).\n", f / c, f / k, w1 / w2 }'
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
