#!/usr/bin/env bash
# Rebuilds the alignment development set, runs bitext's aligner on it (the DevSetHarness
# test), the baselines (nltk gale_church, galechurch) and prints the scores and the
# reliability tables (debian-reference ch07–ch12 and the LibreOffice held-out sample, never
# used to fit). Sets: tuning = maint-guide + libreoffice-tune (every cost chosen there);
# held out = debian-reference + libreoffice-held (measured, never tuned on).
# Needs: python3 with lxml, numpy, nltk, galechurch (pip install).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/align/build_devset.py
python3 scripts/align/estimate_length.py --only maint-guide
swift build --build-tests
BITEXT_ALIGN_DEVSET=.data/align/devset BITEXT_ALIGN_PREDICTIONS=.data/align/pred \
  swift test --skip-build --filter DevSetHarness
python3 scripts/align/evaluate.py --systems bitext,galechurch,nltk
python3 scripts/align/calibrate.py table \
  --only debian-reference-ch07,debian-reference-ch08,debian-reference-ch09,debian-reference-ch10,debian-reference-ch11,debian-reference-ch12
python3 scripts/align/calibrate.py table --only libreoffice-held
