#!/usr/bin/env python3
"""Builds Sources/BitextAlign/Resources/dictionary.tsv from Debian's FreeDict dictionaries.

Reads the dictd databases of dict-freedict-eng-spa and dict-freedict-spa-eng
(/usr/share/dictd/freedict-{eng-spa,spa-eng}.{index,dict.dz}) and writes one
`english<TAB>spanish` pair per line (lower case, single words only, sorted, unique).

Usage: python3 scripts/align/build_dictionary.py [--dictd /usr/share/dictd] [--out PATH]
"""
import argparse
import gzip
import os
import re

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def entries(dictd, name):
    with gzip.open(os.path.join(dictd, name + ".dict.dz"), "rb") as f:
        data = f.read()
    with open(os.path.join(dictd, name + ".index"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database"):
                continue
            body = data[b64(parts[1]):b64(parts[1]) + b64(parts[2])].decode("utf-8", "replace")
            lines = body.split("\n")
            head = re.sub(r"\s*/[^/]*/\s*$", "", lines[0]).strip()
            translations = []
            for t in lines[1:]:
                t = re.sub(r"^\s*\d+\.\s*", "", t).strip()
                t = re.sub(r"\([^)]*\)", "", t)
                for piece in re.split(r"[,;]", t):
                    piece = piece.strip()
                    if piece:
                        translations.append(piece)
            yield head, translations


WORD = re.compile(r"^[a-záéíóúüñ]+$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dictd", default="/usr/share/dictd")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../Sources/BitextAlign/Resources/dictionary.tsv"))
    args = ap.parse_args()
    pairs = set()
    for head, trans in entries(args.dictd, "freedict-eng-spa"):
        for t in trans:
            en, es = head.lower(), t.lower()
            if WORD.match(en) and WORD.match(es):
                pairs.add((en, es))
    for head, trans in entries(args.dictd, "freedict-spa-eng"):
        for t in trans:
            es, en = head.lower(), t.lower()
            if en.startswith("to "):
                en = en[3:]
            if WORD.match(en) and WORD.match(es):
                pairs.add((en, es))
    with open(args.out, "w", encoding="utf-8") as f:
        for en, es in sorted(pairs):
            f.write(f"{en}\t{es}\n")
    print(f"{len(pairs)} pairs -> {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
