#!/usr/bin/env bash
# CPU time of each stage of the full EN/ES pipeline (scripts/bench/full-json.yaml), from perf
# samples of one `--jobs 1` run over real document pairs (scripts/bench/build_pairs.py, 1,000
# pairs by default). A sample counts for a stage when the stage's `process` is on its stack,
# so the figures are CPU time, whatever else the machine runs. Needs perf and a release build.
# Below the stages, the costs that are no stage: batch planning (pair.documents), writing each
# unit's files, the manifest checkpoints, one-time resource loading, the two alignment stages'
# paragraph features, and allocator samples perf could not attribute (glibc has no frame
# pointers, so malloc/free samples often lose their callers).
#   scripts/entities/stage_profile.sh [PAIRS]      (BITEXT=path/to/bitext to profile another build)
#   BOOK=1 scripts/entities/stage_profile.sh       (the one long pair, book.en.txt + book.es.txt, instead)
set -euo pipefail
cd "$(dirname "$0")/../.."
pairs=${1:-1000}
bin=${BITEXT:-.build/release/bitext}
data=.data/entities/stages
mkdir -p "$data"
[ -d .data/align/devset ] || python3 scripts/align/build_devset.py > /dev/null
python3 scripts/bench/build_pairs.py --pairs "$pairs" --out "$data" > /dev/null
if [ "${BOOK:-0}" = 1 ]; then
  bytes=$(( $(stat -c %s "$data/book.en.txt") + $(stat -c %s "$data/book.es.txt") ))
  perf record -q -F 4000 -g -o "$data/perf.data" "$bin" align "$data/book.en.txt" "$data/book.es.txt" \
    --pipeline scripts/bench/full-json.yaml --format json > /dev/null 2> /dev/null
else
  bytes=$(find "$data/pairs" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
  rm -rf "$data/out"
  perf record -q -F 4000 -g -o "$data/perf.data" "$bin" run scripts/bench/full-json.yaml "$data/pairs" \
    --out "$data/out" --jobs 1 --quiet 2> /dev/null
fi
perf script -i "$data/perf.data" -F ip,sym 2> /dev/null | python3 -c '
import sys
bytes, hz = int(sys.argv[1]), 4000
stages = [("ingest", "12BitextIngest0B0V7process"), ("segment.paragraphs", "SegmentParagraphsV7process"),
          ("identify.language", "08IdentifyB0V7process"), ("pair.documents", "PairDocumentsV7process"),
          ("segment.sentences", "SegmentSentencesV7process"), ("align.paragraphs", "0B10ParagraphsV7process"),
          ("align.sentences", "0B9SentencesV7process"), ("extract.entities", "07ExtractB0V7process"),
          ("link.entities", "04LinkB0V7process")]
others = [("batch planning (pair.documents)", "PairDocumentsV4plan"),
          ("writing each unit (JSON, temporary file, fsync, rename)", "writeOutputs"),
          ("manifest checkpoints (JSONEncoder)", "ManifestV6encode"),
          ("resource loading, once per process", "once_slow"),
          ("in align.paragraphs + align.sentences: paragraph features (Aligner.view)", "AlignerV4view2of2in")]
allocator = ("malloc", "free", "_int_", "unlink_chunk", "malloc_consolidate")
counts = {name: 0 for name, _ in stages + others}
total = unattributed = 0
for sample in sys.stdin.read().split("\n\n"):
    if not sample.strip():
        continue
    total += 1
    for name, symbol in stages + others:
        if symbol in sample:
            counts[name] += 1
    frames = [line for line in sample.strip().split("\n") if line.strip()]
    if len(frames) <= 3 and any(a in frames[0] for a in allocator):
        unattributed += 1
print(f"{bytes / 1e6:.2f} MB of EN/ES text, {total / hz:.2f} s CPU in all (perf, {hz} Hz)")
print()
print("| stage | CPU s | MB/s per CPU-second | share |")
print("|---|---|---|---|")
for name, _ in stages + others:
    seconds = counts[name] / hz
    rate = f"{bytes / 1e6 / seconds:.0f}" if seconds > 0 else "—"
    print(f"| {name} | {seconds:.3f} | {rate} | {100 * counts[name] / max(total, 1):.1f}% |")
print(f"| malloc/free samples without callers | {unattributed / hz:.3f} | — | {100 * unattributed / max(total, 1):.1f}% |")
' "$bytes"
