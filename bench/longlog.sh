#!/usr/bin/env bash
# A long console log end to end, in bounded memory: `lockscope analyze` of a log of thousands of
# thread dumps (the corpus's HotSpot text dumps concatenated, as bench/threaddump.sh makes it) with
# every rule and the JSON and HTML reports, at a small heap; wall time and peak RSS, beside the
# floors of the same run (`cat` of the file, `java -version`).
#
# Usage: bench/longlog.sh [SIZE_MB=2048] [XMX=256m]     (the log goes to ${TMPDIR:-/tmp}/lockscope-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-2048}
xmx=${2:-256m}
"$root/lockscope" --version > /dev/null   # builds the jar if needed
jar="$root/analyzer/target/lockscope.jar"
file=$("$root/bench/threaddump-log.sh" "$size_mb")
bytes=$(stat -c %s "$file")
dumps=$(grep -c "^Full thread dump" "$file" || true)
echo "file: $file, $((bytes / 1024 / 1024)) MiB, $dumps dumps"
cat "$file" > /dev/null
now() { date +%s.%N; }
s=$(now); cat "$file" > /dev/null; e=$(now)
awk -v s="$s" -v e="$e" -v b="$bytes" 'BEGIN { printf "cat:           %7.2f s  %6.0f MB/s\n", e - s, b / (e - s) / 1e6 }'
s=$(now); java -version 2> /dev/null; e=$(now)
awk -v s="$s" -v e="$e" 'BEGIN { printf "java -version: %7.2f s\n", e - s }'
out=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-longlog-XXXXXX")
log="$out/time.txt"
s=$(now)
/usr/bin/time -v -o "$log" java -Xmx"$xmx" -jar "$jar" analyze "$file" -o "$out" --format json,html --fail-on never > /dev/null
e=$(now)
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
awk -v s="$s" -v e="$e" -v b="$bytes" -v r="$rss" -v x="$xmx" \
  'BEGIN { printf "lockscope analyze, -Xmx%s, json and html: %7.2f s  %6.1f MB/s  peak RSS %d MiB\n", x, e - s, b / (e - s) / 1e6, r / 1024 }'
ls -l "$out"/lockscope-report.json "$out"/lockscope-report.html | awk '{ printf "  %s: %.1f MB\n", $NF, $5 / 1e6 }'
rm -rf "$out"
