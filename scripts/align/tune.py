#!/usr/bin/env python3
"""Grid search of the aligner's cost parameters on the tuning part of the development set
(maint-guide only; debian-reference and libreoffice-help stay held out). Runs the DevSetHarness test with
BITEXT_ALIGN_PARAMS overrides and scores with evaluate.counts.

Usage: python3 scripts/align/tune.py '{"skipCost":[4,6,8],"contentWeight":[6,8,10]}' [--only maint-guide]
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
    for variant in ("clean", "perturbed"):
        total = {}
        for name, doc in evaluate.load_docs(os.path.join(ROOT, ".data/align/devset"), only, variant):
            test = evaluate.predict("bitext", name, doc, os.path.join(ROOT, ".data/align/tune"), None)
            for k, v in evaluate.counts(doc["gold"], test).items():
                total[k] = total.get(k, 0) + v
        _, _, sf = evaluate.prf(total["p_strict"], total["n_pred"], total["r_strict"], total["n_gold"])
        _, _, of = evaluate.prf(total["om_tp"], total["om_pred"], total["om_tp"], total["om_gold"])
        out[variant] = (sf, of)
    return out


def main():
    grid = json.loads(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else "maint-guide"
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        params = dict(zip(keys, values))
        r = run(params, only)
        print(json.dumps(params), f"clean F1 {r['clean'][0]:.4f} | perturbed F1 {r['perturbed'][0]:.4f} omission F1 {r['perturbed'][1]:.4f}", flush=True)


if __name__ == "__main__":
    main()
