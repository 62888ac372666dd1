#!/bin/sh
# Entity extraction throughput per core (issue 6.7): release build, one thread, input
# read and split into documents first; `bitext entities --benchmark` prints the thread's
# CPU time (the machine is shared, so wall time also counts other processes) and wall time.
# Two layouts: every paragraph its own document, and the whole input as one document.
#   scripts/entities/bench.sh [MEGABYTES]     (default 50)
#   BITEXT=path/to/bitext scripts/entities/bench.sh 20   (another build, e.g. an older one, same input)
set -eu
cd "$(dirname "$0")/../.."
MB=${1:-50}
mkdir -p .data/entities
INPUT=.data/entities/bench-input.txt
# The samples (English and Spanish, UN/OAS prose), repeated to the size asked for.
python3 - "$MB" "$INPUT" <<'PY'
import sys, glob
target = int(sys.argv[1]) * 1_000_000
text = "".join(open(p, encoding="utf-8").read() + "\n\n" for p in sorted(glob.glob("samples/*.txt")))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    written = 0
    while written < target:
        f.write(text)
        written += len(text.encode())
PY
bin=${BITEXT:-.build/release/bitext}
[ -n "${BITEXT:-}" ] || make --no-print-directory build >/dev/null
grep -v '^$' "$INPUT" > "$INPUT.one-document"
for run in 1 2 3; do
  "$bin" entities --benchmark < "$INPUT"
done
for run in 1 2 3; do
  "$bin" entities --benchmark < "$INPUT.one-document"
done
