# Sourced by the benchmark scripts.
#
# measure COMMAND...: prints "WALL CPU KIB" (CPU = user + system seconds, KIB = peak resident
# set) of one run of the command, its output discarded.
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$log" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$log" | awk '{ print $1, $2 + $3, $4 }'
  rm -f "$log"
}

# measure_median RUNS PREPARE COMMAND...: runs PREPARE (a shell command: clear the output, sync)
# then COMMAND, RUNS times, and prints "WALL CPU KIB CPU_MIN CPU_MAX" of the run with the median
# CPU time (the lower middle one for an even count) and the range of the CPU times. A single run
# on a shared machine can be 10–30% off (system time of writeback, another job's burst): one
# noisy run decided whether a target was met. `{run}` in COMMAND's arguments becomes the run's
# number (1..RUNS), e.g. for an output directory of its own per run.
measure_median() {
  local runs=$1 prepare=$2 r
  shift 2
  local results=""
  for ((r = 1; r <= runs; r++)); do
    eval "$prepare"
    results+="$(measure "${@//\{run\}/$r}")"$'\n'
  done
  printf '%s' "$results" | sort -k2,2g | awk -v m=$(((runs + 1) / 2)) '
    NR == 1 { lo = $2 } { hi = $2 } NR == m { w = $1; c = $2; k = $3 }
    END { print w, c, k, lo, hi }'
}
