#!/usr/bin/env python3
"""Builds the alignment development set from Debian documentation shipped in English and
Spanish from one source (po4a translations, so paragraphs correspond one to one).

Sources (Debian 12 packages, installed on the build machine):
  maint-guide 1.2.53 + maint-guide-es 1.2.53   /usr/share/doc/maint-guide{,-es}/html/*.{en,es}.html
  debian-reference-en 2.100 + -es 2.100         /usr/share/doc/debian-reference-en/docs/*.{en,es}.html
  libreoffice-help-en-us 7.4.7 + libreoffice-help-es 7.4.7
                                                /usr/share/libreoffice/help/{en-US,es}/text/**/*.html
(The GIMP manual is deliberately NOT used: it is kept for an independent check.)

LibreOffice help, two disjoint seeded samples: `libreoffice-tune-NN` (tuning: this sample was
first published as held out, then studied error by error, so it became a tuning set) and
`libreoffice-held-NN` (held out: never looked at before the final measurement). Every paragraph and heading
carries the same id in both languages (`<p id="par_id3149398">`, `<h2 id="hd_id…">`), so the gold
links the blocks with ids one to one, in order; a page whose id sequences differ is dropped.
Blocks without an id (the "To access this command" boxes embedded from other pages, related
topics, code listings) are left out of both sides. A seeded sample of pages (--lo-pages, default
320) is concatenated, in path order, into --lo-docs documents (default 20); the held-out sample
(--lo-held-pages 320, --lo-held-docs 20) is drawn the same way from the pages left.

Gold alignment comes from structure: both versions are parsed into blocks (headings,
paragraphs, list items, table cells, preformatted text, definition terms) in document order,
each with a structural signature (tag + ancestor path); when the two signature sequences are
identical, block k of one side is linked 1-1 with block k of the other. Documents whose
structures differ are dropped and reported.

Perturbed variants (seeded, reproducible): about 5% of positions get one of
  delete  – the block is removed from one side (gold: a 1-0 or 0-1 link),
  merge   – the block is merged with the next one on one side (gold: 2-1 or 1-2),
  split   – the block is split at a sentence boundary on one side (gold: 1-2 or 2-1).

Output: .data/align/devset/<doc>.<variant>.json with
  {"id", "source", "en": [{"text", "kind"}], "es": [...], "gold": [[[en...], [es...]], ...]}

Usage: python3 scripts/align/build_devset.py [--out .data/align/devset] [--rate 0.05] [--seed 7]
"""
import argparse
import glob
import json
import os
import random
import re

import lxml.html

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "td", "th", "dt", "li", "dd", "blockquote", "caption"}
CONTAINERS_WITH_BLOCKS = {"li", "dd", "td", "th", "blockquote"}
SKIP_CLASSES = {"navheader", "navfooter", "toc", "list-of-tables", "list-of-figures", "list-of-examples"}


def kind_of(tag):
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading"
    if tag in ("li",):
        return "list_item"
    if tag in ("td", "th"):
        return "table_cell"
    if tag == "pre":
        return "preformatted"
    if tag == "dt":
        return "definition_term"
    if tag == "dd":
        return "definition_description"
    return "paragraph"


def has_block_child(el):
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and d.tag in BLOCK_TAGS:
            return True
    return False


def is_layout_table(table):
    """bitext's HTML ingest rule: role=presentation/none, or at most three rows with a cell that
    holds only an image (DocBook's note and warning boxes). Layout cells get no coordinates."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = [r for r in table.iter("tr") if r.getparent() is not None and nearest_table(r) is table]
    image_only = any(
        not cell.text_content().strip() and cell.xpath(".//img")
        for r in rows for cell in r if isinstance(cell.tag, str) and cell.tag in ("td", "th"))
    return image_only and len(rows) <= 3


def nearest_table(el):
    for a in el.iterancestors("table"):
        return a
    return None


def ordered_marker(n, style):
    if style in ("a", "A"):
        out = ""
        while n > 0:
            n -= 1
            out = chr(ord(style) + n % 26) + out
            n //= 26
        return out + "."
    if style in ("i", "I"):
        out = ""
        for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                               (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while n >= value:
                out += letters
                n -= value
        return (out.lower() if style == "i" else out) + "."
    return f"{n}."


def structure_of(root):
    """Per element: the structural facts bitext's HTML ingest records on blocks
    (BitextIngest/HTML/HTMLBlockBuilder.swift) — table ordinal, row and column of a cell
    (empty cells and spans counted, as the ingest does), header cells, list depth and the
    item's marker (`1.`, `a.`, `•`), heading level. Each side is read from its own HTML."""
    facts = {}
    ordinal = 0
    for table in root.iter("table"):
        if is_layout_table(table):
            continue
        ordinal += 1
        spans = {}  # column -> last row it is occupied by a rowspan
        row = 0
        for tr in table.iter("tr"):
            if nearest_table(tr) is not table:
                continue
            row += 1
            column = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                column += 1
                while spans.get(column, 0) >= row:
                    column += 1
                def span(name):
                    try:
                        return max(1, int((cell.get(name) or "1").strip()))
                    except ValueError:
                        return 1
                colspan, rowspan = span("colspan"), span("rowspan")
                if rowspan > 1:
                    for c in range(column, column + colspan):
                        spans[c] = row + rowspan - 1
                facts[cell] = {"table": ordinal, "row": row, "column": column}
                if cell.tag == "th":
                    facts[cell]["header"] = True
                column += colspan - 1
    for lst in root.iter("ol", "ul"):
        depth = sum(1 for _ in lst.iterancestors("ol", "ul")) + 1
        n = int((lst.get("start") or "1").strip() or 1) if lst.tag == "ol" else 0
        for li in lst:
            if not isinstance(li.tag, str) or li.tag != "li":
                continue
            if lst.tag == "ol":
                if (li.get("value") or "").strip().isdigit():
                    n = int(li.get("value").strip())
                marker = ordered_marker(n, lst.get("type") or "1")
                n += 1
            else:
                marker = "•"
            facts[li] = {"level": depth, "marker": marker}
    for level in range(1, 7):
        for h in root.iter(f"h{level}"):
            facts[h] = {"level": level}
    return facts


def blocks_of(path):
    root = lxml.html.parse(path).getroot()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    facts = structure_of(root)
    marked = set()  # list items whose marker went to a block already
    out = []

    def structure(el):
        """The block's own facts, plus those of the cell and the list item it lies in (the
        marker goes to the item's first block only, as in the ingest)."""
        own = {k: v for k, v in facts.get(el, {}).items() if k != "marker"}
        chain = [el] + list(el.iterancestors())
        cell = next((a for a in chain if a.tag in ("td", "th")), None)
        if cell is not None and cell in facts:
            own.update(facts[cell])
        item = next((a for a in chain if a.tag == "li"), None)
        if item is not None and item in facts:
            if el.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
                own["level"] = facts[item]["level"]
            if item not in marked:
                own["marker"] = facts[item]["marker"]
                marked.add(item)
        return own

    def walk(el, trail):
        if not isinstance(el.tag, str):
            return
        cls = set((el.get("class") or "").split())
        if cls & SKIP_CLASSES:
            return
        tag = el.tag
        if tag in BLOCK_TAGS and not (tag in CONTAINERS_WITH_BLOCKS and has_block_child(el)):
            if tag == "pre":
                text = el.text_content().strip("\n")
            else:
                text = re.sub(r"\s+", " ", el.text_content()).strip()
            out.append({"text": text, "kind": kind_of(tag), "sig": trail + "/" + tag, "structure": structure(el)})
            return
        for child in el:
            walk(child, trail + "/" + tag)

    walk(root.find("body"), "")
    return out


LIBREOFFICE_HELP = "/usr/share/libreoffice/help"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def libreoffice_blocks(path):
    """The id-carrying paragraphs and headings of a help page's content area, in document order,
    as (id, block). Of the hidden alternatives of a switch (`<span hidden class="MAC">Option</span>
    <span hidden>Alt</span>`, one per system or application, which help.js reveals), the default
    one (no class) is kept and the others removed; the cell and list-item facts come from
    structure_of."""
    root = lxml.html.parse(path).getroot()
    for bad in root.xpath("//script|//style|//*[@hidden][@class]"):
        bad.drop_tree()
    area = root.xpath('//div[@id="DisplayArea"]')
    if not area:
        return []
    facts = structure_of(area[0])
    marked = set()
    out = []
    for el in area[0].iter("p", *HEADINGS):
        ident = el.get("id")
        if not ident:
            continue
        chain = list(el.iterancestors())
        cell = next((a for a in chain if a.tag in ("td", "th")), None)
        item = next((a for a in chain if a.tag == "li"), None)
        kind = "heading" if el.tag in HEADINGS else "table_cell" if cell is not None else "list_item" if item is not None else "paragraph"
        structure = dict(facts.get(el, {}))
        if cell is not None and cell in facts:
            structure.update(facts[cell])
        if item is not None and item in facts:
            if el.tag not in HEADINGS:
                structure["level"] = facts[item]["level"]
            if item not in marked:
                structure["marker"] = facts[item]["marker"]
                marked.add(item)
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        out.append((ident, {"text": text, "kind": kind, "structure": structure}))
    return out


def libreoffice_documents(pages, documents, seed, held_pages, held_documents):
    """Yields (name, source, en, es) for two disjoint seeded samples of the help pages whose id
    sequences agree: the tuning sample (`libreoffice-tune-NN`: random.Random(seed) draws `pages`
    of the kept pages, exactly the sample first published as `libreoffice-help-NN`, studied error
    by error, so used for tuning) and the held-out sample (`libreoffice-held-NN`:
    random.Random(seed + 1) draws `held_pages` of the pages the tuning sample left). Prints how
    many pages were dropped and how many Spanish blocks are untranslated."""
    english = sorted(glob.glob(os.path.join(LIBREOFFICE_HELP, "en-US/text/**/*.html"), recursive=True))
    usable = []
    dropped = 0
    for en_path in english:
        es_path = en_path.replace("/en-US/", "/es/")
        if not os.path.exists(es_path):
            dropped += 1
            continue
        usable.append((en_path, es_path))
    # Every page is read so that the number dropped is known for the whole manual; the samples
    # are drawn from the pages kept.
    kept_pages = []
    differ = 0
    for en_path, es_path in usable:
        en, es = libreoffice_blocks(en_path), libreoffice_blocks(es_path)
        if [i for i, _ in en] != [i for i, _ in es]:
            differ += 1
            continue
        # Positions empty on either side (an icon, an image) carry no text: drop them from both.
        pairs = [(a, b) for (_, a), (_, b) in zip(en, es) if a["text"] and b["text"]]
        if pairs:
            kept_pages.append((en_path, es_path, pairs))
    print(f"libreoffice-help: {len(english)} English pages, {dropped} without a Spanish page, "
          f"{differ} dropped (id sequences differ), {len(kept_pages)} with text kept")
    tune = sorted(random.Random(seed).sample(range(len(kept_pages)), min(pages, len(kept_pages))))
    rest = [i for i in range(len(kept_pages)) if i not in set(tune)]
    held = sorted(rest[k] for k in random.Random(seed + 1).sample(range(len(rest)), min(held_pages, len(rest))))
    assert not set(tune) & set(held)
    for label, sample, count in (("tune", tune, documents), ("held", held, held_documents)):
        chosen = [kept_pages[i] for i in sample]
        identical = sum(1 for _, _, pairs in chosen for a, b in pairs if a["text"] == b["text"])
        # Untranslated: identical prose of 3+ words with lowercase letters (not a function name or a path).
        untranslated = sum(1 for _, _, pairs in chosen for a, b in pairs
                           if a["text"] == b["text"] and sum(1 for w in a["text"].split() if re.search(r"[a-z]{2,}", w)) >= 3)
        total = sum(len(pairs) for _, _, pairs in chosen)
        kinds = {}
        for _, _, pairs in chosen:
            for a, _ in pairs:
                kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
        print(f"libreoffice-{label}: {total} gold 1-1 links ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
              f"Spanish identical to English in {identical} ({untranslated} of them prose of 3+ words: "
              f"untranslated, kept 1-1), sample of {len(chosen)} pages")
        per_document = -(-len(chosen) // count)
        for d in range(0, len(chosen), per_document):
            chunk = chosen[d:d + per_document]
            en = [a for _, _, pairs in chunk for a, _ in pairs]
            es = [b for _, _, pairs in chunk for _, b in pairs]
            source = {"en": [p for p, _, _ in chunk], "es": [p for _, p, _ in chunk]}
            yield f"libreoffice-{label}-{d // per_document + 1:02d}", source, en, es


def pairs():
    for en in sorted(glob.glob("/usr/share/doc/maint-guide/html/*.en.html")):
        es = en.replace("/maint-guide/", "/maint-guide-es/").replace(".en.html", ".es.html")
        if os.path.exists(es):
            yield "maint-guide-" + os.path.basename(en)[:-8], en, es
    for en in sorted(glob.glob("/usr/share/doc/debian-reference-en/docs/*.en.html")):
        es = en.replace("/debian-reference-en/", "/debian-reference-es/").replace(".en.html", ".es.html")
        if os.path.exists(es):
            yield "debian-reference-" + os.path.basename(en)[:-8], en, es


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])")


def split_point(text):
    """A sentence boundary near the middle, or None."""
    cands = [m.start() for m in SENTENCE_END.finditer(text)]
    if not cands:
        return None
    mid = len(text) / 2
    best = min(cands, key=lambda c: abs(c - mid))
    return best


def dict_without_marker(structure):
    """The second part of a split block: same cell or list item, but the marker went to the first."""
    return {k: v for k, v in structure.items() if k != "marker"}


# Structural positions whose Spanish block is demonstrably not a translation of the English one:
# (document, start of the English text, start of the Spanish text). The gold leaves both unlinked
# (1-0 + 0-1) instead of pairing them. Each entry says why; keep this list short and checkable.
NOT_TRANSLATIONS = [
    # maint-guide-es 1.2.53, upload.es.html: footnote [84] (referenced after "describiremos cómo
    # hacerlo con dupload", where the English [84] says "The dput package seems to come with more
    # features…") holds a copy of footnote [82]'s translation ("Consulta Sección 1.1, «Dinamismo
    # social en Debian»"); the dput/dupload footnote has no Spanish translation anywhere.
    ("maint-guide-upload", "[84] The dput package seems", "[84] Consulta Sección 1.1"),
]


def unpaired_positions(name, en, es):
    """Positions k where en[k] and es[k] are listed in NOT_TRANSLATIONS."""
    return {k for k in range(len(en)) for doc, a, b in NOT_TRANSLATIONS
            if doc == name and en[k]["text"].startswith(a) and es[k]["text"].startswith(b)}


def perturb(en, es, rate, rng, unpaired=frozenset()):
    """Returns new EN/ES block lists and gold links after deleting, merging or splitting ~rate of blocks.
    Positions in `unpaired` stay as they are (an operation drawn there is not applied; the random
    draws are the same, so the other documents' perturbations do not depend on the list)."""
    n = len(en)
    ops = {}
    k = 0
    while k < n:
        if rng.random() < rate:
            op = rng.choice(["delete", "merge", "split"])
            side = rng.choice(["en", "es"])
            src = (en if side == "en" else es)[k]
            # An operation that cannot apply here (last block, no sentence boundary) becomes a deletion.
            if op == "split" and (src["kind"] == "preformatted" or not split_point(src["text"])):
                op = "delete"
            if op == "merge" and k + 1 >= n:
                op = "delete"
            if k in unpaired or (op == "merge" and k + 1 in unpaired):
                k += 1
                continue
            ops[k] = (op, side)
            if op == "merge":
                k += 2
                continue
        k += 1
    new_en, new_es, gold = [], [], []
    k = 0
    while k < n:
        op = ops.get(k)
        if k in unpaired:
            gold.append([[len(new_en)], []])
            gold.append([[], [len(new_es)]])
            new_en.append(en[k]); new_es.append(es[k])
            k += 1
            continue
        if op is None:
            gold.append([[len(new_en)], [len(new_es)]])
            new_en.append(en[k]); new_es.append(es[k])
            k += 1
            continue
        kind, side = op
        if kind == "delete":
            if side == "en":
                gold.append([[], [len(new_es)]]); new_es.append(es[k])
            else:
                gold.append([[len(new_en)], []]); new_en.append(en[k])
            k += 1
        elif kind == "merge":
            if side == "en":
                merged = {"text": en[k]["text"] + " " + en[k + 1]["text"], "kind": en[k]["kind"], "structure": en[k]["structure"]}
                gold.append([[len(new_en)], [len(new_es), len(new_es) + 1]])
                new_en.append(merged); new_es.extend([es[k], es[k + 1]])
            else:
                merged = {"text": es[k]["text"] + " " + es[k + 1]["text"], "kind": es[k]["kind"], "structure": es[k]["structure"]}
                gold.append([[len(new_en), len(new_en) + 1], [len(new_es)]])
                new_es.append(merged); new_en.extend([en[k], en[k + 1]])
            k += 2
        else:  # split
            src = en[k] if side == "en" else es[k]
            cut = split_point(src["text"])
            a = {"text": src["text"][:cut].strip(), "kind": src["kind"], "structure": src["structure"]}
            b = {"text": src["text"][cut:].strip(), "kind": src["kind"], "structure": dict_without_marker(src["structure"])}
            if side == "en":
                gold.append([[len(new_en), len(new_en) + 1], [len(new_es)]])
                new_en.extend([a, b]); new_es.append(es[k])
            else:
                gold.append([[len(new_en)], [len(new_es), len(new_es) + 1]])
                new_en.append(en[k]); new_es.extend([a, b])
            k += 1
    return new_en, new_es, gold


def main():
    ap = argparse.ArgumentParser()
    root = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
    ap.add_argument("--out", default=os.path.join(root, ".data/align/devset"))
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--lo-pages", type=int, default=320, help="LibreOffice help pages sampled")
    ap.add_argument("--lo-docs", type=int, default=20, help="documents they are concatenated into")
    ap.add_argument("--lo-held-pages", type=int, default=320, help="LibreOffice help pages in the held-out sample")
    ap.add_argument("--lo-held-docs", type=int, default=20, help="documents the held-out pages are concatenated into")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    kept = dropped = 0
    total_blocks = 0

    def write(name, source, en, es):
        unpaired = unpaired_positions(name, en, es)
        clean_gold = [link for i in range(len(en))
                      for link in ([[[i], []], [[], [i]]] if i in unpaired else [[[i], [i]]])]
        with open(os.path.join(args.out, f"{name}.clean.json"), "w", encoding="utf-8") as f:
            json.dump({"id": name, "source": source, "en": en, "es": es, "gold": clean_gold}, f, ensure_ascii=False)
        pen, pes, pgold = perturb(en, es, args.rate, rng, unpaired)
        with open(os.path.join(args.out, f"{name}.perturbed.json"), "w", encoding="utf-8") as f:
            json.dump({"id": name, "source": source, "en": pen, "es": pes, "gold": pgold}, f, ensure_ascii=False)
        if unpaired:
            print(f"  {name}: positions {sorted(unpaired)} are not translations (NOT_TRANSLATIONS): gold 1-0 + 0-1")
        print(f"keep {name}: {len(en)} blocks, perturbed {len(pen)}/{len(pes)} with {sum(1 for g in pgold if not (len(g[0]) == 1 and len(g[1]) == 1))} non-1-1 gold links")

    for name, en_path, es_path in pairs():
        en, es = blocks_of(en_path), blocks_of(es_path)
        if [b["sig"] for b in en] != [b["sig"] for b in es]:
            print(f"drop {name}: structures differ ({len(en)} vs {len(es)} blocks)")
            dropped += 1
            continue
        # Positions empty on either side carry no text to align: drop them from both.
        keep = [i for i in range(len(en)) if en[i]["text"].strip() and es[i]["text"].strip()]
        en = [{"text": en[i]["text"], "kind": en[i]["kind"], "structure": en[i]["structure"]} for i in keep]
        es = [{"text": es[i]["text"], "kind": es[i]["kind"], "structure": es[i]["structure"]} for i in keep]
        if not en:
            continue
        kept += 1
        total_blocks += len(en)
        write(name, {"en": en_path, "es": es_path}, en, es)
    # After the Debian documents, so that their perturbations (one random stream) stay as they
    # were; the held-out sample after the tuning sample, for the same reason.
    for name, source, en, es in libreoffice_documents(args.lo_pages, args.lo_docs, args.seed, args.lo_held_pages, args.lo_held_docs):
        kept += 1
        total_blocks += len(en)
        write(name, source, en, es)
    print(f"{kept} documents kept ({total_blocks} gold 1-1 blocks), {dropped} dropped -> {args.out}")


if __name__ == "__main__":
    main()
