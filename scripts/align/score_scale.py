#!/usr/bin/env python3
"""Scores `bitext align` JSON outputs of a scale input (scripts/align/build_scale.py) against its
gold links, with the development set's convention (evaluate.py: strict and lax link F1,
omissions apart). Used to compare whole and windowed alignment (align.paragraphs `window`).

Usage: python3 scripts/align/score_scale.py .data/align/scale/scale-30000.json OUT.json [OUT.json ...]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from evaluate import counts, prf  # noqa: E402


def main():
    gold_doc = json.load(open(sys.argv[1], encoding="utf-8"))
    print("| output | paragraphs en/es | links | strict P | strict R | strict F1 | lax F1 | omission F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for path in sys.argv[2:]:
        out = json.load(open(path, encoding="utf-8"))
        paragraphs = out["paragraphs"]
        n, m = len(paragraphs.get("en", [])), len(paragraphs.get("es", []))
        if (n, m) != (len(gold_doc["en"]), len(gold_doc["es"])):
            print(f"{path}: {n} x {m} paragraphs, gold has {len(gold_doc['en'])} x {len(gold_doc['es'])}", file=sys.stderr)
        test = [(l["en"], l["es"]) for l in out["alignment"]]
        c = counts(gold_doc["gold"], test)
        sp, sr, sf = prf(c["p_strict"], c["n_pred"], c["r_strict"], c["n_gold"])
        _, _, lf = prf(c["p_lax"], c["n_pred"], c["r_lax"], c["n_gold"])
        _, _, of = prf(c["om_tp"], c["om_pred"], c["om_tp"], c["om_gold"])
        print(f"| {os.path.basename(path)} | {n}/{m} | {len(test)} | {sp:.4f} | {sr:.4f} | {sf:.4f} | {lf:.4f} | {of:.4f} |")


if __name__ == "__main__":
    main()
