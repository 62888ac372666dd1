# Sourced by the benchmark scripts. measure COMMAND...: prints "WALL CPU KIB" (CPU = user +
# system seconds, KIB = peak resident set) of the command, its output discarded.
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$log" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$log" | awk '{ print $1, $2 + $3, $4 }'
  rm -f "$log"
}
