#!/usr/bin/env bash
# Heap-dump reading: cat, lockscope's heap reader and a library from Maven Central doing the same
# lock extraction, on one generated heap dump, in one run; time, MB/s and peak RSS for each.
#
# Usage: bench/heap.sh [GIGABYTES=3.2] [LIBRARY_XMX=12g]    (the dump goes to ${TMPDIR:-/tmp})
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gigabytes=${1:-3.2}
library_xmx=${2:-12g}
work="${TMPDIR:-/tmp}/lockscope-bench"
file="$work/heap-${gigabytes}g.hprof"
mkdir -p "$work"

cp=$("$root/bench/classpath.sh")

if [ ! -f "$file" ]; then
  echo "generating a heap dump of about $gigabytes GiB ..." >&2
  xmx=$(awk -v g="$gigabytes" 'BEGIN { printf "%d", g + 3 }')
  java -Xmx${xmx}g -cp "$cp" io.lockscope.bench.BigHeap "$file" "$gigabytes" >&2
fi
bytes=$(stat -c %s "$file")
echo "file: $file, $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')"
cat "$file" > /dev/null   # into the page cache: every reader reads from memory

now() { date +%s.%N; }
best=""
for i in 1 2 3; do
  start=$(now); cat "$file" > /dev/null; end=$(now)
  best=$(awk -v s="$start" -v e="$end" -v b="$best" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; print b }')
done
awk -v b="$bytes" -v t="$best" 'BEGIN { printf "cat: best of 3 %.2f s = %.0f MB/s\n", t, b / t / 1e6 }'

# lockscope with a small heap, best of 3; the library once (it is slow, and needs a heap near the dump's size)
for i in 1 2 3; do
  java -Xmx256m -XX:+UseSerialGC -cp "$cp" io.lockscope.bench.HeapThroughput "$file" 2>/dev/null
done
java -Xmx"$library_xmx" -cp "$cp" io.lockscope.bench.LibraryLockExtraction "$file"
