#!/usr/bin/env bash
# JFR reading: lockscope's reader against the JDK's RecordingFile reading every event, on one
# generated recording of MEGABYTES or more (deep stacks, every lock event), in one run; both with a
# 256 MB heap. Usage: bench/jfr.sh [MEGABYTES=120]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
megabytes=${1:-120}
work="${TMPDIR:-/tmp}/lockscope-bench"
file="$work/recording-${megabytes}mb.jfr"
mkdir -p "$work"
(cd "$root" && mvn -q -B -Pbench -DskipTests install)
cp="$root/bench/target/lockscope-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")"
if [ ! -f "$file" ]; then
  echo "recording about $megabytes MB ..." >&2
  java -cp "$cp" io.lockscope.bench.BigRecording "$file" "$megabytes" >&2
fi
echo "file: $file, $(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.0f MB", b / 1e6 }')"
cat "$file" > /dev/null
# each twice, alternating; the second of each is the figure (the first warms the page cache and the disk)
for i in 1 2; do
  java -Xmx256m -cp "$root/analyzer/target/lockscope.jar" io.lockscope.analyzer.bench.JfrThroughput "$file"
  java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file" || echo "RecordingFile failed at -Xmx256m"
  java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file" stacks || echo "RecordingFile failed at -Xmx256m"
  java -Xmx256m -cp "$cp" io.lockscope.bench.RecordingFileBaseline "$file" fields || echo "RecordingFile failed at -Xmx256m"
done
