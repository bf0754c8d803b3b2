#!/usr/bin/env bash
# Makes (once) a log of at least SIZE_MB of HotSpot thread dumps, the corpus's text dumps that
# lockscope reads as HotSpot's (../shared/corpus/jstack and logs) concatenated over and over, and
# prints its path. Used by bench/threaddump.sh and bench/longlog.sh.
#
# Usage: bench/threaddump-log.sh SIZE_MB      (the file goes to ${TMPDIR:-/tmp}/lockscope-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:?usage: bench/threaddump-log.sh SIZE_MB}
work="${TMPDIR:-/tmp}/lockscope-bench"
file="$work/threaddumps-${size_mb}mb.txt"
mkdir -p "$work"
if [ ! -f "$file" ]; then
  cp=$("$root/bench/classpath.sh")
  echo "making $file from the corpus ..." >&2
  seed="$work/seed.txt"
  : > "$seed"
  # only files lockscope reads as HotSpot dumps; skip formats it refuses
  for f in "$root"/../shared/corpus/jstack/*.txt "$root"/../shared/corpus/logs/*.txt; do
    java -cp "$cp" io.lockscope.bench.IsHotSpotText "$f" && cat "$f" >> "$seed"
  done
  while [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" -lt $((size_mb * 1024 * 1024)) ]; do
    cat "$seed" >> "$file"
  done
fi
echo "$file"
