#!/usr/bin/env bash
# Builds the benchmark corpora under .data/bench from text Debian ships (never committed).
#   text-1mb.txt, text-100mb.txt and text-1gb.txt (BENCH_LARGE=0 skips the 1 GB one): English
#   and Spanish documentation text from installed packages, repeated to size.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.data/bench
mkdir -p "$out"

seed="$out/seed.txt"
if [ ! -s "$seed" ]; then
  {
    cat samples/*.txt
    # Plain-text documentation shipped by Debian packages (English), and the Spanish and
    # English HTML manuals reduced to text by dropping tags (good enough as a byte stream).
    find /usr/share/doc -maxdepth 2 -name '*.txt' -size -2M 2>/dev/null | sort | head -200 | xargs -r cat
    for f in $(find /usr/share/doc/maint-guide-es /usr/share/doc/debian-reference-es /usr/share/doc/maint-guide /usr/share/doc/debian-reference-en -name '*.html' 2>/dev/null | sort | head -60); do
      sed -e 's/<[^>]*>//g' -e 's/&[a-z]*;/ /g' "$f"
    done
  } > "$seed"
fi

make_size() {  # name bytes
  local target="$out/$1"
  [ -s "$target" ] && [ "$(stat -c %s "$target")" -ge "$2" ] && return
  : > "$target"
  while [ "$(stat -c %s "$target")" -lt "$2" ]; do cat "$seed" >> "$target"; done
  truncate -s "$2" "$target"
  # Do not cut the last line in the middle of a UTF-8 sequence.
  printf '\n' >> "$target"
}

make_size text-1mb.txt $((1 << 20))
make_size text-100mb.txt $((100 << 20))
# One byte short of 1 GiB before the final line feed: exactly 1 GiB, ingest's default
# `max_bytes` (a byte more and the run is refused).
if [ "${BENCH_LARGE:-1}" = 1 ]; then make_size text-1gb.txt $(((1 << 30) - 1)); fi
ls -l "$out"
