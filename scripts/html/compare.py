#!/usr/bin/env python3
"""Main-text extraction: bitext next to trafilatura and jusText on real documentation pages.

Pages: the Debian Reference and the New Maintainers' Guide, English and Spanish, as installed
by Debian (DocBook HTML). Gold: each page's own markup says what is navigation — DocBook puts
the prev/next bars in div.navheader/div.navfooter and the chapter's table of contents in
div.toc (and lists of tables/figures in div.list-of-*); everything else in <body> is the text.
Scores, per page then averaged (macro) and summed (micro):
  - bag-of-words precision/recall/F1 of the extracted text against the gold text (CleanEval style);
  - heading recall: share of h1–h6 texts found as a whole unit (line/paragraph/block) of the output;
  - table-cell recall: share of non-empty td/th texts found inside some unit of the output.
Usage: scripts/html/compare.py [BITEXT_BINARY]   (pip install trafilatura justext lxml_html_clean)
"""
import collections, glob, json, os, re, subprocess, sys, tempfile, time

import justext
import trafilatura
from lxml import html as lxml_html

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BITEXT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/bitext")
PAGES = sorted(
    glob.glob("/usr/share/debian-reference/*.html")
    + glob.glob("/usr/share/doc/maint-guide/html/*.html")
    + glob.glob("/usr/share/doc/maint-guide-es/html/*.html")
)
NAV_CLASSES = {"navheader", "navfooter", "toc", "list-of-tables", "list-of-figures", "list-of-examples"}
WORD = re.compile(r"\w+", re.UNICODE)


def norm(text):
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def words(text):
    return collections.Counter(WORD.findall(text.lower()))


def gold(path):
    tree = lxml_html.parse(path)
    body = tree.getroot().find("body")
    for element in body.xpath("//script|//style"):
        element.drop_tree()
    for element in body.xpath("//div[@class]"):
        if set(element.get("class").split()) & NAV_CLASSES:
            element.drop_tree()
    headings = [norm(h.text_content()) for h in body.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    cells = [norm(c.text_content()) for c in body.xpath("//td|//th")]
    return body.text_content(), [h for h in headings if h], [c for c in cells if c]


def language(path):
    return "Spanish" if ".es." in os.path.basename(path) else "English"


def run_trafilatura(raw, path):
    text = trafilatura.extract(raw, include_tables=True, include_comments=False) or ""
    return [line for line in text.split("\n") if line.strip()]


def run_justext(raw, path):
    paragraphs = justext.justext(raw, justext.get_stoplist(language(path)))
    return [p.text for p in paragraphs if not p.is_boilerplate]


def run_bitext(paths):
    """All pages in one `bitext run` (one process), units read back from the JSON."""
    with tempfile.TemporaryDirectory() as work:
        inputs = os.path.join(work, "in")
        os.mkdir(inputs)
        names = {}
        for i, path in enumerate(paths):
            name = f"p{i:03d}.html"
            os.symlink(path, os.path.join(inputs, name))
            names[name] = path
        out = os.path.join(work, "out")
        start = time.perf_counter()
        subprocess.run([BITEXT, "run", os.path.join(ROOT, "pipelines/ingest-json.yaml"), inputs, "--out", out,
                        "--jobs", "1", "--quiet"], check=False)
        seconds = time.perf_counter() - start
        units = {}
        for name, path in names.items():
            result = os.path.join(out, name.replace(".html", ".json"))
            if not os.path.exists(result):
                units[path] = []
                continue
            document = json.load(open(result))
            units[path] = [p["text"] for side in document["paragraphs"].values() for p in side]
        return units, seconds


def score(units, gold_text, headings, cells):
    extracted, reference = words("\n".join(units)), words(gold_text)
    overlap = sum((extracted & reference).values())
    normalized = {norm(u) for u in units}
    joined = "\n".join(norm(u) for u in units)
    return {
        "overlap": overlap, "extracted": sum(extracted.values()), "reference": sum(reference.values()),
        "headings": sum(h in normalized for h in headings), "heading_total": len(headings),
        "cells": sum(c in joined for c in cells), "cell_total": len(cells),
    }


def main():
    if not PAGES:
        sys.exit("no Debian documentation installed (debian-reference-en/-es, maint-guide/-es)")
    golds = {p: gold(p) for p in PAGES}
    raws = {p: open(p, "rb").read() for p in PAGES}
    results = {}
    timings = {}
    for name, runner in [("trafilatura " + trafilatura.__version__, run_trafilatura), ("jusText 3.0", run_justext)]:
        start = time.perf_counter()
        outputs = {p: runner(raws[p], p) for p in PAGES}
        timings[name] = time.perf_counter() - start
        results[name] = outputs
    outputs, seconds = run_bitext(PAGES)
    results["bitext"] = outputs
    timings["bitext"] = seconds
    size = sum(len(r) for r in raws.values())
    print(f"{len(PAGES)} pages ({size / 1048576:.1f} MiB): Debian Reference and New Maintainers' Guide, en + es\n")
    print("| tool | word P | word R | word F1 | F1 per page (mean) | headings kept | table cells kept | seconds | MB/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, outputs in results.items():
        total = collections.Counter()
        f1s = []
        for page in PAGES:
            s = score(outputs[page], *golds[page])
            total.update(s)
            p = s["overlap"] / s["extracted"] if s["extracted"] else 0
            r = s["overlap"] / s["reference"] if s["reference"] else 0
            f1s.append(2 * p * r / (p + r) if p + r else 0)
        p = total["overlap"] / total["extracted"] if total["extracted"] else 0
        r = total["overlap"] / total["reference"]
        f1 = 2 * p * r / (p + r) if p + r else 0
        print(f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {sum(f1s) / len(f1s):.3f} | "
              f"{total['headings']}/{total['heading_total']} | {total['cells']}/{total['cell_total']} | "
              f"{timings[name]:.1f} | {size / 1048576 / timings[name]:.1f} |")


if __name__ == "__main__":
    main()
