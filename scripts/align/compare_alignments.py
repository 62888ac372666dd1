#!/usr/bin/env python3
"""What changed between two runs' paragraph alignments (JSON writer output, one file per pair):
links kept / moved, score changes of the kept links, flags gained or lost, and the sentence
links. Used to report an alignment method change that is not byte-identical.
  scripts/align/compare_alignments.py BEFORE_DIR AFTER_DIR"""
import json
import sys
from pathlib import Path


def links(path):
    data = json.loads(Path(path).read_text())
    out = {}
    for link in data.get("alignment", []):
        out[(tuple(link["en"]), tuple(link["es"]))] = (link.get("score"), tuple(link.get("flags", [])))
    sentences = {(s["link"], tuple(s["en"]), tuple(s["es"])) for s in data.get("sentence_alignment", [])}
    return out, sentences


def main(before_dir, after_dir):
    before_dir, after_dir = Path(before_dir), Path(after_dir)
    files = sorted(p.relative_to(before_dir) for p in before_dir.rglob("*.json") if p.name != "manifest.json")
    totals = dict(files=0, changed_files=0, links_before=0, links_after=0, kept=0, only_before=0, only_after=0,
                  scores_changed=0, flags_changed=0, sentence_links_before=0, sentence_links_differ=0)
    deltas = []
    for rel in files:
        b, bs = links(before_dir / rel)
        a, as_ = links(after_dir / rel)
        totals["files"] += 1
        totals["links_before"] += len(b)
        totals["links_after"] += len(a)
        kept = b.keys() & a.keys()
        totals["kept"] += len(kept)
        totals["only_before"] += len(b.keys() - a.keys())
        totals["only_after"] += len(a.keys() - b.keys())
        for key in kept:
            if b[key][0] != a[key][0]:
                totals["scores_changed"] += 1
                deltas.append(abs((a[key][0] or 0) - (b[key][0] or 0)))
            if b[key][1] != a[key][1]:
                totals["flags_changed"] += 1
        totals["sentence_links_before"] += len(bs)
        totals["sentence_links_differ"] += len(bs ^ as_)
        if b != a or bs != as_:
            totals["changed_files"] += 1
    for k, v in totals.items():
        print(f"{k}: {v}")
    if deltas:
        deltas.sort()
        print(f"score change of kept links: max {deltas[-1]:.4f}, median {deltas[len(deltas) // 2]:.4f}, "
              f"over 0.01: {sum(d > 0.01 for d in deltas)}, over 0.1: {sum(d > 0.1 for d in deltas)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
