#!/usr/bin/env python3
"""Builds the EN/ES benchmark corpora for the full pipeline from the alignment dev set
(real Debian documentation and its po4a Spanish translation; scripts/align/build_devset.py).

  pairs/NNNNN.en.txt + NNNNN.es.txt  N document pairs (default 10,000), each a window of
                                     consecutive translated blocks (4 to 24 paragraphs), so
                                     pair.documents pairs them by file name as it would a
                                     translated collection
  book.en.txt + book.es.txt          every clean dev-set document concatenated: one long
                                     realistic pair (about 11,000 paragraphs per side)

Usage: scripts/bench/build_pairs.py [--pairs N] [--out .data/bench]
"""
import argparse
import json
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_documents(devset: pathlib.Path):
    docs = []
    for path in sorted(devset.glob("*.clean.json")):
        # The corpus stays the po4a-translated Debian manuals it was first measured on (the dev
        # set also holds LibreOffice help samples for alignment quality; they would change it).
        if not path.name.startswith(("maint-guide-", "debian-reference-")):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        pairs = []
        for en_indices, es_indices in data["gold"]:
            if len(en_indices) != 1 or len(es_indices) != 1:
                continue
            en = data["en"][en_indices[0]]["text"].strip()
            es = data["es"][es_indices[0]]["text"].strip()
            if en and es:
                pairs.append((en, es))
        if pairs:
            docs.append((data["id"], pairs))
    return docs


def paragraphs(texts):
    # Blank lines separate paragraphs; a block's own blank lines (preformatted text) are
    # folded so one block stays one paragraph.
    return "\n\n".join(" ".join(t.split()) for t in texts) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / ".data/bench"))
    args = parser.parse_args()

    devset = ROOT / ".data/align/devset"
    docs = load_documents(devset)
    if not docs:
        raise SystemExit(f"no dev set in {devset}: run scripts/align/build_devset.py first")
    out = pathlib.Path(args.out)

    pair_dir = out / "pairs"
    marker = pair_dir / f".complete-{args.pairs}"
    if not marker.exists():
        pair_dir.mkdir(parents=True, exist_ok=True)
        for old in [*pair_dir.glob("*.txt"), *pair_dir.glob(".complete-*")]:
            old.unlink()
        rng = random.Random(11)
        for n in range(args.pairs):
            doc_id, pairs = docs[n % len(docs)]
            size = rng.randint(4, 24)
            start = rng.randrange(0, max(1, len(pairs) - size))
            window = pairs[start:start + size]
            stem = pair_dir / f"{n:05d}-{doc_id}"
            pathlib.Path(f"{stem}.en.txt").write_text(paragraphs(e for e, _ in window), encoding="utf-8")
            pathlib.Path(f"{stem}.es.txt").write_text(paragraphs(s for _, s in window), encoding="utf-8")
        marker.touch()

    book_en, book_es = out / "book.en.txt", out / "book.es.txt"
    if not book_en.exists() or not book_es.exists():
        all_pairs = [p for _, pairs in docs for p in pairs]
        book_en.write_text(paragraphs(e for e, _ in all_pairs), encoding="utf-8")
        book_es.write_text(paragraphs(s for _, s in all_pairs), encoding="utf-8")

    total = sum(p.stat().st_size for p in pair_dir.glob("*.txt"))
    print(f"{args.pairs} pairs, {total} bytes in {pair_dir}; book: "
          f"{book_en.stat().st_size + book_es.stat().st_size} bytes")


if __name__ == "__main__":
    main()
