#!/usr/bin/env bash
# Scale benchmark: aligns two ~20,000-paragraph documents (real debian-reference text,
# repeated, ~5% perturbed) with a release build and reports time and peak memory.
#   scripts/align/bench_scale.sh [BLOCKS...]      (default: 5000 10000 20000)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d .data/align/devset ] || python3 scripts/align/build_devset.py
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
for blocks in "${@:-5000 10000 20000}"; do
  for n in $blocks; do
    python3 scripts/align/build_scale.py --blocks "$n" >/dev/null
    rm -rf .data/align/scale-run && mkdir -p .data/align/scale-run
    cp ".data/align/scale/scale-$n.json" .data/align/scale-run/
    /usr/bin/time -f "peak_rss_kb=%M wall_s=%e" \
      env BITEXT_ALIGN_DEVSET=.data/align/scale-run BITEXT_ALIGN_PREDICTIONS=.data/align/scale-pred BITEXT_ALIGN_TIMING=1 \
      swift test -c release --skip-build --filter DevSetHarness 2>&1 | grep -E "timing|peak_rss|passed|failed"
  done
done
