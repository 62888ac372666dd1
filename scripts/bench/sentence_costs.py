#!/usr/bin/env python3
"""CPU seconds of the sentence stages and their parts, for one or more builds, on the 1,000
bench pairs or the long pair: perf cpu-clock samples (4 kHz, call stacks) counted by the
function on the stack (the method of unit_costs.sh), the builds' runs interleaved and the
least disturbed of RUNS runs kept per row (the machine is shared).

    scripts/bench/sentence_costs.py RUNS pairs PAIRS_DIR BITEXT [BITEXT...]
    scripts/bench/sentence_costs.py RUNS book BITEXT [BITEXT...]     (.data/bench/book.{en,es}.txt)
"""
import os, subprocess, sys, tempfile

runs, what = int(sys.argv[1]), sys.argv[2]
pairs = sys.argv[3] if what == "pairs" else None
bins = sys.argv[4:] if what == "pairs" else sys.argv[3:]
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# (row, symbols on the stack; rows after the third count only inside align.sentences)
rows = [
    ("whole run", None),
    ("segment.sentences", ["SegmentSentencesV7process"]),
    ("align.sentences", ["0B9SentencesV7process"]),
    ("· sentence features (AnchorExtractor.features)", ["AlignerV16sentenceFeatures"]),
    ("· freeing the paragraphs' memo and views", ["WordMemoVWOh", "AlignmentLinkVGSgWOhTm"]),
    ("· links, one sentence a side (SentencePairSearch)", ["SentencePairSearchV5links"]),
    ("· other links (SentenceSearch)", ["SentenceSearchV5links"]),
    ("· links by Aligner.align", ["7AlignerV5align7english", "AlignerV9SideIndex", "BandSearchV3run", "AlignerV9linkTerms", "AlignerV15rivalSimilarity"]),
    ("· QA flags", ["QAFlagsO5flags"]),
]
os.makedirs(".data", exist_ok=True)
work = tempfile.mkdtemp(dir=".data", prefix="sentence-costs.")
best = {b: [float("inf")] * len(rows) for b in bins}
for r in range(runs):
    for n, b in enumerate(bins):
        data = os.path.join(work, "perf.data")
        if what == "pairs":
            cmd = [b, "run", "scripts/bench/full-json.yaml", pairs, "--out", os.path.join(work, f"out-{r}-{n}"), "--jobs", "1", "--quiet"]
        else:
            cmd = [b, "align", ".data/bench/book.en.txt", ".data/bench/book.es.txt", "--pipeline", "scripts/bench/full-json.yaml", "--format", "json"]
        subprocess.run(["perf", "record", "-q", "-F", "4000", "-g", "-o", data] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"], capture_output=True, text=True).stdout
        counts = [0] * len(rows)
        for sample in text.split("\n\n"):
            if not sample.strip():
                continue
            for i, (_, symbols) in enumerate(rows):
                if symbols is None or (any(s in sample for s in symbols) and (i < 3 or "0B9SentencesV7process" in sample)):
                    counts[i] += 1
        for i, c in enumerate(counts):
            best[b][i] = min(best[b][i], c / 4000)
subprocess.run(["rm", "-rf", work])
print("| row | " + " | ".join(bins) + " |")
print("|---|" + "---|" * len(bins))
for i, (name, _) in enumerate(rows):
    print(f"| {name} | " + " | ".join(f"{best[b][i]:.3f}" for b in bins) + " |")
