#!/usr/bin/env python3
"""Does pair.documents split one file holding a text and its translation, and only those?

Builds single files from the alignment devset's gold 1-1 paragraphs (.data/align/devset,
Debian and LibreOffice parts apart): a text then its translation (EN→ES and ES→EN, many
sizes and seeds), and documents that must stay whole (monolingual EN "mono-source" and ES "mono-translation", named so that no language tag pairs them; an English
document with a Spanish abstract or quotes of 10–30% of its text at the start, middle or
end; the Spanish mirror; alternating EN/ES paragraphs). Runs BIN over them with
scripts/bench/full-json.yaml and counts, from each output's paragraphs, the files split at
the right boundary (blocks of neither language may fall on either side), near it (within
5% of a part, at least 2 paragraphs: untranslated paragraphs next to it went with the other
part), elsewhere, and left whole.

    scripts/robustness/onefile.py [--bin .build/release/bitext] [--out /dev/shm/onefile]
"""
import argparse, glob, json, os, random, shutil, subprocess, sys
from collections import Counter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def devset(prefixes):
    """Gold 1-1 (english, spanish) paragraph pairs of the devset files starting with a prefix."""
    pairs = []
    for path in sorted(glob.glob(os.path.join(ROOT, ".data/align/devset/*.clean.json"))):
        if not os.path.basename(path).startswith(prefixes):
            continue
        d = json.load(open(path, encoding="utf-8"))
        for en, es in d["gold"]:
            if len(en) == 1 and len(es) == 1:
                pairs.append((d["en"][en[0]]["text"], d["es"][es[0]]["text"]))
    return pairs


def take(pairs, n, offset):
    return [pairs[(offset + i) % len(pairs)] for i in range(n)]


def documents(sources, sizes, seeds):
    """(name, paragraphs, expected boundary or None) for every case."""
    for source, pairs in sources.items():
        for n in sizes:
            for seed in range(seeds):
                base = take(pairs, n, offset=seed * 997 + n)
                en, es = [p[0] for p in base], [p[1] for p in base]
                yield f"{source}-n{n}-s{seed}-en-then-es", en + es, n
                yield f"{source}-n{n}-s{seed}-es-then-en", es + en, n
                yield f"{source}-n{n}-s{seed}-mono-source", en, None
                yield f"{source}-n{n}-s{seed}-mono-translation", es, None
                yield f"{source}-n{n}-s{seed}-interleaved", [t for p in base for t in p], None
                rng = random.Random(n * 1000 + seed)
                for share in (0.1, 0.2, 0.3):
                    k = max(1, round(n * share / (1 - share)))
                    other = take(pairs, k, offset=seed * 991 + 5 * n + 7)
                    at = rng.randint(1, n - 1)
                    for main, insert, label in ((en, [p[1] for p in other], "en-with-es"), (es, [p[0] for p in other], "es-with-en")):
                        for place, i in (("start", 0), ("middle", at), ("end", n)):
                            yield f"{source}-n{n}-s{seed}-{label}-{int(share * 100)}-{place}", main[:i] + insert + main[i:], None


def outcome(path, expected, paragraph_count):
    """'right', 'near', 'wrong' (split elsewhere, or split at all when it should not be) or 'whole'."""
    d = json.load(open(path, encoding="utf-8"))
    if not d.get("paired"):
        return "whole", None
    sides = {lang: sorted(p["block"] for p in d["paragraphs"].get(lang, [])) for lang in ("en", "es")}
    if not sides["en"] or not sides["es"]:
        return "whole", None
    first, second = (sides["en"], sides["es"]) if sides["en"][0] < sides["es"][0] else (sides["es"], sides["en"])
    boundary = second[0]
    if expected is None:
        return "wrong", boundary
    # Right when only blocks of neither language lie between the split and the true boundary.
    language = {p["block"]: p.get("lang") for side in d["paragraphs"].values() for p in side}
    between = range(min(boundary, expected), max(boundary, expected))
    if all(language.get(b) not in ("en", "es") for b in between):
        return "right", boundary
    # Near: untranslated paragraphs next to the boundary went with the other part.
    return ("near" if len(between) <= max(2, expected // 20) else "wrong"), boundary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/bitext"))
    ap.add_argument("--out", default="/dev/shm/onefile")
    ap.add_argument("--sizes", default="8,20,60,200,600,3000")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="reuse the inputs already written")
    args = ap.parse_args()
    sources = {"debian": devset(("debian-reference", "maint-guide")), "libreoffice": devset(("libreoffice",))}
    inputs, outputs = os.path.join(args.out, "in"), os.path.join(args.out, "out")
    cases = list(documents(sources, [int(s) for s in args.sizes.split(",")], args.seeds))
    if not args.keep:
        shutil.rmtree(inputs, ignore_errors=True)
        os.makedirs(inputs)
        for name, paragraphs, _ in cases:
            with open(os.path.join(inputs, name + ".txt"), "w", encoding="utf-8") as f:
                f.write("\n\n".join(p.replace("\n", " ") for p in paragraphs) + "\n")
    shutil.rmtree(outputs, ignore_errors=True)
    subprocess.run([args.bin, "run", os.path.join(ROOT, "scripts/bench/full-json.yaml"), inputs, "--out", outputs],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    table = Counter()
    for name, paragraphs, expected in cases:
        kind = name.split("-", 3)[3]
        kind = "text-then-translation" if expected else kind.rsplit("-", 2)[0] if "with" in kind else kind
        kind = name.split("-", 1)[0] + " " + kind
        result, boundary = outcome(os.path.join(outputs, name + ".json"), expected, len(paragraphs))
        table[(kind, result)] += 1
        if (expected is None) == (result != "whole") or result in ("near", "wrong"):
            print(f"  {name}: {result} at {boundary} (expected {expected})")
    kinds = sorted({k for k, _ in table})
    print(f"{'source and case':36} {'right':>6} {'near':>6} {'wrong':>6} {'whole':>6}")
    for kind in kinds:
        print(f"{kind:36}" + "".join(f" {table[(kind, result)]:6}" for result in ("right", "near", "wrong", "whole")))


if __name__ == "__main__":
    main()
