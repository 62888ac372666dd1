#!/bin/sh
# Packs the bitext executable with the resource bundles it loads at run time (language model,
# alignment dictionary, gazetteers: the bitext_*.resources folders beside it) into one archive
# to ship to Spark workers with `spark-submit --archives .build/bitext-spark.tar.gz#bitext`.
#
#   make build                     # release, Swift runtime linked statically: none needed on workers
#   spark/package.sh [BUILD_DIR]   # default .build/release
#
# Workers then need only glibc, libstdc++, libxml2, libsqlite3 and mimalloc (Debian/Ubuntu: libxml2, which
# brings ICU and zlib; libsqlite3-0; libmimalloc2.0, which release builds on Linux link).
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-.build/release}
[ -x "$BUILD/bitext" ] || { echo "package: $BUILD/bitext not built" >&2; exit 2; }
# swift-backtrace (when `make build` put it there) prints Swift's crash report if bitext crashes.
tar -czf .build/bitext-spark.tar.gz -C "$BUILD" bitext $(cd "$BUILD" && ls -d swift-backtrace bitext_*.resources 2>/dev/null)
echo "package: .build/bitext-spark.tar.gz ($(du -h .build/bitext-spark.tar.gz | cut -f1)); on the workers: ./bitext/bitext"
