#!/usr/bin/env python3
"""Lists every omission error of bitext on a part of the development set, with context.

For each paragraph that the gold leaves unlinked but bitext links (a missed omission) or that
bitext leaves unlinked but the gold links (a false omission): the gold link and the predicted
link holding it, with kinds and texts, so that the errors can be classified by hand.

Usage: python3 scripts/align/omission_errors.py [--only libreoffice-tune] [--pred .data/align/pred]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import evaluate  # noqa: E402


def describe(doc, link):
    a, b = link
    en = " | ".join(f"[{doc['en'][i]['kind'][:4]}] {doc['en'][i]['text'][:70]}" for i in a)
    es = " | ".join(f"[{doc['es'][j]['kind'][:4]}] {doc['es'][j]['text'][:70]}" for j in b)
    return f"{list(a)}-{list(b)}: {en!r} <> {es!r}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=os.path.join(evaluate.ROOT, ".data/align/devset"))
    ap.add_argument("--pred", default=os.path.join(evaluate.ROOT, ".data/align/pred"))
    ap.add_argument("--only", default="libreoffice-tune")
    args = ap.parse_args()
    missed = false = 0
    for name, doc in evaluate.load_docs(args.devset, args.only, "perturbed"):
        gold = [(tuple(a), tuple(b)) for a, b in doc["gold"]]
        test = evaluate.predict("bitext", name, doc, args.pred, None)
        test = [(tuple(a), tuple(b)) for a, b in test]

        def holding(links, side, k):
            return next((l for l in links if k in (l[0] if side == "e" else l[1])), None)

        gold_om = {("e", a[0]) for a, b in gold if a and not b} | {("s", b[0]) for a, b in gold if b and not a}
        test_om = {("e", i) for a, b in test if a and not b for i in a} | {("s", j) for a, b in test if b and not a for j in b}
        for side, k in sorted(gold_om ^ test_om):
            kind = "MISSED" if (side, k) in gold_om else "FALSE"
            missed += kind == "MISSED"
            false += kind == "FALSE"
            print(f"{kind} {name} {side}{k}")
            print("   gold:", describe(doc, holding(gold, side, k)))
            print("   pred:", describe(doc, holding(test, side, k)))
    print(f"missed {missed}, false {false}")


if __name__ == "__main__":
    main()
