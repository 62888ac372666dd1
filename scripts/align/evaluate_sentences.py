#!/usr/bin/env python3
"""Scores sentence segmentation and sentence alignment on the message-catalog set
(scripts/align/build_sentence_devset.py), from the predictions of the SentenceDevSetHarness test.

Alignment: Vecalign's strict/lax precision/recall/F1 (the functions of scripts/align/evaluate.py),
micro-averaged over pseudo-paragraphs. Gold beads are unit-level; they are mapped onto the
sentences a run used: a gold bead holds every sentence that overlaps one of its units, and beads
sharing a sentence (a unit boundary the segmenter missed) merge. Every system is scored on the
same sentences:
  bitext   bitext's align.sentences
  nltk     nltk.translate.gale_church.align_blocks over the character lengths of the same sentences
A gold bead with 2+ sentences on both sides has no known inner alignment: predicted beads that
exactly tile it count as that one bead (for every system alike); a gold omission of a unit with k
sentences is k one-sentence omissions (the aligners link sentences, and an omitted unit has no
inner alignment either). Two runs: `segmenter` (bitext's segment.sentences) and `units` (gold units given as sentences:
the aligners alone).

Segmentation: every boundary between two units is a gold sentence boundary (recall). For
precision, a break inside a unit is false when the unit is one sentence; a unit counts as one
sentence when its translation has no terminal punctuation followed by a space before its end
(translators keep sentence counts), else its inner breaks are not scored. Also shown for a
floor: a bare regex splitter (terminal punctuation, space, capital).

Headings: numbered headings of the documentation (kind heading in the paragraph dev set) are one
sentence each: the share kept whole.

Agreement: on entries with a place inside where a sentence may end (the inner variant), how
often the English and Spanish sides get the same number of sentences; translators mostly keep
the count, so a disagreement usually shows an error on one side.

Usage: python3 scripts/align/evaluate_sentences.py [--data .data/align/sentences]
                 [--splits dev,held] [--errors dev]   (--errors lists segmentation errors)
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import counts, links_from_pairs, prf  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
CANDIDATE = re.compile(r"[.!?…][\"'”’»)\]]*\s")
REGEX_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(¿¡]*[A-ZÁÉÍÓÚÑÜ0-9])")


def gold_on(sentences, units, gold):
    """Gold unit beads as beads over `sentences` (byte ranges), merged where a sentence spans beads."""
    def overlapping(ranges, unit_ids):
        out = set()
        for u in unit_ids:
            a, b = units_of[ranges][u]
            out |= {k for k, (s, e) in enumerate(sentences[ranges]) if s < b and a < e}
        return out

    units_of = units
    beads = [(overlapping("en", ge), overlapping("es", gs)) for ge, gs in gold]
    merged = True
    while merged:
        merged = False
        for x in range(len(beads)):
            for y in range(x + 1, len(beads)):
                if beads[x][0] & beads[y][0] or beads[x][1] & beads[y][1]:
                    beads[x] = (beads[x][0] | beads[y][0], beads[x][1] | beads[y][1])
                    del beads[y]
                    merged = True
                    break
            if merged:
                break
    out = []
    for a, b in beads:
        if a and b:
            out.append((tuple(sorted(a)), tuple(sorted(b))))
        else:  # an omitted unit of k sentences is k omitted sentences (nothing inside to align)
            out += [((i,), ()) for i in sorted(a)] + [((), (j,)) for j in sorted(b)]
    return out


def coarsen(gold, test):
    """Merges the predicted beads that exactly tile a gold bead with 2+ sentences on both sides:
    the units give no alignment inside such a bead, so any monotone split of it is right."""
    test = list(test)
    for ga, gb in gold:
        if len(ga) < 2 or len(gb) < 2:
            continue
        inside = [t for t in test if set(t[0]) <= set(ga) and set(t[1]) <= set(gb)]
        if len(inside) > 1 and sorted(i for t in inside for i in t[0]) == list(ga) and sorted(j for t in inside for j in t[1]) == list(gb):
            test = [t for t in test if t not in inside] + [(ga, gb)]
    return test


def nltk_beads(en_lengths, es_lengths):
    import nltk.translate.gale_church as gc
    if not en_lengths or not es_lengths:
        return [((i,), ()) for i in range(len(en_lengths))] + [((), (j,)) for j in range(len(es_lengths))]
    pairs = gc.align_blocks([max(1, n) for n in en_lengths], [max(1, n) for n in es_lengths])
    return links_from_pairs(pairs, len(en_lengths), len(es_lengths))


def regex_sentences(text):
    data = text.encode("utf-8")
    out, start = [], 0
    for m in REGEX_BREAK.finditer(text):
        end = len(text[:m.start()].encode("utf-8"))
        out.append([start, end])
        start = len(text[:m.end()].encode("utf-8"))
    out.append([start, len(data)])
    return out


def segmentation_counts(paragraph, sentences, side, c, errors=None):
    """Boundary counts of one side: found/gold unit boundaries, false/scored inner breaks."""
    units = paragraph[side + "_units"]
    other = "es" if side == "en" else "en"
    text = paragraph[side].encode("utf-8")
    other_text = paragraph[other].encode("utf-8")
    starts = {s for s, _ in sentences[1:]}
    for k in range(1, len(units)):
        c["gold"] += 1
        if units[k][0] in starts:
            c["found"] += 1
        elif errors is not None:
            errors.append(("missed", text[units[k - 1][0]:units[k][1]].decode()))
    for k, (a, b) in enumerate(units):
        inner = [s for s in starts if a < s < b]
        # The translation of the unit: by position when both sides have the same number of units.
        if len(paragraph[other + "_units"]) != len(units):
            continue
        oa, ob = paragraph[other + "_units"][k]
        if CANDIDATE.search(other_text[oa:ob].decode()):
            continue  # the translation may hold several sentences: not scored
        c["scored_units"] += 1
        c["inner_scored"] += len(inner)
        if inner and errors is not None:
            errors.append(("false", text[a:b].decode()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, ".data/align/sentences"))
    ap.add_argument("--splits", default="dev,held")
    ap.add_argument("--variants", default="clean,deleted,merged,inner,docs,headings,help")
    ap.add_argument("--align-errors", default="", help="a split whose wrong bitext sentence links are listed on stderr")
    ap.add_argument("--errors", default="", help="a split whose segmentation errors (clean variant) are listed on stderr")
    args = ap.parse_args()

    align_rows, seg_rows, agree_rows, heading_rows = [], [], [], []
    for split in args.splits.split(","):
        for variant in args.variants.split(","):
            path = os.path.join(args.data, f"{split}.{variant}.json")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                paragraphs = {p["id"]: p for d in json.load(f) for p in d["paragraphs"]}
            if not paragraphs:
                continue
            for mode in ("segmenter", "units"):
                with open(os.path.join(args.data, "pred", f"{split}.{variant}.{mode}.json"), encoding="utf-8") as f:
                    predictions = json.load(f)
                totals = {"bitext": {}, "nltk": {}}
                for pred in predictions:
                    p = paragraphs[pred["id"]]
                    sentences = {"en": pred["en_sentences"], "es": pred["es_sentences"]}
                    gold = gold_on(sentences, {"en": p["en_units"], "es": p["es_units"]}, p["gold"])
                    lengths = {s: [len(p[s].encode("utf-8")[a:b].decode()) for a, b in sentences[s]] for s in ("en", "es")}
                    systems = {"bitext": [(tuple(a), tuple(b)) for a, b in pred["links"]], "nltk": nltk_beads(lengths["en"], lengths["es"])}
                    if args.align_errors == split:
                        gold_set = set(gold)
                        for a, b in coarsen(gold, systems["bitext"]):
                            if (a, b) not in gold_set:
                                show = lambda s, ids: " | ".join(p[s].encode("utf-8")[sentences[s][i][0]:sentences[s][i][1]].decode()[:90] for i in ids)
                                print(f"{variant} {mode} {p['id']} {list(a)}-{list(b)} gold {gold}\n   EN {show('en', a)!r}\n   ES {show('es', b)!r}", file=sys.stderr)
                    for system, test in systems.items():
                        for k, v in counts(gold, coarsen(gold, test)).items():
                            totals[system][k] = totals[system].get(k, 0) + v
                for system, t in totals.items():
                    sp, sr, sf = prf(t["p_strict"], t["n_pred"], t["r_strict"], t["n_gold"])
                    lp, lr, lf = prf(t["p_lax"], t["n_pred"], t["r_lax"], t["n_gold"])
                    op, orr, of = prf(t["om_tp"], t["om_pred"], t["om_tp"], t["om_gold"])
                    om = f"{op:.3f} / {orr:.3f} / {of:.3f}" if t["om_gold"] or t["om_pred"] else "–"
                    align_rows.append(f"| {split} | {variant} | {mode} | {system} | {len(predictions)} | {t['n_gold']} | "
                                      f"{sp:.4f} | {sr:.4f} | {sf:.4f} | {lp:.4f} | {lr:.4f} | {lf:.4f} | {om} |")
                if variant not in ("clean", "deleted", "merged"):
                    align_rows = align_rows[:-2]  # one bead per paragraph: nothing to align
                if mode == "segmenter" and variant == "headings":
                    for segmenter in ("bitext", "regex"):
                        whole = {"en": 0, "es": 0}
                        for pred in predictions:
                            p = paragraphs[pred["id"]]
                            for s in whole:
                                found = pred[s + "_sentences"] if segmenter == "bitext" else regex_sentences(p[s])
                                whole[s] += len(found) == 1
                                if len(found) != 1 and args.errors == split and segmenter == "bitext":
                                    print(f"heading split: {p[s]}", file=sys.stderr)
                        n = max(1, len(predictions))
                        heading_rows.append(f"| {split} | {segmenter} | {len(predictions)} | {whole['en'] / n:.4f} | {whole['es'] / n:.4f} |")
                if mode == "segmenter" and variant in ("inner", "docs", "help"):
                    for segmenter in ("bitext", "regex"):
                        same = 0
                        for pred in predictions:
                            p = paragraphs[pred["id"]]
                            if segmenter == "bitext":
                                found = {s: pred[s + "_sentences"] for s in ("en", "es")}
                            else:
                                found = {s: regex_sentences(p[s]) for s in ("en", "es")}
                            if len(found["en"]) == len(found["es"]):
                                same += 1
                            elif args.errors == split and segmenter == "bitext":
                                show = {s: [p[s].encode("utf-8")[a:b].decode() for a, b in found[s]] for s in found}
                                print(f"{p['id']}\n  EN {show['en']}\n  ES {show['es']}", file=sys.stderr)
                        agree_rows.append(f"| {split} | {variant} | {segmenter} | {len(predictions)} | {same} | {same / max(1, len(predictions)):.4f} |")
                if mode == "segmenter" and variant == "clean":
                    for segmenter in ("bitext", "regex"):
                        for side in ("en", "es"):
                            c = dict(gold=0, found=0, scored_units=0, inner_scored=0)
                            errors = [] if (args.errors == split and segmenter == "bitext") else None
                            for pred in predictions:
                                p = paragraphs[pred["id"]]
                                found = pred[side + "_sentences"] if segmenter == "bitext" else regex_sentences(p[side])
                                segmentation_counts(p, found, side, c, errors)
                            for kind, text in errors or []:
                                print(f"{side} {kind}: {text}", file=sys.stderr)
                            tp = c["found"]
                            precision = tp / (tp + c["inner_scored"]) if tp + c["inner_scored"] else 1.0
                            recall = tp / c["gold"] if c["gold"] else 1.0
                            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                            seg_rows.append(f"| {split} | {side} | {segmenter} | {c['gold']} | {c['found']} | {c['scored_units']} | "
                                            f"{c['inner_scored']} | {precision:.4f} | {recall:.4f} | {f1:.4f} |")
    print("Sentence alignment (gold paragraph links given; sentences from bitext's segmenter or the gold units)\n")
    print("| split | variant | sentences | system | paragraphs | gold beads | strict P | strict R | strict F1 | lax P | lax R | lax F1 | omission P / R / F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(align_rows))
    print("\nSentence segmentation (clean variant; gold boundaries = unit boundaries)\n")
    print("| split | language | segmenter | unit boundaries | found | one-sentence units scored | false inner breaks | boundary P | boundary R | boundary F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(seg_rows))
    print("\nSentence counts of EN and ES agree (inner: catalog entries, docs: Debian manuals' paragraphs, help: LibreOffice help paragraphs, with a possible sentence end inside)\n")
    print("| split | variant | segmenter | pairs | same count | agreement |")
    print("|---|---|---|---|---|---|")
    print("\n".join(agree_rows))
    print("\nNumbered headings kept as one sentence (\"2.1. Debian package building workflow\")\n")
    print("| split | segmenter | heading pairs | EN whole | ES whole |")
    print("|---|---|---|---|---|")
    print("\n".join(heading_rows))


if __name__ == "__main__":
    main()
