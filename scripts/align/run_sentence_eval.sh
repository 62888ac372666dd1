#!/usr/bin/env bash
# Rebuilds the sentence development set (Spanish message catalogs + the paragraph dev set's
# documentation pairs), runs bitext's segment.sentences + align.sentences on it (the
# SentenceDevSetHarness test) and scores bitext against nltk's Gale–Church on the same
# sentences. Needs: python3 with nltk (pip install nltk), gettext's catalogs in /usr/share/locale/es.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/align/build_devset.py >/dev/null
python3 scripts/align/build_sentence_devset.py
swift build --build-tests
BITEXT_SENTENCE_DEVSET=.data/align/sentences swift test --skip-build --filter SentenceDevSetHarness
python3 scripts/align/evaluate_sentences.py "$@"
