#!/usr/bin/env python3
"""Paragraph alignment of PLAIN TEXT through the CLI, where block kinds are guessed from the
text (a short line without a full stop reads as a heading, a leading "1." as a list item)
instead of read from markup.

Tuning set (`--set tune`, the default): the tuning documents of the paragraph development set
(scripts/align/build_devset.py: maint-guide + libreoffice-tune, clean and perturbed), each
side rendered as plain text, one paragraph per blank-line block (white space folded, an empty
block written "-"), exactly as scripts/align/build_scale.py renders its held-out input; the gold
links carry over unchanged because block k of the text is block k of the set.

Held out (`--set scale`): scripts/align/build_scale.py's --blocks N pair (debian-reference,
re-perturbed with its own seed), the plain-text figure BENCHMARKS.md reports.

Every document pair goes through `bitext align EN.txt ES.txt --pipeline
scripts/align/scale-pipeline.yaml --format json`; its paragraph links are scored with
evaluate.counts (Vecalign's strict/lax convention, omissions separately), micro-averaged per
variant. A document whose block count differs from the set's is reported and left out.

Files: .data/align/plaintext/<doc>.<variant>.{en,es}.txt, predictions .data/align/plaintext/pred/.
Usage: python3 scripts/align/plaintext_eval.py [--set tune|scale] [--blocks 5000]
                                               [--bitext .build/debug/bitext] [--errors]
"""
import argparse
import concurrent.futures
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import counts, prf  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
TUNING = ("maint-guide-", "libreoffice-tune-")


def render(blocks):
    return "\n\n".join(" ".join(b["text"].split()) or "-" for b in blocks) + "\n"


def pairs(args):
    """(name, variant, set document) of the chosen set, the plain-text files written."""
    out = os.path.join(ROOT, ".data/align/plaintext")
    os.makedirs(os.path.join(out, "pred"), exist_ok=True)
    found = []
    if args.set == "tune":
        for path in sorted(glob.glob(os.path.join(ROOT, ".data/align/devset/*.json"))):
            name, variant, _ = os.path.basename(path).rsplit(".", 2)
            if name.startswith(TUNING):
                found.append((name, variant, path))
    else:
        path = os.path.join(ROOT, f".data/align/scale/scale-{args.blocks}.json")
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts/align/build_scale.py"), "--blocks", str(args.blocks)], check=True)
        found.append((f"scale-{args.blocks}", "perturbed", path))
    result = []
    for name, variant, path in found:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        stem = os.path.join(out, f"{name}.{variant}")
        for lang in ("en", "es"):
            with open(f"{stem}.{lang}.txt", "w", encoding="utf-8") as f:
                f.write(render(doc[lang]))
        result.append((name, variant, doc, stem))
    return result


def run(bitext, stem):
    pred = stem.replace("/plaintext/", "/plaintext/pred/") + ".json"
    with open(pred, "w", encoding="utf-8") as f:
        subprocess.run([bitext, "align", stem + ".en.txt", stem + ".es.txt", "--pipeline",
                        os.path.join(ROOT, "scripts/align/scale-pipeline.yaml"), "--format", "json"], stdout=f, check=True)
    with open(pred, encoding="utf-8") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=("tune", "scale"), default="tune")
    ap.add_argument("--blocks", type=int, default=5000)
    ap.add_argument("--bitext", default=os.path.join(ROOT, ".build/debug/bitext"))
    ap.add_argument("--errors", action="store_true", help="list wrong links on stderr")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    docs = pairs(args)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outputs = list(pool.map(lambda d: run(args.bitext, d[3]), docs))
    totals = {}
    for (name, variant, doc, _), out in zip(docs, outputs):
        n_en, n_es = len(out["paragraphs"].get("en", [])), len(out["paragraphs"].get("es", []))
        if (n_en, n_es) != (len(doc["en"]), len(doc["es"])):
            print(f"skipped {name}.{variant}: {n_en}/{n_es} blocks read, {len(doc['en'])}/{len(doc['es'])} in the set", file=sys.stderr)
            continue
        gold = [(tuple(a), tuple(b)) for a, b in doc["gold"]]
        test = [(tuple(l["en"]), tuple(l["es"])) for l in out.get("alignment") or []]
        t = totals.setdefault(variant, {"docs": 0})
        t["docs"] += 1
        for k, v in counts(gold, test).items():
            t[k] = t.get(k, 0) + v
        if args.errors:
            kinds = {s: [p["kind"] for p in out["paragraphs"][s]] for s in ("en", "es")}
            for a, b in sorted(set(test) - set(gold)):
                show = lambda s, ids: " | ".join(f"[{kinds[s][i]}] " + " ".join(doc[s][i]["text"].split())[:70] for i in ids)
                print(f"{name}.{variant} {list(a)}-{list(b)}\n   EN {show('en', a)}\n   ES {show('es', b)}", file=sys.stderr)
    print("| set | variant | documents | gold links | strict P | strict R | strict F1 | lax F1 | omission P / R / F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for variant, t in sorted(totals.items()):
        sp, sr, sf = prf(t["p_strict"], t["n_pred"], t["r_strict"], t["n_gold"])
        _, _, lf = prf(t["p_lax"], t["n_pred"], t["r_lax"], t["n_gold"])
        op, orr, of = prf(t["om_tp"], t["om_pred"], t["om_tp"], t["om_gold"])
        om = f"{op:.3f} / {orr:.3f} / {of:.3f}" if t["om_gold"] or t["om_pred"] else "–"
        print(f"| {args.set} | {variant} | {t['docs']} | {t['n_gold']} | {sp:.4f} | {sr:.4f} | {sf:.4f} | {lf:.4f} | {om} |")


if __name__ == "__main__":
    main()
