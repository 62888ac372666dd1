#!/usr/bin/env bash
# scripts/build/pgo-profile.sh INSTRUMENTED_BINARY PROFILE
# Runs a release binary built with LLVM's IR instrumentation (`-ir-profile-generate`, see the
# Makefile) over samples/ and merges what it counted into PROFILE (llvm-profdata's indexed form),
# which `make build` compiles the release binary with (`-ir-profile-use`): the compiler then knows
# which branches and calls a real run takes, for its inlining, block layout and hot or cold code
# (5-6% fewer instructions on benchmark data it never saw, BENCHMARKS.md, "Session 34").
# The runs are the ones users make most: the whole EN/ES pipeline with every output, supervised as
# `bitext run` is by default (the supervisor's process counts too), and plain ingest to JSON.
# PROFDATA names llvm-profdata (default: the one on PATH).
set -euo pipefail
bin=$1; profile=$2
profdata=${PROFDATA:-llvm-profdata}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Each process writes its own counts (%p: its process id).
export LLVM_PROFILE_FILE="$tmp/run-%p.profraw"
"$bin" --version > /dev/null
"$bin" validate pipelines/default.yaml > /dev/null
# A sample's warnings or a failed unit would not make the counts wrong: only a run that counted
# nothing fails this script (below).
"$bin" run pipelines/default.yaml samples --out "$tmp/out" --quiet 2> /dev/null || true
"$bin" run pipelines/ingest-json.yaml samples --out "$tmp/plain" --quiet 2> /dev/null || true
runs=("$tmp"/*.profraw)
[ -e "${runs[0]}" ] || { echo "pgo-profile: $bin wrote no profile (not built with -ir-profile-generate?)" >&2; exit 1; }
"$profdata" merge -o "$profile.partial" "${runs[@]}"
mv "$profile.partial" "$profile"
echo "profile: ${#runs[@]} processes' counts over samples/ ($profile)"
