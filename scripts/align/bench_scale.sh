#!/usr/bin/env bash
# Scale benchmark for paragraph alignment: two documents of N paragraphs each (real
# debian-reference EN/ES text repeated, ~5% of paragraphs deleted, merged or split) aligned
# by the release binary, then by the `galechurch` PyPI package (Gale–Church, full table) as the
# peer; prints CPU time (user + system), peak memory and wall time per size.
#   scripts/align/bench_scale.sh [N ...]      (default: 5000 10000 20000)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d .data/align/devset ] && [ .data/align/devset -nt scripts/align/build_devset.py ] || { python3 scripts/align/build_devset.py > /dev/null && touch .data/align/devset; }
make --no-print-directory build >/dev/null
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000 20000)
for n in "${sizes[@]}"; do
  python3 scripts/align/build_scale.py --blocks "$n" >/dev/null
  en=.data/align/scale/scale-$n.en.txt
  es=.data/align/scale/scale-$n.es.txt
  /usr/bin/time -f "$n paragraphs per side: CPU user %U s + system %S s, peak memory %M KB (wall %e s)" \
    .build/release/bitext align "$en" "$es" --pipeline scripts/align/scale-pipeline.yaml --format json >/tmp/bitext-scale-$n.json
  python3 -c "import json,sys; d=json.load(open('/tmp/bitext-scale-$n.json')); p=d['paragraphs']; print(f\"  en {len(p.get('en',[]))} / es {len(p.get('es',[]))} paragraphs, {len(d.get('alignment') or [])} links\")"
  # The peer in the same run: a Gale–Church implementation on the same two documents.
  python3 scripts/align/peer_scale.py "$en" "$es"
done
