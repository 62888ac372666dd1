#!/usr/bin/env bash
# Entity extraction next to spaCy's small Spanish model on the same real Spanish text (the
# Spanish side of scripts/bench/build_pairs.py's long pair), both in CPU seconds, same run.
# en_core_web_sm is not on PyPI, so the English peer cannot be measured here.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/bitext
text=.data/bench/book.es.txt
[ -f "$text" ] || python3 scripts/bench/build_pairs.py > /dev/null
[ -x .data/venv/bin/python ] || sh scripts/entities/setup_peers.sh > /dev/null
echo "Text: $text ($(stat -c %s "$text") bytes, one block per line)"
echo
echo '```'
"$bin" entities --language es --benchmark < "$text" 2>&1 | sed 's/^/bitext extract.entities: /'
.data/venv/bin/python scripts/bench/spacy_ner_speed.py "$text"
echo '```'
