#!/usr/bin/env python3
"""Builds a large alignment input for the scale benchmark: the debian-reference chapters of
the development set concatenated and repeated until each side has --blocks paragraphs, then
perturbed like the development set (deletions, merges, splits). Writes
.data/align/scale/scale-<blocks>.json in the development-set format.

Also writes the two sides as plain text (scale-<blocks>.en.txt / .es.txt) for `bitext align`.

Usage: python3 scripts/align/build_scale.py [--blocks 20000]
"""
import argparse
import glob
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from build_devset import perturb  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blocks", type=int, default=20000)
    ap.add_argument("--devset", default=os.path.join(ROOT, ".data/align/devset"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".data/align/scale"))
    args = ap.parse_args()
    en, es = [], []
    docs = [json.load(open(p, encoding="utf-8")) for p in sorted(glob.glob(os.path.join(args.devset, "debian-reference-*.clean.json")))]
    while len(en) < args.blocks:
        for d in docs:
            en.extend(d["en"])
            es.extend(d["es"])
    en, es = en[: args.blocks], es[: args.blocks]
    pen, pes, gold = perturb(en, es, 0.05, random.Random(11))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"scale-{args.blocks}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"id": f"scale-{args.blocks}", "en": pen, "es": pes, "gold": gold}, f, ensure_ascii=False)
    # The same blocks as plain text for `bitext align`: one paragraph per line, blank lines between.
    for lang, blocks in (("en", pen), ("es", pes)):
        with open(os.path.join(args.out, f"scale-{args.blocks}.{lang}.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(" ".join(b["text"].split()) or "-" for b in blocks) + "\n")
    print(f"{len(pen)} x {len(pes)} blocks -> {path} and .en.txt/.es.txt")


if __name__ == "__main__":
    main()
