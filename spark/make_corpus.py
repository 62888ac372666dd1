#!/usr/bin/env python3
"""Build a test corpus of English/Spanish document pairs from real translations: the Spanish
message catalogs Debian installs (/usr/share/locale/es/LC_MESSAGES/*.mo), whose msgids are the
English originals and msgstrs their Spanish translations. Each catalog gives a few documents
(a dozen messages each, one per paragraph) as NAME.en.txt/NAME.es.txt, every seventh pair as
HTML; the repository's samples are copied in, and one binary file that must fail.

    spark/make_corpus.py OUTPUT_DIR [--pairs 300]

Deterministic: the same catalogs give the same files.
"""

import argparse
import gettext
import glob
import html
import os
import re
import shutil

CATALOGS = "/usr/share/locale/es/LC_MESSAGES"
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def messages(path):
    """(English, Spanish) pairs from one .mo file: translated messages of some length."""
    with open(path, "rb") as handle:
        try:
            catalog = gettext.GNUTranslations(handle)._catalog
        except (OSError, UnicodeDecodeError):
            return []
    pairs = []
    for key, spanish in catalog.items():
        english = key[0] if isinstance(key, tuple) else key
        if not english or not spanish or (isinstance(key, tuple) and key[1] != 0):
            continue
        english = english.split("\x04")[-1]  # drop a message context
        # One paragraph per message: blank lines would split it; tabs and controls are noise.
        clean = [re.sub(r"\n\s*\n+", "\n", re.sub(r"[\x00-\x08\x0b-\x1f]", " ", text)).strip() for text in (english, spanish)]
        if len(clean[0]) >= 25 and len(clean[1]) >= 25:
            pairs.append((clean[0], clean[1]))
    pairs.sort()
    return pairs


def write_pair(directory, name, paragraphs, as_html):
    for index, language in enumerate(("en", "es")):
        texts = [pair[index] for pair in paragraphs]
        if as_html:
            body = "\n".join(f"<p>{html.escape(text)}</p>" for text in texts)
            content = f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(name)}</title></head>\n<body>\n<h1>{html.escape(name)}</h1>\n{body}\n</body></html>\n'
            extension = "html"
        else:
            content = "\n\n".join(texts) + "\n"
            extension = "txt"
        with open(os.path.join(directory, f"{name}.{language}.{extension}"), "w", encoding="utf-8") as handle:
            handle.write(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--messages-per-document", type=int, default=12)
    args = parser.parse_args()

    if os.path.exists(args.output):
        shutil.rmtree(args.output)
    catalogs_dir = os.path.join(args.output, "catalogs")
    os.makedirs(catalogs_dir)
    shutil.copytree(os.path.join(REPOSITORY, "samples"), os.path.join(args.output, "samples"), ignore=shutil.ignore_patterns("README.md"))

    sources = [(os.path.basename(path)[:-3], messages(path)) for path in sorted(glob.glob(os.path.join(CATALOGS, "*.mo")))]
    sources = [(name, pairs) for name, pairs in sources if len(pairs) >= args.messages_per_document]
    written = 0
    round_ = 0
    # Round-robin over the catalogs so that a small --pairs still samples many of them.
    while written < args.pairs and sources:
        progressed = False
        for name, pairs in sources:
            start = round_ * args.messages_per_document
            chunk = pairs[start : start + args.messages_per_document]
            if len(chunk) < args.messages_per_document or written >= args.pairs:
                continue
            folder = os.path.join(catalogs_dir, name[0].lower())
            os.makedirs(folder, exist_ok=True)
            write_pair(folder, f"{name}-{round_ + 1}", chunk, as_html=written % 7 == 6)
            written += 1
            progressed = True
        if not progressed:
            break
        round_ += 1

    with open(os.path.join(catalogs_dir, "broken.txt"), "wb") as handle:
        handle.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x00\x00\x00")
    print(f"make_corpus: {written} EN/ES pairs from {len(sources)} catalogs in {args.output}")


if __name__ == "__main__":
    main()
