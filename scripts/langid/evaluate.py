#!/usr/bin/env python3
"""Held-out English-vs-Spanish evaluation of `bitext identify`, langid.py and lingua.

Usage: scripts/langid/evaluate.py [--bitext .build/release/bitext] [--markdown]

Reads .data/langid/eval.tsv (built by corpus.py from sources the model never saw: LibreOffice
help and the PostgreSQL/GTK message catalogs). Every identifier labels the same items in the
same run:
  * bitext (full model: en, es, pt, ca, it, fr, gl or und), and bitext restricted to en/es
    (`--languages en,es`, the condition the peers run in);
  * langid.py 1.1.6 with set_languages(['en', 'es']);
  * lingua 2.x built from ENGLISH and SPANISH only (None counts as und).
A label other than the item's language (including pt, ca, … for the full model) is an
error; `und` is counted apart. Accuracy = right / items. Bands by characters (code points).
"""

import argparse
import collections
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BANDS = ["<=20", "21-50", "51-150", ">150"]


def band(text):
    n = len(text)
    return BANDS[0] if n <= 20 else BANDS[1] if n <= 50 else BANDS[2] if n <= 150 else BANDS[3]


def run_bitext(binary, texts, extra):
    data = ("\n".join(texts) + "\n").encode("utf-8")
    start = time.perf_counter()
    proc = subprocess.run([binary, "identify", "--time", *extra], input=data, capture_output=True, check=True)
    wall = time.perf_counter() - start
    labels = [line.split("\t")[0] for line in proc.stdout.decode().splitlines()]
    assert len(labels) == len(texts), (len(labels), len(texts))
    timing = proc.stderr.decode().strip()
    cpu = float(timing.split(" s CPU")[0].split(", ")[-1])
    return labels, wall, cpu, timing


def run_langid(texts):
    from langid.langid import LanguageIdentifier, model
    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(["en", "es"])
    start, cpu = time.perf_counter(), time.process_time()
    labels = [identifier.classify(t)[0] for t in texts]
    return labels, time.perf_counter() - start, time.process_time() - cpu


def run_lingua(texts):
    from lingua import Language, LanguageDetectorBuilder
    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()
    codes = {Language.ENGLISH: "en", Language.SPANISH: "es"}
    start, cpu = time.perf_counter(), time.process_time()
    labels = [codes.get(detector.detect_language_of(t), "und") for t in texts]
    return labels, time.perf_counter() - start, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bitext", default=os.path.join(ROOT, ".build", "release", "bitext"))
    parser.add_argument("--eval", default=os.path.join(ROOT, ".data", "langid", "eval.tsv"))
    args = parser.parse_args()

    gold, texts, sources = [], [], []
    with open(args.eval, encoding="utf-8") as f:
        for line in f:
            lang, source, text = line.rstrip("\n").split("\t", 2)
            gold.append(lang)
            sources.append(source)
            texts.append(text)
    nbytes = sum(len(t.encode("utf-8")) + 1 for t in texts)

    systems = {
        "bitext": run_bitext(args.bitext, texts, []),
        "bitext (en/es only)": run_bitext(args.bitext, texts, ["--languages", "en,es"]),
        "langid.py (en/es)": (*run_langid(texts), ""),
        "lingua (en/es)": (*run_lingua(texts), ""),
    }

    counts = collections.Counter(band(t) for t in texts)
    by_source = collections.Counter(sources)
    print(f"items: {len(texts)} ({', '.join(f'{b}: {counts[b]}' for b in BANDS)}); "
          f"sources: {', '.join(f'{s} {n}' for s, n in sorted(by_source.items()))}")
    print()
    print("| identifier | " + " | ".join(f"{b} acc / und" for b in BANDS) + " | items/s (CPU) | MB/s per core (CPU) |")
    print("|---|" + "---|" * (len(BANDS) + 2))
    for name, (labels, wall, cpu, timing) in systems.items():
        cells = []
        for b in BANDS:
            idx = [i for i, t in enumerate(texts) if band(t) == b]
            right = sum(1 for i in idx if labels[i] == gold[i])
            und = sum(1 for i in idx if labels[i] == "und")
            cells.append(f"{100 * right / len(idx):.2f}% / {100 * und / len(idx):.2f}%")
        print(f"| {name} | " + " | ".join(cells) + f" | {len(texts) / cpu:,.0f} | {nbytes / cpu / 1e6:.1f} |")
    print()
    print("CPU time: the identification loop's thread CPU time for bitext (`identify --time`), the")
    print("process CPU time of the classification loop for the Python peers (model loading excluded).")
    for name, (labels, wall, cpu, timing) in systems.items():
        if timing:
            print(f"{name}: {timing}")
    # Errors of the full model, for inspection.
    labels = systems["bitext"][0]
    errors = [(gold[i], labels[i], texts[i]) for i in range(len(texts)) if labels[i] not in (gold[i], "und")]
    print(f"\nbitext errors: {len(errors)}; first 40:", file=sys.stderr)
    for g, l, t in errors[:40]:
        print(f"  {g} -> {l}: {t[:100]}", file=sys.stderr)


if __name__ == "__main__":
    main()
