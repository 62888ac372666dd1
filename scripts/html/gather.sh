#!/usr/bin/env bash
# Gathers real HTML documentation pages from installed Debian packages into .data/html/
# (never committed), for HTML ingest benchmarks and bulk checks:
#   .data/html/corpus/   ~100 MB of pages: Debian Reference (en, es), the New Maintainers' Guide
#                        (en, es) and the LibreOffice help (en-US, es), repeated as copies
#                        under rep2/, rep3/… until the total reaches HTML_CORPUS_MB (default 100).
# Packages: debian-reference-en/-es, maint-guide/-es, libreoffice-help-en-us/-es.
# The GIMP manual is never used (kept for an independent check).
set -euo pipefail
cd "$(dirname "$0")/../.."
target_mb=${HTML_CORPUS_MB:-100}
out=.data/html/corpus
list=.data/html/sources.txt
mkdir -p "$out"

{
  find /usr/share/debian-reference -maxdepth 1 -name '*.html' 2>/dev/null
  find /usr/share/doc/maint-guide/html /usr/share/doc/maint-guide-es/html -name '*.html' 2>/dev/null
  find /usr/share/libreoffice/help/en-US /usr/share/libreoffice/help/es -name '*.html' 2>/dev/null
} | grep -vi gimp | sort > "$list"
if [ ! -s "$list" ]; then
  echo "no HTML documentation installed (apt-get install debian-reference-en debian-reference-es maint-guide maint-guide-es libreoffice-help-en-us libreoffice-help-es)" >&2
  exit 1
fi

copy_round() {  # directory
  local dir=$1
  mkdir -p "$dir"
  # Flatten paths into file names so that every copy is one file in one folder per round.
  while IFS= read -r f; do
    name=$(printf '%s' "${f#/usr/share/}" | tr '/' '_')
    [ -f "$dir/$name" ] || cp "$f" "$dir/$name"
  done < "$list"
}

round=1
copy_round "$out/rep1"
while [ "$(du -sbL "$out" | cut -f1)" -lt $((target_mb << 20)) ]; do
  round=$((round + 1))
  copy_round "$out/rep$round"
done
echo "$(find "$out" -name '*.html' | wc -l) pages, $(du -sbL "$out" | cut -f1) bytes in $out ($round rounds)"
