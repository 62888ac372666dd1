#!/usr/bin/env python3
"""Calls per call site, from a callgrind profile made with --dump-instr=yes, each site named by its
source line (llvm-symbolizer, with the inlining chain). Finds which line makes the runtime calls
a profile counts by the million (retain/release, uniqueness checks, copies), where
callgrind_annotate only says which function does.

  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=cg.out BINARY.nd run ...
  scripts/bench/callsites.py cg.out CALLER_REGEX CALLEE_REGEX BINARY [TOP]

CALLER_REGEX and CALLEE_REGEX match mangled names (e.g. 'AnchorExtractorV8features' and
'^swift_retain$|^swift_release$'); BINARY is the unstripped binary the stripped copy was made
from (the same addresses), for its line tables. llvm-symbolizer comes with the Swift toolchain.
"""
import collections
import os
import re
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    profile, caller, callee, binary = sys.argv[1], re.compile(sys.argv[2]), re.compile(sys.argv[3]), sys.argv[4]
    top = int(sys.argv[5]) if len(sys.argv) > 5 else 40
    names = {}

    def name(text):
        # "(12) name" defines id 12; "(12)" refers to it.
        m = re.match(r'\((\d+)\)(?: (.*))?', text)
        if not m:
            return text
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), '?')

    function = called = None
    last = 0
    pending = None
    sites = collections.Counter()
    with open(profile, errors='replace') as lines:
        for line in lines:
            line = line.rstrip('\n')
            if line.startswith('fn='):
                function = name(line[3:])
            elif line.startswith('cfn='):
                called = name(line[4:])
            elif line.startswith('calls='):
                pending = int(line.split()[0][6:])
            elif line and line[0] in '0123456789+-*':
                # A cost line: its first field is the instruction's address, absolute or
                # relative to the last one (callgrind's position compression).
                field = line.split()[0]
                if field.startswith('0x'):
                    address = int(field, 16)
                elif field[0] in '+-':
                    address = last + int(field)
                elif field == '*':
                    address = last
                else:
                    continue
                last = address
                if pending is not None:
                    if function and called and caller.search(function) and callee.search(called):
                        sites[(address, called)] += pending
                    pending = None
    chosen = sites.most_common(top)
    symbolizer = shutil.which('llvm-symbolizer') or os.path.join(os.path.dirname(os.path.realpath(shutil.which('swift') or '')), 'llvm-symbolizer')
    answer = subprocess.run([symbolizer, '--obj=' + binary, '--inlining', '--no-demangle'],
                            input='\n'.join(hex(a) for (a, _), _ in chosen), capture_output=True, text=True).stdout
    for ((address, target), count), frames in zip(chosen, answer.strip().split('\n\n')):
        lines = [f.rsplit('/', 1)[-1] for f in frames.split('\n') if ':' in f and not f.startswith('$')]
        print(f'{count:>12,}  {address:#x}  {target[:40]:40}  ' + ' <- '.join(lines[:4]))


if __name__ == '__main__':
    main()
