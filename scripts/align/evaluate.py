#!/usr/bin/env python3
"""Scores paragraph alignments on the development set (scripts/align/build_devset.py).

Convention of Vecalign's score.py (Sennrich & Volk 2011): strict = a predicted link equals
a gold link; lax = it shares at least one paragraph on each side with a gold link.
Precision over predicted links, recall over gold links non-empty on both sides,
micro-averaged over documents. Omissions (1-0 / 0-1) are scored separately: a predicted
omitted paragraph is right when the gold also leaves that paragraph unlinked.

Systems, all run on the same documents in the same invocation:
  bitext      predictions written by the aligner (the DevSetHarness test, or `bitext align`)
  nltk        nltk.translate.gale_church.align_blocks, character lengths, default parameters
  galechurch  the `galechurch` PyPI package (Rust core), default parameters
hunalign is not packaged in Debian 12, so it is not run.

Usage: python3 scripts/align/evaluate.py [--devset .data/align/devset] [--pred .data/align/pred]
                                         [--systems bitext,nltk,galechurch] [--only maint-guide]
"""
import argparse
import glob
import json
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))


# The development set's parts and their roles. Tuning: every parameter and cost was chosen on
# these (and their errors studied one by one). Held out: measured once, at the end, never tuned on.
SETS = {
    "maint-guide": " (tuning)",
    "libreoffice-tune": " (tuning)",
    "debian-reference": " (held out)",
    "libreoffice-held": " (held out)",
}


def links_from_pairs(pairs, n, m):
    """Connected components of aligned index pairs; indices in no pair become omissions."""
    parent = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        a, b = ("e", i), ("s", j)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    links = []
    for nodes in groups.values():
        links.append((tuple(sorted(i for s, i in nodes if s == "e")), tuple(sorted(j for s, j in nodes if s == "s"))))
    covered_e = {i for i, _ in pairs}
    covered_s = {j for _, j in pairs}
    links += [((i,), ()) for i in range(n) if i not in covered_e]
    links += [((), (j,)) for j in range(m) if j not in covered_s]
    return links


def run_nltk(doc):
    import nltk.translate.gale_church as gc
    gc.MAX_ALIGN_BLOCKS = 100000
    en = [max(1, len(b["text"])) for b in doc["en"]]
    es = [max(1, len(b["text"])) for b in doc["es"]]
    pairs = gc.align_blocks(en, es)
    return links_from_pairs(pairs, len(en), len(es))


def run_galechurch(doc):
    import galechurch
    r = galechurch.align([b["text"] or " " for b in doc["en"]], [b["text"] or " " for b in doc["es"]])
    return [(tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end))) for b in r.beads]


def counts(gold, test):
    gold = [(tuple(a), tuple(b)) for a, b in gold]
    test = [(tuple(a), tuple(b)) for a, b in test]
    gold_set = set(gold)
    test_set = set(test)
    c = dict(p_strict=0, p_lax=0, n_pred=0, r_strict=0, r_lax=0, n_gold=0, om_tp=0, om_pred=0, om_gold=0)
    for a, b in test_set:
        if not a and not b:
            continue
        c["n_pred"] += 1
        if (a, b) in gold_set:
            c["p_strict"] += 1
            c["p_lax"] += 1
        elif a and b and any(set(a) & set(ga) and set(b) & set(gb) for ga, gb in gold):
            c["p_lax"] += 1
    for a, b in gold_set:
        if not a or not b:
            continue
        c["n_gold"] += 1
        if (a, b) in test_set:
            c["r_strict"] += 1
            c["r_lax"] += 1
        elif any(set(a) & set(ta) and set(b) & set(tb) for ta, tb in test):
            c["r_lax"] += 1
    gold_om = {("e", a[0]) for a, b in gold if a and not b} | {("s", b[0]) for a, b in gold if b and not a}
    test_om = {("e", i) for a, b in test if a and not b for i in a} | {("s", j) for a, b in test if b and not a for j in b}
    c["om_tp"] = len(gold_om & test_om)
    c["om_pred"] = len(test_om)
    c["om_gold"] = len(gold_om)
    return c


def prf(tp_p, n_p, tp_r, n_r):
    p = tp_p / n_p if n_p else 1.0
    r = tp_r / n_r if n_r else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load_docs(devset, only, variant):
    docs = []
    for path in sorted(glob.glob(os.path.join(devset, f"*.{variant}.json"))):
        name = os.path.basename(path)
        if only and not any(o in name for o in only.split(",")):
            continue
        with open(path, encoding="utf-8") as f:
            docs.append((name, json.load(f)))
    return docs


def predict(system, name, doc, pred_dir, cache_dir):
    if system == "bitext":
        with open(os.path.join(pred_dir, name), encoding="utf-8") as f:
            return [(p["en"], p["es"]) for p in json.load(f)]
    cache = os.path.join(cache_dir, system, name)
    if os.path.exists(cache):
        with open(cache) as f:
            return [tuple(map(tuple, l)) for l in json.load(f)]
    links = run_nltk(doc) if system == "nltk" else run_galechurch(doc)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump([[list(a), list(b)] for a, b in links], f)
    return links


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devset", default=os.path.join(ROOT, ".data/align/devset"))
    ap.add_argument("--pred", default=os.path.join(ROOT, ".data/align/pred"))
    ap.add_argument("--cache", default=os.path.join(ROOT, ".data/align/baselines"))
    ap.add_argument("--systems", default="bitext,nltk,galechurch")
    ap.add_argument("--only", default="")
    ap.add_argument("--variants", default="clean,perturbed")
    ap.add_argument("--errors", action="store_true", help="list bitext's wrong links")
    args = ap.parse_args()
    print("| set | variant | system | docs | gold links | strict P | strict R | strict F1 | lax P | lax R | lax F1 | omission P | omission R | omission F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    pooled = {}  # (pool, variant, system) -> counts summed over the sets of the pool
    groups = args.only.split(",") if args.only else list(SETS)
    for group in groups:
        for variant in args.variants.split(","):
            docs = load_docs(args.devset, group, variant)
            if not docs:
                continue
            for system in args.systems.split(","):
                total = {}
                for name, doc in docs:
                    test = predict(system, name, doc, args.pred, args.cache)
                    c = counts(doc["gold"], test)
                    for k, v in c.items():
                        total[k] = total.get(k, 0) + v
                    if args.errors and system == "bitext":
                        gold = {(tuple(a), tuple(b)) for a, b in doc["gold"]}
                        for a, b in test:
                            if (tuple(a), tuple(b)) not in gold:
                                ea = " | ".join(doc["en"][i]["text"][:60] for i in a)
                                eb = " | ".join(doc["es"][j]["text"][:60] for j in b)
                                print(f"  {name} {list(a)}-{list(b)}: {ea!r} <> {eb!r}", file=sys.stderr)
                print_row(f"{group}{SETS.get(group, '')}", variant, system, len(docs), total)
                pools = ["all sets" if not args.only else "these sets"]
                pools += ["held out (both)"] if not args.only and "held out" in SETS.get(group, "") else []
                for pool in pools:
                    summed = pooled.setdefault((pool, variant, system), {"docs": 0})
                    summed["docs"] += len(docs)
                    for k, v in total.items():
                        summed[k] = summed.get(k, 0) + v
    # Micro-averaged over every document of the pool, as within a set.
    if len(groups) > 1:
        for (pool, variant, system), total in pooled.items():
            print_row(f"**{pool}**", variant, system, total.pop("docs"), total)


def print_row(label, variant, system, docs, total):
    sp, sr, sf = prf(total["p_strict"], total["n_pred"], total["r_strict"], total["n_gold"])
    lp, lr, lf = prf(total["p_lax"], total["n_pred"], total["r_lax"], total["n_gold"])
    op, orr, of = prf(total["om_tp"], total["om_pred"], total["om_tp"], total["om_gold"])
    if not total["om_gold"] and not total["om_pred"]:
        om = "– | – | –"
    elif not total["om_pred"]:
        om = f"– (none predicted) | {orr:.3f} | {of:.3f}"
    elif not total["om_gold"]:
        om = f"{op:.3f} ({total['om_pred']} predicted, none in gold) | – | –"
    else:
        om = f"{op:.3f} | {orr:.3f} | {of:.3f}"
    print(f"| {label} | {variant} | {system} | {docs} | {total['n_gold']} | {sp:.4f} | {sr:.4f} | {sf:.4f} | {lp:.4f} | {lr:.4f} | {lf:.4f} | {om} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
