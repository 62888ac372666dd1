#!/usr/bin/env bash
# HTML ingest speed and memory, next to libxml2's own parser in the same run:
#   1. ~100 MB of real documentation pages (scripts/html/gather.sh): `xmllint --html --noout`
#      over every page, then `bitext run pipelines/ingest-json.yaml` (ingest + paragraphs + JSON).
#   2. One generated 50 MB single-line page: peak RSS against the page's size.
# Needs a release build (.build/release/bitext) and xmllint (libxml2-utils). Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
[ -x "$bin" ] || swift build -c release --product bitext
scripts/html/gather.sh > /dev/null
corpus=.data/html/corpus
work=.data/html/bench
mkdir -p "$work"

measure() {  # prints "SECONDS KIB" for a command (stdout and stderr discarded)
  local log
  log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" > /dev/null 2>&1 || true
  tail -1 "$log"
  rm -f "$log"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / 1048576 / s }'; }

bytes=$(find "$corpus" -name '*.html' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
pages=$(find "$corpus" -name '*.html' | wc -l)
find "$corpus" -name '*.html' -print0 | sort -z > "$work/files"

# Warm the page cache so that neither side pays for the disk.
xargs -0 cat < "$work/files" > /dev/null

read -r xs xk < <(measure sh -c "xargs -0 xmllint --html --noout < '$work/files'")
rm -rf "$work/out"
read -r bs bk < <(measure "$bin" run pipelines/ingest-json.yaml "$corpus" --out "$work/out" --jobs 1 --quiet)
rm -rf "$work/out2"
read -r b2s b2k < <(measure "$bin" run pipelines/ingest-json.yaml "$corpus" --out "$work/out2" --jobs 2 --quiet)
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
read -r gxs gxk < <(measure xmllint --html --noout "$big")
rm -rf "$work/out3"
read -r gbs gbk < <(measure "$bin" run pipelines/ingest-json.yaml "$big" --out "$work/out3" --jobs 1 --quiet)

echo "### HTML ingest — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "Corpus: $pages pages, $((bytes / 1048576)) MiB of Debian Reference, New Maintainers' Guide and LibreOffice help (en, es), \`scripts/html/gather.sh\`; $documents JSON documents written."
echo
echo "| what | seconds | MB/s | peak RSS (MiB) |"
echo "|---|---|---|---|"
printf '| `xmllint --html --noout` (libxml2 parse only, the floor) | %s | %s | %d |\n' "$xs" "$(mbps "$bytes" "$xs")" $((xk / 1024))
printf '| `bitext run pipelines/ingest-json.yaml --jobs 1` (decode, parse, blocks, boilerplate, JSON) | %s | %s | %d |\n' "$bs" "$(mbps "$bytes" "$bs")" $((bk / 1024))
printf '| same, `--jobs 2` | %s | %s | %d |\n' "$b2s" "$(mbps "$bytes" "$b2s")" $((b2k / 1024))
printf '| `xmllint --html --noout`, one %d MB single-line page | %s | %s | %d |\n' $((big_bytes / 1000000)) "$gxs" "$(mbps "$big_bytes" "$gxs")" $((gxk / 1024))
printf '| `bitext run … --jobs 1`, the same page | %s | %s | %d |\n' "$gbs" "$(mbps "$big_bytes" "$gbs")" $((gbk / 1024))
echo
awk -v b="$bs" -v x="$xs" -v k="$gbk" -v s="$big_bytes" 'BEGIN { printf "bitext runs at %.0f%% of xmllint'"'"'s rate on the corpus; on the 50 MB page its peak RSS is %.1f× the page size.\n", 100 * x / b, k * 1024 / s }'
