#!/usr/bin/env python3
"""Estimates the Gale–Church length parameters (ES/EN character ratio and variance per
character) from gold 1-1 links of the development set, leaving out pairs whose two sides
are identical (untranslated strings, code) and preformatted blocks.

Lengths are Unicode characters without white space, as in the aligner (TextFeatures.length).
Usage: python3 scripts/align/estimate_length.py [--only maint-guide]
"""
import argparse
import glob
import json
import os

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))


def length(text):
    return sum(1 for ch in text if not ch.isspace())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=os.path.join(ROOT, ".data/align/devset"))
    ap.add_argument("--only", default="maint-guide")
    args = ap.parse_args()
    pairs = []
    for path in sorted(glob.glob(os.path.join(args.devset, "*.clean.json"))):
        if args.only not in os.path.basename(path):
            continue
        doc = json.load(open(path, encoding="utf-8"))
        for (a, b) in doc["gold"]:
            if len(a) != 1 or len(b) != 1:
                continue
            en, es = doc["en"][a[0]], doc["es"][b[0]]
            if en["text"] == es["text"] or en["kind"] == "preformatted":
                continue
            l1, l2 = length(en["text"]), length(es["text"])
            if l1 > 0 and l2 > 0:
                pairs.append((l1, l2))
    c = sum(l2 for _, l2 in pairs) / sum(l1 for l1, _ in pairs)
    # Var(l2 - c l1) ≈ s² · l1: estimate s² by the mean of (l2 - c l1)² / l1.
    s2 = sum((l2 - c * l1) ** 2 / l1 for l1, l2 in pairs) / len(pairs)
    print(f"pairs={len(pairs)} ratio={c:.4f} variance={s2:.3f}")


if __name__ == "__main__":
    main()
