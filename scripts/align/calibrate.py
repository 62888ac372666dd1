#!/usr/bin/env python3
"""Fits the link scorer (Platt scaling: logistic regression on link features, one model per
link class) and prints the reliability table.

Reads predictions written by the DevSetHarness test (each link with its `features`:
[bias, similarity, rival similarity, |z|/8 capped, kind mismatch, log1p(length)/10]) and the
gold links of the development set; a link is right when it equals a gold link (strict).

  fit:  python3 scripts/align/calibrate.py fit --only maint-guide
        (prints the coefficients to paste into Sources/BitextAlign/LinkScoring.swift)
  table: python3 scripts/align/calibrate.py table --only debian-reference
        (reliability of the scores the aligner wrote, on documents not used for fitting)
"""
import argparse
import glob
import json
import math
import os

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))


def rows(devset, pred, only, exclude=""):
    out = []
    for path in sorted(glob.glob(os.path.join(devset, "*.json"))):
        name = os.path.basename(path)
        if only and not any(o in name for o in only.split(",")):
            continue
        if exclude and any(o in name for o in exclude.split(",")):
            continue
        gold = {(tuple(a), tuple(b)) for a, b in json.load(open(path, encoding="utf-8"))["gold"]}
        for link in json.load(open(os.path.join(pred, name))):
            shape = link["shape"]
            cls = "omission" if "0" in shape.split("-") else ("oneToOne" if shape == "1-1" else "manyToMany")
            right = (tuple(link["en"]), tuple(link["es"])) in gold
            out.append((cls, np.array(link["features"]), 1.0 if right else 0.0, link["score"]))
    return out


def fit_logistic(x, y, l2=1e-2, iterations=100):
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-x @ w))
        g = x.T @ (p - y) + l2 * w
        h = (x.T * (p * (1 - p))) @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["fit", "table"])
    ap.add_argument("--devset", default=os.path.join(ROOT, ".data/align/devset"))
    ap.add_argument("--pred", default=os.path.join(ROOT, ".data/align/pred"))
    ap.add_argument("--only", default="maint-guide")
    ap.add_argument("--exclude", default="")
    ap.add_argument("--coefficients", default="", help="JSON {oneToOne:[…], manyToMany:[…], omission:[…]}: score with these instead of the written scores")
    args = ap.parse_args()
    data = rows(args.devset, args.pred, args.only, args.exclude)
    if args.coefficients:
        coefficients = json.loads(args.coefficients)
        data = [(c, f, y, round(float(1 / (1 + np.exp(-np.dot(coefficients[c], f)))), 3)) for c, f, y, _ in data]
    if args.mode == "fit":
        fitted = {}
        for cls in ("oneToOne", "manyToMany", "omission"):
            sel = [(f, y) for c, f, y, _ in data if c == cls]
            if not sel:
                print(f"{cls}: no links")
                continue
            x = np.stack([f for f, _ in sel])
            y = np.array([y for _, y in sel])
            # Monotone by construction: more similarity never lowers a score; a rival, a length
            # mismatch or a kind mismatch never raises it. A coefficient fitted with the wrong
            # sign is fixed at zero and the rest refitted.
            signs = [0, +1, -1, -1, -1, 0]
            free = list(range(x.shape[1]))
            while True:
                w_free = fit_logistic(x[:, free], y)
                bad = [free[k] for k, v in enumerate(w_free) if signs[free[k]] * v < 0]
                if not bad:
                    break
                free = [f for f in free if f not in bad]
            w = np.zeros(x.shape[1])
            w[free] = w_free
            print(f"// {cls}: {len(sel)} links, {int(y.sum())} right")
            print(f"{cls}: [" + ", ".join(f"{v:.4f}" for v in w) + "],")
            fitted[cls] = [round(float(v), 4) for v in w]
        print(json.dumps(fitted))
    else:
        bins = [(i / 10, (i + 1) / 10) for i in range(10)]
        print("| score | links | mean score | right (strict) |")
        print("|---|---|---|---|")
        ece = 0.0
        total = len(data)
        for lo, hi in bins:
            sel = [(s, y) for _, _, y, s in data if lo <= s < hi or (hi == 1.0 and s == 1.0)]
            if not sel:
                continue
            mean = sum(s for s, _ in sel) / len(sel)
            acc = sum(y for _, y in sel) / len(sel)
            ece += len(sel) / total * abs(mean - acc)
            print(f"| {lo:.1f}–{hi:.1f} | {len(sel)} | {mean:.3f} | {acc:.3f} |")
        print(f"\nlinks: {total}; expected calibration error: {ece:.4f}")


if __name__ == "__main__":
    main()
