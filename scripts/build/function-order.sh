#!/usr/bin/env bash
# scripts/build/function-order.sh BINARY ORDER_FILE
# Lists the functions a run of BINARY over samples/ executes, most instructions first, for
# `ld.lld --symbol-ordering-file`: `make build` relinks the release binary with them packed at the
# front of .text, so a run keeps a few MB fewer code pages resident (BENCHMARKS.md, "Session 32").
# Needs valgrind (callgrind). valgrind cannot read the toolchain's debug information, so it runs a
# copy without it; the functions and their names are the same.
set -euo pipefail
bin=$1; order=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
strip --strip-debug -o "$tmp/bitext" "$bin"
cg() { valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/cg.$1" "$tmp/bitext" "${@:2}" >/dev/null 2>&1; }
cg version --version
cg samples run pipelines/default.yaml samples --out "$tmp/out" --quiet --in-process
# A callgrind file names a function once ("fn=(7) name") and then by number ("fn=(7)"); cost lines
# ("LINE COST") follow their function, and the line after "calls=" is a callee's inclusive cost.
awk '
  /^c?fn=\(/ { id = $1; sub(/^c?fn=/, "", id); if (NF > 1) name[id] = $2
               if ($0 ~ /^fn=/) cur = name[id]; next }
  /^calls=/  { skip = 1; next }
  /^[0-9+*-]/ { if (skip) { skip = 0; next } if (cur != "") cost[cur] += $2 }
  END { for (f in cost) if (f !~ /^0x/) print cost[f], f }
' "$tmp"/cg.* | sort -k1,1nr | cut -d' ' -f2 > "$order"
echo "function order: $(wc -l < "$order") functions executed over samples/ ($order)"
