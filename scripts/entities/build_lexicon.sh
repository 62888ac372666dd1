#!/usr/bin/env bash
# Compiles the entity gazetteers (Sources/BitextEntities/Resources: places.tsv, organizations.tsv,
# person-names.txt, currencies.txt) into Sources/BitextEntities/Resources/lexicon.bin, with the
# Swift tokenizer and hashes that read them (LexiconTables.fromText, written by binary()).
# Run it after scripts/entities/build_gazetteers.py; LexiconTablesTests fails while it is stale.
#   scripts/entities/build_lexicon.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --build-tests
BITEXT_WRITE_LEXICON="$PWD/Sources/BitextEntities/Resources/lexicon.bin" \
  swift test --skip-build --filter 'LexiconTablesTests/compiledResourceMatchesTheTextResources'
ls -l Sources/BitextEntities/Resources/lexicon.bin
