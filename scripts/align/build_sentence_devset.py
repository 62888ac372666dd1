#!/usr/bin/env python3
"""Builds the sentence-alignment development set from the Spanish message catalogs installed
on this machine (/usr/share/locale/es/LC_MESSAGES/*.mo).

Every msgid/msgstr pair of a catalog is a unit a human translator wrote. Consecutive
sentence-like units (in catalog order, which is msgid order) are grouped into
pseudo-paragraphs of 2-6 units; the English paragraph is the msgids joined by a space, the
Spanish one the msgstrs. The gold alignment is unit-level: unit k of the English paragraph
is the translation of unit k of the Spanish one, so a unit with two sentences on one side and
one on the other is an n-m gold bead.

Kept: single (non-plural) entries whose both sides start like a sentence (a capital, a digit,
¿, ¡ or an opening quote), end with terminal punctuation, have at least 4 words, differ, carry
no format directive (%s, %1$d, {0}), markup (<b>), mnemonic (_File) or tab, and at most wrapped
prose as line breaks (a single newline inside a paragraph, replaced by a space). A msgid seen in
an earlier catalog is dropped. Compiled catalogs hold no fuzzy or untranslated entries.

Variants, built from the same paragraphs:
  clean    as above
  deleted  one unit removed from one side (paragraphs of 3+ units): a 1-0 or 0-1 gold bead
  merged   two adjacent single-sentence units joined into one sentence on one side
           ("A was done." + "Then B." -> "A was done; then B."): a 2-1 or 1-2 gold bead

  inner    every entry (format directives allowed) with a place inside it where a sentence may
           end (terminal punctuation, space, more text), as a paragraph of its own: the
           segmenter's hard cases; scored by how often both sides get the same sentence count

  docs     paragraph pairs linked 1-1 in the paragraph development set (Debian documentation,
           scripts/align/build_devset.py) with a place inside where a sentence may end; scored
           like inner (documents alternate between the splits)
  help     (held only) LibreOffice help paragraphs sharing their id in en-US and es
           (libreoffice-help-en-us/-es) with a place inside where a sentence may end; scored like
           inner; read only after the segmentation rules were written
  headings numbered headings linked 1-1 there ("2.1. Debian package building workflow"): one
           sentence each

Split: source packages (from dpkg) sorted by their number of kept units, then each given to
the split with fewer units so far: "dev" (for development) and "held" (held out, never used
to tune). All catalogs of one source package (e.g. the pg_* ones of postgresql-15) share a split.

Output: .data/align/sentences/{dev,held}.{clean,deleted,merged,inner,docs,headings,help}.json and sources.tsv.
Usage: python3 scripts/align/build_sentence_devset.py [--out .data/align/sentences]
"""
import argparse
import gettext
import glob
import json
import os
import random
import re
import subprocess
import unicodedata
from html.parser import HTMLParser

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
CATALOGS = "/usr/share/locale/es/LC_MESSAGES"

FORMAT = re.compile(r"%[-+ #0-9.*$hlLqjzt]*[a-zA-Z%]|\{[^}]*\}|[<>\t_&|\\]|\$\{|`")
START = re.compile(r"^[\"'“‘«(¿¡]*[A-ZÁÉÍÓÚÑÜ0-9]")
END = re.compile(r"[.!?…][\"'”’»)]*$")
NUMBERED = re.compile(r"^(\w+ )?[A-Z0-9]{1,3}(\.[0-9]{1,3})*\. \S")  # "2.1. Debian package…", "Appendix A. Appendix"
INNER = re.compile(r"[.!?…][\"'”’»)\]]*\s+\S")  # a place where a sentence may end inside an entry


def prose(text):
    """The entry as one line of prose, or None when its line breaks carry layout."""
    if "\n\n" in text or re.search(r"\n[ \t\-*•]", text) or text.startswith(" ") or "  " in text.replace("\n", ""):
        return None
    text = text.replace("\n", " ").strip()
    return unicodedata.normalize("NFC", re.sub(r" {2,}", " ", text))  # bitext's documents are NFC


def sentence_like(en, es):
    if en is None or es is None or en == es:
        return False
    for t in (en, es):
        if FORMAT.search(t) or not START.search(t) or not END.search(t) or len(t.split()) < 4 or len(t) > 600:
            return False
        if t.upper() == t:
            return False
    return True


def package_of(path):
    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True).stdout.strip()
    binary = out.split(":")[0].split(",")[0].strip() if out else "unknown"
    info = subprocess.run(["dpkg-query", "-W", "-f", "${source:Package}\t${Version}", binary], capture_output=True, text=True).stdout
    source, _, version = info.partition("\t")
    return binary, source or binary, version


def single_sentence(text):
    """No terminal punctuation before the end: safe to join with the next unit."""
    return re.search(r"[.!?…]\s", text) is None and text.endswith(".")


def merge(a, b):
    first = b[0]
    if not first.isupper() or (len(b) > 1 and b[1].isupper()):
        return None  # an acronym or a quote: lowering it would change the word
    return a[:-1] + "; " + first.lower() + b[1:]


def paragraph(pid, units, gold):
    """Joins units with a space; records each unit's UTF-8 byte range."""
    out = {"id": pid}
    for side in ("en", "es"):
        text, ranges, offset = [], [], 0
        for u in units[side]:
            n = len(u.encode("utf-8"))
            ranges.append([offset, offset + n])
            text.append(u)
            offset += n + 1
        out[side] = " ".join(text)
        out[side + "_units"] = ranges
    out["gold"] = gold
    return out


def documentation_pairs(folder, sets):
    """Paragraph pairs that the paragraph development set (scripts/align/build_devset.py: Debian
    documentation translated with po4a) links 1-1, with a place inside where a sentence may end.
    Documents alternate between the splits in name order."""
    paths = sorted(glob.glob(os.path.join(folder, "*.clean.json")))
    if not paths:
        print(f"no paragraph development set in {folder} (run scripts/align/build_devset.py): docs variant skipped")
    for n, path in enumerate(paths):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        pairs, headings = [], []
        for ge, gs in doc["gold"]:
            if len(ge) != 1 or len(gs) != 1:
                continue
            a, b = doc["en"][ge[0]], doc["es"][gs[0]]
            if b["kind"] != a["kind"]:
                continue
            en, es = (unicodedata.normalize("NFC", re.sub(r"\s+", " ", x["text"]).strip()) for x in (a, b))
            item = paragraph(f"{doc['id']}@{ge[0]}", {"en": [en], "es": [es]}, [[[0], [0]]])
            if a["kind"] == "heading" and NUMBERED.match(en) and NUMBERED.match(es):
                headings.append(item)
            elif a["kind"] in ("paragraph", "listItem") and en != es and (INNER.search(en) or INNER.search(es)):
                pairs.append(item)
        split = "dev" if n % 2 == 0 else "held"
        for variant, items in (("docs", pairs), ("headings", headings)):
            if items:
                sets[(split, variant)].append({"catalog": doc["id"], "package": doc.get("source", ""), "source": "", "version": "", "paragraphs": items})


class HelpParagraphs(HTMLParser):
    """Text of every <p id="…"> of a LibreOffice help page, markup left out."""

    def __init__(self):
        super().__init__()
        self.paragraphs, self.current, self.depth = {}, None, 0

    def handle_starttag(self, tag, attrs):
        if self.current is not None:
            self.depth += tag == "p"
        elif tag == "p" and dict(attrs).get("id"):
            self.current, self.depth, self.text = dict(attrs)["id"], 1, []

    def handle_endtag(self, tag):
        if self.current is not None and tag == "p":
            self.depth -= 1
            if self.depth == 0:
                self.paragraphs[self.current] = " ".join("".join(self.text).split())
                self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.text.append(data)


def help_pairs(folder, sets):
    """Paragraphs of the LibreOffice help that share their id in English and Spanish (the help
    is translated paragraph by paragraph), with a place inside where a sentence may end. Used
    whole as a held-out check: it was read only after the rules were written."""
    english = os.path.join(folder, "en-US")
    pages = sorted(glob.glob(os.path.join(english, "text", "**", "*.html"), recursive=True))
    if not pages:
        print(f"no LibreOffice help in {folder}: help variant skipped")
        return
    documents = {}
    for path in pages:
        spanish = os.path.join(folder, "es", os.path.relpath(path, english))
        if not os.path.exists(spanish):
            continue
        sides = []
        for p in (path, spanish):
            parser = HelpParagraphs()
            with open(p, encoding="utf-8") as f:
                parser.feed(f.read())
            sides.append(parser.paragraphs)
        module = os.path.relpath(path, english).split(os.sep)[1]  # swriter, scalc, shared…
        for pid, en in sides[0].items():
            es = sides[1].get(pid)
            if not es or en == es or not (INNER.search(en) or INNER.search(es)):
                continue
            en, es = unicodedata.normalize("NFC", en), unicodedata.normalize("NFC", es)
            page = os.path.relpath(path, english)
            documents.setdefault(module, []).append(paragraph(f"{page}#{pid}", {"en": [en], "es": [es]}, [[[0], [0]]]))
    for module, items in sorted(documents.items()):
        sets[("held", "help")].append({"catalog": f"libreoffice-help/{module}", "package": "libreoffice-help-en-us, libreoffice-help-es",
                                       "source": "libreoffice", "version": "", "paragraphs": items})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, ".data/align/sentences"))
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--help-pages", dest="help", default="/usr/share/libreoffice/help", help="the LibreOffice help (en-US, es)")
    ap.add_argument("--paragraphs", default=os.path.join(ROOT, ".data/align/devset"), help="the paragraph development set")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    seen, seen_inner = set(), set()
    catalogs = []
    for path in sorted(glob.glob(os.path.join(CATALOGS, "*.mo"))):
        with open(path, "rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog
        units, inner = [], []
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid:
                continue  # plural forms are keyed (msgid, n); "" is the header
            msgid = msgid.split("\x04")[-1]  # drop a msgctxt
            en, es = prose(msgid), prose(msgstr)
            if en and es and en != es and en not in seen_inner and (INNER.search(en) or INNER.search(es)) and END.search(en) and END.search(es):
                inner.append((en, es))
                seen_inner.add(en)
            if not sentence_like(en, es) or en in seen:
                continue
            seen.add(en)
            units.append((en, es))
        binary, source, version = package_of(path)
        catalogs.append(dict(name=os.path.basename(path)[:-3], path=path, binary=binary, source=source, version=version, units=units,
                             inner=inner))

    by_source = {}
    for c in catalogs:
        by_source.setdefault(c["source"], []).append(c)
    sizes = {"dev": 0, "held": 0}
    split_of = {}
    for source in sorted(by_source, key=lambda s: (-sum(len(c["units"]) for c in by_source[s]), s)):
        split = min(sizes, key=lambda k: (sizes[k], k))
        split_of[source] = split
        sizes[split] += sum(len(c["units"]) for c in by_source[source])

    rng = random.Random(args.seed)
    sets = {(s, v): [] for s in ("dev", "held") for v in ("clean", "deleted", "merged", "inner", "docs", "headings", "help")}
    documentation_pairs(args.paragraphs, sets)
    help_pairs(args.help, sets)
    with open(os.path.join(args.out, "sources.tsv"), "w") as tsv:
        tsv.write("catalog\tbinary package\tsource package\tversion\tsplit\tunits\n")
        for c in catalogs:
            split = split_of[c["source"]]
            tsv.write(f"{c['name']}\t{c['binary']}\t{c['source']}\t{c['version']}\t{split}\t{len(c['units'])}\n")
            if c["inner"]:
                sets[(split, "inner")].append({"catalog": c["name"], "package": c["binary"], "source": c["source"], "version": c["version"],
                                               "paragraphs": [paragraph(f"{c['name']}@{k}", {"en": [en], "es": [es]}, [[[0], [0]]])
                                                              for k, (en, es) in enumerate(c["inner"])]})
            if len(c["units"]) < 2:
                continue
            groups, k = [], 0
            while k < len(c["units"]):
                size = rng.randint(2, 6)
                group = c["units"][k:k + size]
                if len(group) >= 2:
                    groups.append(group)
                k += size
            docs = {v: [] for v in ("clean", "deleted", "merged")}
            for g, group in enumerate(groups):
                pid = f"{c['name']}#{g}"
                en = [u[0] for u in group]
                es = [u[1] for u in group]
                n = len(group)
                docs["clean"].append(paragraph(pid, {"en": en, "es": es}, [[[i], [i]] for i in range(n)]))
                if n >= 3:
                    k = rng.randrange(n)
                    side = rng.choice(("en", "es"))
                    cut = {"en": en, "es": es}
                    cut = {s: [u for i, u in enumerate(cut[s]) if not (s == side and i == k)] for s in cut}
                    gold = []
                    for i in range(n):
                        if i == k:
                            gold.append([[i], []] if side == "es" else [[], [i]])
                        else:
                            j = i if i < k else i - 1
                            gold.append([[i], [j]] if side == "es" else [[j], [i]])
                    docs["deleted"].append(paragraph(pid, cut, gold))
                side = rng.choice(("en", "es"))
                both = {"en": en, "es": es}
                places = [i for i in range(n - 1) if single_sentence(both[side][i]) and merge(both[side][i], both[side][i + 1])]
                if places:
                    k = rng.choice(places)
                    joined = list(both[side])
                    joined[k:k + 2] = [merge(joined[k], joined[k + 1])]
                    units = {"en": en, "es": es, side: joined}
                    gold = []
                    for i in range(n):
                        if i == k + 1:
                            continue
                        j = i if i < k else i - 1 if i > k + 1 else k
                        other = [i, i + 1] if i == k else [i]
                        gold.append([other, [j]] if side == "es" else [[j], other])
                    docs["merged"].append(paragraph(pid, units, gold))
            for v, paragraphs in docs.items():
                if paragraphs:
                    sets[(split, v)].append({"catalog": c["name"], "package": c["binary"], "source": c["source"],
                                             "version": c["version"], "paragraphs": paragraphs})
    for (split, variant), documents in sets.items():
        with open(os.path.join(args.out, f"{split}.{variant}.json"), "w", encoding="utf-8") as f:
            json.dump(documents, f, ensure_ascii=False, indent=0)
        paragraphs = sum(len(d["paragraphs"]) for d in documents)
        beads = sum(len(p["gold"]) for d in documents for p in d["paragraphs"])
        print(f"{split}.{variant}: {len(documents)} catalogs, {paragraphs} paragraphs, {beads} gold beads")


if __name__ == "__main__":
    main()
