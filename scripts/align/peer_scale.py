#!/usr/bin/env python3
"""The Gale–Church peer at scale: the `galechurch` PyPI package (Rust core, the full
dynamic-programming table, default parameters) on the same two documents bench_scale.sh
gives bitext, paragraphs split at blank lines as bitext's plain-text ingest splits them.
Prints CPU seconds (user + system of this process) and peak memory, or why it refused.
  scripts/align/peer_scale.py EN.txt ES.txt [--max-cells N]
"""
import argparse
import resource
import time


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def paragraphs(path):
    with open(path, encoding="utf-8") as f:
        return [p for p in f.read().split("\n\n") if p.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("english")
    ap.add_argument("spanish")
    ap.add_argument("--max-cells", type=int, default=100_000_000,
                    help="largest table allowed (the package's max_block_size; its default is 50 M)")
    args = ap.parse_args()
    try:
        import galechurch
    except ImportError:
        print("  galechurch (PyPI): not installed (pip install galechurch)")
        return
    en, es = paragraphs(args.english), paragraphs(args.spanish)
    start, wall = cpu_seconds(), time.time()
    try:
        block = galechurch.align(en, es, max_block_size=args.max_cells)
    except ValueError as error:
        print(f"  galechurch (PyPI, full table): refused: {error}".split(" Either")[0])
        return
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  galechurch (PyPI, full table), same documents: CPU {cpu_seconds() - start:.2f} s, "
          f"peak memory {peak_kib} KB (wall {time.time() - wall:.2f} s), {len(block.beads)} links")


if __name__ == "__main__":
    main()
