#!/usr/bin/env bash
# HTML ingest speed and memory, next to libxml2's own parser in the same run:
#   1. ~100 MB of real documentation pages (scripts/html/gather.sh): `xmllint --html --noout`
#      over every page, then bitext: ingest alone, ingest + segment.paragraphs (no writer: the
#      issue's "ingest and segmentation"), and `pipelines/ingest-json.yaml` (+ JSON, manifest).
#   2. One generated 50 MB single-line page: peak RSS against the page's size.
# Compare CPU seconds (user + system), not wall time: the machine is shared.
# Needs a release build (.build/release/bitext) and xmllint (libxml2-utils). Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
[ -x "$bin" ] || make --no-print-directory build
scripts/html/gather.sh > /dev/null
corpus=.data/html/corpus
work=.data/html/bench
mkdir -p "$work"

measure() {  # prints "SECONDS KIB CPU_SECONDS" for a command (stdout and stderr discarded)
  local log
  log=$(mktemp)
  /usr/bin/time -f '%e %M %U %S' -o "$log" "$@" > /dev/null 2>&1 || true
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$log" > "$log.2" && mv "$log.2" "$log"
  tail -1 "$log"
  rm -f "$log"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / 1048576 / s }'; }

bytes=$(find "$corpus" -name '*.html' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
pages=$(find "$corpus" -name '*.html' | wc -l)
find "$corpus" -name '*.html' -print0 | sort -z > "$work/files"

# Warm the page cache so that neither side pays for the disk.
xargs -0 cat < "$work/files" > /dev/null

read -r xs xk xc < <(measure sh -c "xargs -0 xmllint --html --noout < '$work/files'")
rm -rf "$work/out"
read -r bs bk bc < <(measure "$bin" run pipelines/ingest-json.yaml "$corpus" --out "$work/out" --jobs 1 --quiet)
# Ingest alone, and ingest + paragraphs (no writer): what HTML reading and segmentation cost
# without JSON rendering and fsync.
printf 'name: ingest-only\nstages:\n  - use: ingest\noutputs: []\n' > "$work/ingest-only.yaml"
printf 'name: ingest-segment\nstages:\n  - use: ingest\n  - use: segment.paragraphs\noutputs: []\n' > "$work/ingest-segment.yaml"
rm -rf "$work/out-ingest"
read -r is ik ic < <(measure "$bin" run "$work/ingest-only.yaml" "$corpus" --out "$work/out-ingest" --jobs 1 --quiet)
rm -rf "$work/out-segment"
read -r ss sk sc < <(measure "$bin" run "$work/ingest-segment.yaml" "$corpus" --out "$work/out-segment" --jobs 1 --quiet)
rm -rf "$work/out2"
read -r b2s b2k b2c < <(measure "$bin" run pipelines/ingest-json.yaml "$corpus" --out "$work/out2" --jobs 2 --quiet)
documents=$(find "$work/out" -name '*.json' ! -name manifest.json | wc -l)

# A 50 MB page on one line: 1,000 paragraphs of 50 KB (what a minified export looks like).
big=$work/big-page.html
if [ ! -s "$big" ]; then
  python3 - "$big" <<'PY'
import sys
para = "<p>" + "Peace and <b>security</b> in the region, según el informe. " * 860 + "</p>"
with open(sys.argv[1], "w") as f:
    f.write("<html lang=\"en\"><body>" + para * 1000 + "</body></html>")
PY
fi
big_bytes=$(stat -c %s "$big")
read -r gxs gxk gxc < <(measure xmllint --html --noout "$big")
rm -rf "$work/out4"
read -r gss gsk gsc < <(measure "$bin" run "$work/ingest-segment.yaml" "$big" --out "$work/out4" --jobs 1 --quiet)
rm -rf "$work/out3"
read -r gbs gbk gbc < <(measure "$bin" run pipelines/ingest-json.yaml "$big" --out "$work/out3" --jobs 1 --quiet)

echo "### HTML ingest — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "Corpus: $pages pages, $((bytes / 1048576)) MiB of Debian Reference, New Maintainers' Guide and LibreOffice help (en, es), \`scripts/html/gather.sh\`; $documents JSON documents written."
echo
echo "| what | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
line() { printf '| %s | %s | %s | %s | %s | %d |\n' "$1" "$2" "$(mbps "$5" "$2")" "$3" "$(mbps "$5" "$3")" $(($4 / 1024)); }
line '`xmllint --html --noout` (libxml2 parse only, the floor)' "$xs" "$xc" "$xk" "$bytes"
line '`bitext run` ingest only (decode, parse, blocks, boilerplate), `--jobs 1`' "$is" "$ic" "$ik" "$bytes"
line '`bitext run` ingest + `segment.paragraphs`, no writer, `--jobs 1`' "$ss" "$sc" "$sk" "$bytes"
line '`bitext run pipelines/ingest-json.yaml --jobs 1` (+ paragraphs stage, JSON, manifest)' "$bs" "$bc" "$bk" "$bytes"
line 'same, `--jobs 2`' "$b2s" "$b2c" "$b2k" "$bytes"
line "\`xmllint --html --noout\`, one $((big_bytes / 1000000)) MB single-line page" "$gxs" "$gxc" "$gxk" "$big_bytes"
line '`bitext run` ingest + `segment.paragraphs`, the same page' "$gss" "$gsc" "$gsk" "$big_bytes"
line '`bitext run pipelines/ingest-json.yaml`, the same page' "$gbs" "$gbc" "$gbk" "$big_bytes"
echo
awk -v b="$bc" -v i="$ic" -v g="$sc" -v x="$xc" -v k="$gbk" -v m="$gsk" -v xk="$gxk" -v s="$big_bytes" 'BEGIN { printf "CPU time: bitext ingest alone runs at %.0f%% of xmllint'"'"'s rate, ingest + segmentation at %.0f%%, ingest + JSON at %.0f%%. On the 50 MB page peak RSS is %.1f× the page size for ingest + segmentation, %.1f× with the JSON writer (xmllint %.1f×).\n", 100 * x / i, 100 * x / g, 100 * x / b, m * 1024 / s, k * 1024 / s, xk * 1024 / s }'
