#!/usr/bin/env bash
# Start-up as a user meets it: the launcher on one small dump, end to end, against the JVM's own
# start (`java -version`) measured in the same run. Median of ROUNDS runs of each.
#
#   bench/startup.sh [ROUNDS] [LAUNCHER]     (default 9 rounds, ./lockscope; JAVA_HOME picks the JDK)
#
# The first run of a new jar with a JDK makes its class-data-sharing archive; it is made before the
# rounds, as a user's first run would have made it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-9}
launcher=${2:-$root/lockscope}
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
dump="$root/sample-dumps/jdk17/monitor-deadlock.txt"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { # median COMMAND...: wall seconds, the median of $rounds runs
  local i s e
  for i in $(seq 1 "$rounds"); do
    s=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)] / 1e6}'
}

"$launcher" analyze "$dump" --format text,json,html -o "$out" > /dev/null 2>&1 || true   # the first run: archive made
floor=$(median "$java" -version)
plain=$(median "$launcher" analyze "$dump" --format text,json -o "$out")
html=$(median "$launcher" analyze "$dump" --format text,json,html -o "$out")
nocds=$(LOCKSCOPE_NO_CDS=1 median "$launcher" analyze "$dump" --format text,json -o "$out")
printf '%-44s %8s %8s\n' "run (median of $rounds)" seconds "x floor"
printf '%-44s %8s %8s\n' "java -version (the floor)" "$floor" 1.0
for row in "analyze, text and json:$plain" "analyze, text, json and html:$html" "analyze, text and json, no class-data sharing:$nocds"; do
  printf '%-44s %8s %8.1f\n' "${row%%:*}" "${row##*:}" "$(echo "${row##*:} / $floor" | bc -l)"
done
