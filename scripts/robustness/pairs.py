#!/usr/bin/env python3
"""Structured stress for the EN/ES pipeline on real text (robustness; fuzz/README.md).

Builds EN/ES pairs from the Debian reference devset's paragraph lists (.data/align/devset)
in the shapes that reach the aligner's rare branches -- one-sided runs at the start, middle
and end, both sides omitting at once, scattered omissions, duplicated and reordered
paragraphs, an empty or one-paragraph side, both texts in one file, 200,000 one-word
paragraphs, 1 MB paragraphs, only numbers, only punctuation, mixed languages, CJK/emoji/RTL
-- each below and above the windowed-alignment thresholds (12,000 paragraphs a side by
default; pairs shorter than that also go through a pipeline windowed from 100 paragraphs),
into .data/robustness/pairs/<case>/, then runs the release binary (pipelines/all-outputs.yaml)
over each case alone and reports every non-zero exit or signal.

    scripts/robustness/pairs.py [--bin .build/release/bitext] [--only SUBSTRING,…] [--sizes short,mid,huge,long] [--rounds N]

Exit status 1 when any run crashed (exit 1, a unit refused with an input error, is listed but
not counted); a crashed case's directory is kept for reproduction.
"""
import argparse, glob, json, os, random, shutil, signal, subprocess, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, ".data", "robustness", "pairs")
LONG = 14_000  # paragraphs a side above AlignParagraphs.defaultWindowAbove (12,000)
SHORT = 60     # paragraphs a side below every window


def devset():
    """The devset's paragraphs as (english, spanish) pairs, gold 1-1 links only, in order."""
    pairs = []
    for path in sorted(glob.glob(os.path.join(ROOT, ".data/align/devset/*.clean.json"))):
        d = json.load(open(path, encoding="utf-8"))
        for en, es in d["gold"]:
            if len(en) == 1 and len(es) == 1:
                pairs.append((d["en"][en[0]]["text"], d["es"][es[0]]["text"]))
    return pairs


def take(pairs, n, offset=0):
    """n pairs, cycling through the devset (long sides repeat it)."""
    return [pairs[(offset + i) % len(pairs)] for i in range(n)]


def cases(pairs, n, seed=0):
    rng = random.Random(n * 1000 + seed)
    base = take(pairs, n, offset=seed * 997)
    en, es = [p[0] for p in base], [p[1] for p in base]
    k = max(3, n // 8)
    extra_en = [p[0] for p in take(pairs, k, offset=n + 100)]
    extra_es = [p[1] for p in take(pairs, k, offset=n + 100)]
    mid = n // 2
    yield "aligned", en, es
    yield "en-run-start", extra_en + en, es
    yield "es-run-start", en, extra_es + es
    yield "en-run-end", en + extra_en, es
    yield "es-run-end", en, es + extra_es
    yield "en-run-middle", en[:mid] + extra_en + en[mid:], es
    yield "es-run-middle", en, es[:mid] + extra_es + es[mid:]
    # Both sides omit at once: EN drops a run that ES keeps and ES drops the next one.
    yield "both-omit-adjacent", en[:mid] + en[mid + k:], es[:mid + k] + es[mid + 2 * k:]
    yield "both-omit-same", en[:mid] + en[mid + k:], es[:mid] + es[mid + k:]
    # Each paragraph dropped from either side with probability 0.1, and runs of omissions.
    keep_en = [rng.random() > 0.1 for _ in base]
    keep_es = [rng.random() > 0.1 for _ in base]
    yield "scattered-omissions", [t for t, kept in zip(en, keep_en) if kept], [t for t, kept in zip(es, keep_es) if kept]
    runs_en, runs_es, i = [], [], 0
    while i < n:
        size = rng.randint(1, 6)
        side = rng.random()
        for j in range(i, min(n, i + size)):
            if side > 0.15: runs_en.append(en[j])
            if side < 0.85: runs_es.append(es[j])
        i += size
    yield "omission-runs", runs_en, runs_es
    yield "en-duplicated", [t for t in en for _ in (0, 1)], es
    yield "both-duplicated", en + en, es + es
    blocks = [list(range(i, min(n, i + 20))) for i in range(0, n, 20)]
    rng.shuffle(blocks)
    yield "es-reordered-blocks", en, [es[i] for b in blocks for i in b]
    yield "es-empty", en, []
    yield "es-one-paragraph", en, es[:1]
    yield "en-one-paragraph", en[:1], es
    yield "identical-sides", en, en
    yield "swapped-languages", es, en
    yield "only-numbers", [" ".join(str(rng.randint(0, 10**rng.randint(1, 9))) for _ in range(rng.randint(1, 12))) for _ in base], \
        [" ".join(str(rng.randint(0, 10**rng.randint(1, 9))) for _ in range(rng.randint(1, 12))) for _ in base]
    punct = "!?.,;:-()[]{}\"'«»¿¡…—–/*&%$#@"
    yield "only-punctuation", ["".join(rng.choice(punct) for _ in range(rng.randint(1, 40))) for _ in base], \
        ["".join(rng.choice(punct) for _ in range(rng.randint(1, 40))) for _ in base]
    yield "mixed-language", [a + " " + b for a, b in zip(en, es)], [b + " " + a if i % 2 else a for i, (a, b) in enumerate(zip(en, es))]
    scripts = ["東京都は日本の首都です。人口は約千四百万人。", "😀🎉👍 emoji 🇪🇸🇬🇧 ✔︎", "مرحبا بالعالم. هذا نص عربي.", "שלום עולם. זהו טקסט בעברית.", "한국어 문장입니다.", "\u200f\u202eRTL override\u202c text"]
    yield "scripts", [rng.choice(scripts) if i % 3 == 0 else t for i, t in enumerate(en)], [rng.choice(scripts) if i % 4 == 0 else t for i, t in enumerate(es)]
    # One file holding the text and then its translation (pair.documents splits it), and an
    # empty English side (the mirror of es-empty).
    yield "one-file-en-then-es", en + es, None
    yield "en-empty", [], es
    yield "numbered-lists", [f"{i + 1}. {t}" for i, t in enumerate(en)], [f"{i + 1}. {t}" for i, t in enumerate(es)]


def huge_cases(pairs):
    words = [w for p in take(pairs, 3000) for w in p[0].split()]
    palabras = [w for p in take(pairs, 3000) for w in p[1].split()]
    one_word_en = [words[i % len(words)] for i in range(200_000)]
    one_word_es = [palabras[i % len(palabras)] for i in range(200_000)]
    base = take(pairs, SHORT)
    yield "en-200k-one-word", one_word_en, [p[1] for p in base]
    yield "both-200k-one-word", one_word_en, one_word_es
    mb_en = " ".join(p[0] for p in take(pairs, 6000))[: 1 << 20]
    mb_es = " ".join(p[1] for p in take(pairs, 6000))[: 1 << 20]
    yield "one-1mb-paragraph", [mb_en], [mb_es]
    yield "1mb-paragraph-among-short", [p[0] for p in base[:30]] + [mb_en] + [p[0] for p in base[30:]], [p[1] for p in base]
    yield "1mb-paragraph-per-side-among-long", [p[0] for p in take(pairs, LONG)] + [mb_en], [mb_es] + [p[1] for p in take(pairs, LONG)]


def write_case(name, en, es):
    d = os.path.join(DATA, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for lang, paragraphs in (("en", en), ("es", es)) if es is not None else (("mixed", en),):
        with open(os.path.join(d, f"{name}.{lang}.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(p.replace("\n", " ") for p in paragraphs) + "\n")
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/release/bitext"))
    ap.add_argument("--only", default="", help="cases whose name contains one of these comma-separated strings")
    ap.add_argument("--sizes", default="short,mid,huge,long",
                    help="which sets: short (60 paragraphs), mid (600), huge (200,000 one-word paragraphs, 1 MB paragraphs), long (14,000)")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--rounds", type=int, default=1, help="further rounds of the 600-paragraph cases, other text and omissions")
    args = ap.parse_args()
    pipeline = os.path.join(ROOT, "pipelines/all-outputs.yaml")
    windowed = os.path.join(DATA, "..", "all-outputs-windowed.yaml")
    os.makedirs(DATA, exist_ok=True)
    with open(pipeline) as f, open(windowed, "w") as g:
        g.write("".join("  - use: align.paragraphs\n    with:\n      window: 100\n      window_above: 100\n" if "use: align.paragraphs" in line else line for line in f))
    pairs = devset()
    sizes = args.sizes.split(",")
    builds = []
    if "short" in sizes: builds += [(f"short-{name}", en, es) for name, en, es in cases(pairs, SHORT)]
    if "mid" in sizes:
        for r in range(args.rounds):  # windowed by the second pipeline
            builds += [(f"mid{r or ''}-{name}", en, es) for name, en, es in cases(pairs, 600, seed=r)]
    if "huge" in sizes: builds += list(huge_cases(pairs))
    if "long" in sizes: builds += [(f"long-{name}", en, es) for name, en, es in cases(pairs, LONG)]
    failures = 0
    for name, en, es in builds:
        if not any(part in name for part in args.only.split(",")): continue
        d = write_case(name, en, es)
        case_failed = False
        # Sides over 12,000 paragraphs are windowed by the default pipeline already.
        longest = max(len(en), len(es or []))
        for label, path in (("default", pipeline), ("windowed", windowed))[: 1 if longest > 12_000 else 2]:
            out = f"/dev/shm/robustness-{os.getpid()}"
            shutil.rmtree(out, ignore_errors=True)
            start = time.time()
            try:
                r = subprocess.run([args.bin, "run", path, d, "--out", out, "--jobs", "1", "--quiet"], capture_output=True, text=True,
                                   timeout=args.timeout, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
                code = r.returncode
                tail = (r.stderr or "").strip().splitlines()[-3:]
            except subprocess.TimeoutExpired:
                code, tail = "timeout", []
            shutil.rmtree(out, ignore_errors=True)
            status = "ok" if code == 0 else (f"signal {signal.Signals(-code).name}" if isinstance(code, int) and code < 0 else f"exit {code}")
            print(f"{name:45} {label:8} {len(en):7} {len(es or []):7} {time.time() - start:7.1f}s {status}", flush=True)
            if code != 0:
                # Exit 1 is a unit refused with an input error (an empty side); anything else is a crash.
                crashed = code != 1
                failures += crashed
                case_failed |= crashed
                for line in tail: print("    " + line, flush=True)
        if not case_failed: shutil.rmtree(d, ignore_errors=True)
    print(f"{failures} crashed runs (signal, timeout or exit status other than 0 and 1)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
