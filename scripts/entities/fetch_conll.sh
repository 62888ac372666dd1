#!/bin/sh
# Puts the CoNLL-2002 Spanish and CoNLL-2003 English test sets into .data/conll/ for
# scripts/entities/evaluate_ner.py. This machine reaches PyPI only, and no PyPI package we
# could find ships them (checked 2026-11: `pip download conll2002`, `conll2003`, `nltk_data`
# → no such distribution; `nltk` needs `nltk.download("conll2002")` from GitHub; `datasets`
# needs the Hugging Face hub; `seqeval` ships only a toy file; `names`, `spacy` ship none).
# Where the network allows it, either of these gives the files:
#   python3 -m nltk.downloader -d .data/nltk conll2002      # then esp.testb is under corpora/conll2002/
#   (CoNLL-2003 English: Reuters RCV1 licence; build eng.testb with the CoNLL-2003 scripts)
# Copy or link them as .data/conll/esp.testb and .data/conll/eng.testb.
set -eu
cd "$(dirname "$0")/../.."
mkdir -p .data/conll
for f in esp.testb eng.testb; do
  if [ ! -f ".data/conll/$f" ]; then
    found=$(find .data "${NLTK_DATA:-/nonexistent}" -name "$f" -not -path ".data/conll/*" 2>/dev/null | head -1 || true)
    if [ -n "$found" ]; then cp "$found" ".data/conll/$f"; echo "copied $found"; else echo "missing .data/conll/$f (see the notes at the top of this script)"; fi
  fi
done
