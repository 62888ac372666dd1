#!/usr/bin/env python3
"""Grid search of the aligner's cost parameters on the tuning part of the development set
(maint-guide and libreoffice-tune; debian-reference and libreoffice-held stay held out). Runs the
DevSetHarness test with BITEXT_ALIGN_PARAMS overrides and scores each set with evaluate.counts.

Usage: python3 scripts/align/tune.py '{"skipCost":[4,6,8],"contentWeight":[6,8,10]}' [maint-guide,libreoffice-tune]
"""
import itertools
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import evaluate  # noqa: E402

ROOT = evaluate.ROOT


def run(params, only):
    env = dict(os.environ, BITEXT_ALIGN_DEVSET=os.path.join(ROOT, ".data/align/devset"),
               BITEXT_ALIGN_PREDICTIONS=os.path.join(ROOT, ".data/align/tune"),
               BITEXT_ALIGN_ONLY=only, BITEXT_ALIGN_PARAMS=json.dumps(params))
    subprocess.run(["swift", "test", "--skip-build", "--filter", "DevSetHarness"], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    out = {}
    for group in only.split(","):
        for variant in ("clean", "perturbed"):
            total = {}
            for name, doc in evaluate.load_docs(os.path.join(ROOT, ".data/align/devset"), group, variant):
                test = evaluate.predict("bitext", name, doc, os.path.join(ROOT, ".data/align/tune"), None)
                for k, v in evaluate.counts(doc["gold"], test).items():
                    total[k] = total.get(k, 0) + v
            _, _, sf = evaluate.prf(total["p_strict"], total["n_pred"], total["r_strict"], total["n_gold"])
            _, _, of = evaluate.prf(total["om_tp"], total["om_pred"], total["om_tp"], total["om_gold"])
            out[(group, variant)] = (sf, of)
    return out


def main():
    grid = json.loads(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else "maint-guide,libreoffice-tune"
    if any(h in only for h in ("debian-reference", "libreoffice-held")):
        sys.exit("tune.py: held-out sets are not tuned on")
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        params = dict(zip(keys, values))
        r = run(params, only)
        print(json.dumps(params), " || ".join(
            f"{g}: clean F1 {r[(g, 'clean')][0]:.4f} | perturbed F1 {r[(g, 'perturbed')][0]:.4f} omission F1 {r[(g, 'perturbed')][1]:.4f}"
            for g in only.split(",")), flush=True)


if __name__ == "__main__":
    main()
