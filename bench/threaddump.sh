#!/usr/bin/env bash
# Thread-dump reading throughput, against `cat` of the same file in the same run.
#
# Makes a file of at least SIZE_MB (default 1024) by concatenating the corpus's HotSpot text dumps
# (../shared/corpus/jstack and logs, the files lockscope reads) over and over, then reports:
#   cat FILE > /dev/null                the floor: reading the bytes from the page cache
#   lockscope's reader                  decode every dump, build its lock graph, find cycles
# each as the best of RUNS (default 3), in MB/s, with lockscope's peak RSS at -Xmx512m.
#
# Usage: bench/threaddump.sh [SIZE_MB] [RUNS]     (the file goes to ${TMPDIR:-/tmp})
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-1024}
runs=${2:-3}
cp=$("$root/bench/classpath.sh")
file=$("$root/bench/threaddump-log.sh" "$size_mb")
bytes=$(stat -c %s "$file")
echo "file: $file, $((bytes / 1024 / 1024)) MiB"
cat "$file" > /dev/null   # into the page cache, so both sides read from memory

now() { date +%s.%N; }
best=""
for i in $(seq 1 "$runs"); do
  start=$(now)
  cat "$file" > /dev/null
  end=$(now)
  best=$(awk -v s="$start" -v e="$end" -v b="$best" 'BEGIN { t = e - s; if (b == "" || t < b) b = t; print b }')
done
cat_mbs=$(awk -v n="$bytes" -v t="$best" 'BEGIN { printf "%.0f", n / t / 1e6 }')
printf "cat:       best of %d runs %.2f s = %d MB/s\n" "$runs" "$best" "$cat_mbs"

line=$(java -Xmx512m -cp "$cp" io.lockscope.bench.ThreadDumpThroughput "$file" "$runs")
echo "$line"
ls_mbs=$(echo "$line" | sed -n 's/.* = \([0-9]*\) MB\/s.*/\1/p')
awk -v l="$ls_mbs" -v c="$cat_mbs" 'BEGIN { printf "ratio:     lockscope reads at %.3f of cat'"'"'s speed (cat is %.1fx faster)\n", l / c, c / l }'
