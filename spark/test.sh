#!/bin/sh
# Spark integration test (make test-spark): runs spark/bitext_spark.py in Spark local mode with two
# workers over the samples plus a few hundred EN/ES pairs built from Debian's message catalogs, and
# checks that the union of its outputs equals what `bitext run` writes for the same inputs.
#
#   BITEXT=.build/release/bitext spark/test.sh
#
# pyspark comes from PyPI into .data/spark-venv (Java 17 must be on PATH). Everything it makes
# stays under .data/spark/.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
BITEXT=$(realpath "${BITEXT:-.build/release/bitext}")
PIPELINE=$ROOT/${PIPELINE:-pipelines/default.yaml}
PAIRS=${PAIRS:-300}
WORK=$ROOT/.data/spark
VENV=$ROOT/.data/spark-venv

java -version >/dev/null 2>&1 || { echo "test-spark: Java 17 or later is needed (java not found)" >&2; exit 2; }
[ -x "$BITEXT" ] || { echo "test-spark: $BITEXT not built (make build)" >&2; exit 2; }
if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
    echo "test-spark: installing pyspark from PyPI into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pyspark
fi
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"

python3 spark/make_corpus.py "$WORK/corpus" --pairs "$PAIRS"
rm -rf "$WORK/run" "$WORK/spark-bitext" "$WORK/spark-names" "$WORK/spark-files"

# The reference: one batch run. Status 1 is expected: the corpus has one file that must fail.
status=0
"$BITEXT" run "$PIPELINE" "$WORK/corpus" --out "$WORK/run" --quiet --jobs 2 2> "$WORK/run.log" || status=$?
[ "$status" -le 1 ] || { echo "test-spark: bitext run failed with status $status" >&2; exit 1; }

spark_run() {  # $1: pairing mode, $2: output directory
    start=$(date +%s.%N)
    status=0
    "$VENV/bin/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false \
        --driver-java-options '-Dlog4j.rootLogger=WARN' \
        spark/bitext_spark.py "$WORK/corpus" "$2" --bitext "$BITEXT" --pipeline "$PIPELINE" --pairing "$1" \
        2> "$WORK/spark-$1.log" || status=$?
    end=$(date +%s.%N)
    grep '^bitext-spark:' "$WORK/spark-$1.log" >&2 || true
    [ "$status" -le 1 ] || { tail -40 "$WORK/spark-$1.log" >&2; echo "test-spark: the Spark job failed (status $status)" >&2; exit 1; }
    echo "test-spark: Spark local[2], pairing $1: $(echo "$end - $start" | bc) s wall"
    python3 spark/check_equal.py "$WORK/run" "$2"
}

# Grouped by bitext itself: must equal the batch run exactly.
spark_run bitext "$WORK/spark-bitext"
# Grouped in Python by file names: equal too, as long as the pipeline pairs by the same names
# (with a pairing stage) or not at all (then one record per file).
if "$BITEXT" stream --records --pipeline "$PIPELINE" "$WORK/corpus" 2>/dev/null | grep -q '"en":'; then mode=names; else mode=files; fi
spark_run "$mode" "$WORK/spark-$mode"
echo "test-spark: ok"
