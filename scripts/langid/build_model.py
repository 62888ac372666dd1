#!/usr/bin/env python3
"""Build Sources/BitextLanguage/Resources/langid.bin from .data/langid/train (corpus.py).

Model: per language, byte n-grams (1–5) of words padded with spaces, counted on the
training text plus the language's word list (at a reduced weight), the most frequent
n-grams of each order kept; and the most frequent words with their own probabilities
(word evidence; dictionary membership adds a pseudo-count). Costs are -ln p quantized to
1/8 nat in one byte. Every 20th training text is held back as a development split, used
only to choose the decision parameters (word weight, prior on the non-pair languages,
temperature, `und` threshold); the test set (eval.tsv) is never read here.
"""

import collections
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from model import LANGS, PAIR, SCALE, Model, Scorer, decide, letter_count, ngrams, words  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, ".data", "langid", "train")
RESOURCE = os.environ.get("LANGID_OUT") or os.path.join(ROOT, "Sources", "BitextLanguage", "Resources", "langid.bin")

TOP_NGRAMS = {1: 400, 2: 2500, 3: 7000, 4: 7000, 5: 6000}  # per language and order
TOP_WORDS = 6000           # per language
DICTIONARY_SHARE = 0.25    # word-list mass relative to the text's token mass
DICTIONARY_PSEUDO = 0.5    # word-evidence pseudo-count for a word in the language's word list
ALPHA = 0.5                # additive smoothing


def quantize(logp):
    return min(255, max(0, round(-logp * SCALE)))


def main():
    import pickle
    cache = os.path.join(ROOT, ".data", "langid", "features.pickle")
    dev = {}
    for lang in LANGS:
        with open(os.path.join(DATA, f"{lang}.txt"), encoding="utf-8") as f:
            dev[lang] = [l.rstrip("\n") for i, l in enumerate(f) if i % 20 == 7]
    if "--reuse-features" in sys.argv and os.path.exists(cache):
        with open(cache, "rb") as f:
            ngram_costs, word_costs = pickle.load(f)
    else:
        ngram_costs, word_costs = features()
        with open(cache, "wb") as f:
            pickle.dump((ngram_costs, word_costs), f)
    model = Model(ngram_costs, word_costs, word_weight=1.0, prior={l: 0.0 for l in LANGS},
                  temperature=5.0, threshold=0.5, min_letters=2)
    tune(model, dev)
    size = model.write(RESOURCE)
    print(f"wrote {RESOURCE}: {size} bytes", file=sys.stderr)


def features():
    """Counts the training text (all but the development split) into the two cost tables."""
    texts = {}
    for lang in LANGS:
        with open(os.path.join(DATA, f"{lang}.txt"), encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f]
        texts[lang] = [l for i, l in enumerate(lines) if i % 20 != 7]

    word_counts, dictionaries, gram_counts = {}, {}, {}
    for lang in LANGS:
        wc = collections.Counter()
        for t in texts[lang]:
            wc.update(words(t))
        word_counts[lang] = wc
        with open(os.path.join(DATA, f"{lang}.words"), encoding="utf-8") as f:
            dictionary = set()
            for line in f:
                dictionary.update(words(line.strip()))
        dictionaries[lang] = dictionary
        tokens = sum(wc.values())
        dict_weight = DICTIONARY_SHARE * tokens / max(1, len(dictionary))
        gc = collections.Counter()
        for w, c in wc.items():
            for g in ngrams(w):
                gc[g] += c
        for w in dictionary:
            for g in ngrams(w):
                gc[g] += dict_weight
        gram_counts[lang] = gc
        print(f"{lang}: {tokens} tokens, {len(wc)} word types, {len(dictionary)} dictionary words, "
              f"{len(gc)} n-grams", file=sys.stderr)

    # Feature selection: the most frequent n-grams of each order in each language.
    selected = set()
    for lang in LANGS:
        by_order = collections.defaultdict(list)
        for g, c in gram_counts[lang].items():
            by_order[len(g)].append((c, g))
        for n, items in by_order.items():
            items.sort(key=lambda x: (-x[0], x[1]))
            selected.update(g for _, g in items[:TOP_NGRAMS[n]])
    vocab_by_order = collections.Counter(len(g) for g in selected)
    ngram_costs = {}
    totals = {(lang, n): sum(c for g, c in gram_counts[lang].items() if len(g) == n)
              for lang in LANGS for n in TOP_NGRAMS}
    for g in selected:
        n = len(g)
        ngram_costs[g] = [quantize(math.log((gram_counts[lang].get(g, 0) + ALPHA) /
                                            (totals[(lang, n)] + ALPHA * vocab_by_order[n])))
                          for lang in LANGS]

    top_words = set()
    for lang in LANGS:
        top_words.update(w for w, _ in word_counts[lang].most_common(TOP_WORDS))
    word_costs = {}
    for w in top_words:
        row = []
        for lang in LANGS:
            c = word_counts[lang].get(w, 0) + (DICTIONARY_PSEUDO if w in dictionaries[lang] else 0)
            n = sum(word_counts[lang].values())
            row.append(quantize(math.log((c + ALPHA * 0.1) / (n + ALPHA * 0.1 * len(top_words)))))
        word_costs[w] = row
    print(f"model: {len(ngram_costs)} n-grams, {len(word_costs)} words", file=sys.stderr)
    return ngram_costs, word_costs


def band(text):
    n = len(text)
    return 0 if n <= 20 else 1 if n <= 50 else 2 if n <= 150 else 3


def tune(model, dev):
    """Pick word weight, prior penalty, temperature and threshold on the development split.

    Objective: errors on en/es items (a wrong pair language or another language) cost 1;
    `und` costs 0.3 for items of 20 characters or fewer and 1 above (the bands' accuracy
    targets); items of the other languages labelled en/es cost 1."""
    items = []
    for lang in LANGS:
        rows = dev[lang][:1500] if lang in PAIR else dev[lang][:400]
        items.extend((lang, t) for t in rows if letter_count(t) > 0)
    best = None
    for word_weight in (3.0, 4.0, 6.0):
        model.word_weight = word_weight
        scorer = Scorer(model)
        totals = [(lang, text, *scorer.costs(text)) for lang, text in items]
        for penalty in (8.0, 16.0, 24.0, 32.0, 48.0):
            prior = {l: (0.0 if l in PAIR else penalty) for l in LANGS}
            for temperature in (8.0, 12.0, 16.0, 24.0):
                model.temperature = temperature
                probs = [(lang, text, letters, scorer.posterior(total, prior))
                         for lang, text, total, letters in totals]
                for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
                    loss = 0.0
                    for lang, text, letters, p in probs:
                        guess = "und" if letters < model.min_letters else decide(p, threshold)[0]
                        if lang in PAIR:
                            if guess == "und":
                                loss += 0.3 if band(text) == 0 else 1.0
                            elif guess != lang:
                                loss += 1.0
                        elif guess in PAIR:
                            loss += 1.0
                    key = (loss, word_weight, penalty, temperature, threshold)
                    if best is None or key < best:
                        best = key
        print(f"tuning: word weight {word_weight}: best so far {best}", file=sys.stderr)
    _, model.word_weight, penalty, model.temperature, model.threshold = best
    model.prior = {l: (0.0 if l in PAIR else penalty) for l in LANGS}
    print(f"chosen: word_weight={model.word_weight} prior_penalty={penalty} "
          f"temperature={model.temperature} threshold={model.threshold} (dev loss {best[0]:.1f} "
          f"on {len(items)} items)", file=sys.stderr)
    scorer = Scorer(model)
    report = collections.defaultdict(collections.Counter)
    for lang, text in items:
        guess, _ = scorer.identify(text)
        cell = (lang, band(text)) if lang in PAIR else (lang, "all")
        report[cell]["n"] += 1
        report[cell]["right" if guess == lang else "und" if guess == "und" else "pair" if guess in PAIR else "other"] += 1
    for cell in sorted(report):
        r = report[cell]
        print(f"  dev {cell}: n={r['n']} right={r['right'] / r['n']:.3f} und={r['und'] / r['n']:.3f} "
              f"as-en/es={r['pair'] / r['n']:.3f} as-other={r['other'] / r['n']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
