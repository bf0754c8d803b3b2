#!/usr/bin/env bash
# JFR reading: lockscope's reader against the JDK's RecordingFile, on one generated recording of
# MEGABYTES or more (deep stacks, every lock event, no threshold), in one run. Reports, as the
# median of RUNS rounds (each round runs every reader once, in turn, so noise hits all alike):
#   cat FILE > /dev/null               the floor: the bytes from the page cache
#   lockscope                          what `analyze` does with a recording (io.lockscope.bench.JfrThroughput)
#   RecordingFile                      readEvent() over every event, touching nothing
#   RecordingFile with fields          the same job as lockscope's written plainly on RecordingFile
#   RecordingFile with stacks          every event's stack as well
# all with -Xmx256m; then lockscope once more with -Xmx32m, to show its heap does not grow with the file.
#
# Usage: bench/jfr.sh [MEGABYTES=120] [RUNS=5]     (the recording goes to ${TMPDIR:-/tmp}/lockscope-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
megabytes=${1:-120}
runs=${2:-5}
work="${TMPDIR:-/tmp}/lockscope-bench"
# named for the generator's source too, so a changed generator makes a new recording
file="$work/recording-${megabytes}mb-$(sha1sum "$root/bench/src/main/java/io/lockscope/bench/BigRecording.java" | cut -c1-8).jfr"
mkdir -p "$work"
cp=$("$root/bench/classpath.sh")
if [ ! -f "$file" ]; then
  echo "recording about $megabytes MB ..." >&2
  java -cp "$cp" io.lockscope.bench.BigRecording "$file" "$megabytes" >&2
fi
bytes=$(stat -c %s "$file")
echo "file: $file, $(awk -v b="$bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }'), $runs rounds, medians"
cat "$file" > /dev/null   # into the page cache, so every reader reads from memory

results="$work/jfr-results.txt"
: > "$results"
now() { date +%s.%N; }
# one line per run: NAME SECONDS RSS_KB LINE
record() {
  local name=$1; shift
  local line
  if line=$("$@" 2>&1 | tail -1); then
    local secs rss
    secs=$(sed -n 's/.*; \([0-9.]*\) s = .*/\1/p' <<< "$line")
    rss=$(sed -n 's/.*peak RSS \([0-9]*\) kB.*/\1/p' <<< "$line")
    echo "$name $secs $rss $line" >> "$results"
  else
    echo "$name failed: $line" >&2
  fi
}
for i in $(seq 1 "$runs"); do
  start=$(now); cat "$file" > /dev/null; end=$(now)
  echo "cat $(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }') 0 cat" >> "$results"
  record lockscope java -Xmx256m -cp "$cp" io.lockscope.bench.JfrThroughput "$file"
  record RecordingFile java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file"
  record "RecordingFile-fields" java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file" fields
  record "RecordingFile-stacks" java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file" stacks
done

median() { awk -v n="$1" '$1 == n { print $2 }' "$results" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxrss() { awk -v n="$1" '$1 == n && $3 > m { m = $3 } END { printf "%.0f", m / 1024 }' "$results"; }
cat_s=$(median cat)
base_s=$(median RecordingFile)
for name in cat lockscope RecordingFile RecordingFile-fields RecordingFile-stacks; do
  s=$(median "$name")
  awk -v n="$name" -v s="$s" -v b="$bytes" -v c="$cat_s" -v r="$base_s" -v m="$(maxrss "$name")" 'BEGIN {
    printf "%-22s %6.2f s  %6.0f MB/s  %6.3f of cat  %5.2fx RecordingFile\047s time", n, s, b / s / 1e6, c / s, s / r
    if (n != "cat") printf "  peak RSS %d MiB", m
    printf "\n" }'
done
echo "lockscope at -Xmx32m: $(java -Xmx32m -cp "$cp" io.lockscope.bench.JfrThroughput "$file" 2>&1 | tail -1)"
