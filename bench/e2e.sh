#!/usr/bin/env bash
# The whole command as a user runs it (./lockscope analyze ...), on the three workloads of a
# user's day, each beside floors measured in the same run, median of ROUNDS rounds, wall time and
# peak RSS:
#
#   start-up     one small dump (sample-dumps/jdk17/monitor-deadlock.txt), text and json, then with
#                html too; floor: java -version
#   long log     a log of LOG_MB of HotSpot thread dumps (bench/threaddump-log.sh), json, -Xmx512m;
#                floors: cat, a bare BufferedReader.readLine scan, and lockscope's reader alone
#   incident     a folder of one JVM's 10 thread dumps of 2,000 threads, a heap dump of HEAP_GB and a
#                recording of REC_MB (made once by io.lockscope.bench.IncidentFolder), json; floors:
#                cat, each reader alone (their sum); and the report compared across two input orders
#
# Usage: bench/e2e.sh [ROUNDS=3] [LOG_MB=1024] [HEAP_GB=4] [REC_MB=200]
#        (inputs go to ${TMPDIR:-/tmp}/lockscope-bench; set WORKLOADS="startup log incident" to pick)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
log_mb=${2:-1024}
heap_gb=${3:-4}
rec_mb=${4:-200}
workloads=${WORKLOADS:-startup log incident}
work="${TMPDIR:-/tmp}/lockscope-bench"
mkdir -p "$work"
cp=$("$root/bench/classpath.sh")
launcher="$root/lockscope"
"$launcher" --version > /dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-e2e-XXXXXX")
trap 'rm -rf "$out"' EXIT

# run ROUNDS times; print "median-seconds median-peak-RSS-MiB" of the command
measure() {
  local i
  for i in $(seq 1 "$rounds"); do
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" > /dev/null 2>&1 || true
    cat "$out/time"
  done | sort -n | awk '{t[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "%.3f %d\n", t[i], m[i] / 1024}'
}
row() { # row NAME SECONDS RSS FLOOR-SECONDS [BYTES]
  local mbs="-"
  [ -n "${5:-}" ] && mbs=$(awk -v b="$5" -v t="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }')
  printf '  %-52s %9s s %7s MiB %8s MB/s %7.2fx\n' "$1" "$2" "$3" "$mbs" "$(awk -v a="$2" -v b="$4" 'BEGIN { print a / b }')"
}
header() {
  printf '\n%s (median of %d)\n  %-52s %11s %11s %13s %8s\n' "$1" "$rounds" run time "peak RSS" speed "x floor"
}

if [[ " $workloads " == *" startup "* ]]; then
  dump="$root/sample-dumps/jdk17/monitor-deadlock.txt"
  "$launcher" analyze "$dump" --format text,json,html -o "$out" > /dev/null 2>&1 || true   # a first run makes the CDS archive
  read -r floor frss <<< "$(measure java -version)"
  header "start-up: one small dump"
  row "java -version (the floor)" "$floor" "$frss" "$floor"
  read -r t m <<< "$(measure "$launcher" analyze "$dump" --format text,json -o "$out" --fail-on never)"
  row "lockscope analyze, text and json" "$t" "$m" "$floor"
  read -r t m <<< "$(measure "$launcher" analyze "$dump" --format text,json,html -o "$out" --fail-on never)"
  row "lockscope analyze, text, json and html" "$t" "$m" "$floor"
fi

if [[ " $workloads " == *" log "* ]]; then
  file=$("$root/bench/threaddump-log.sh" "$log_mb")
  bytes=$(stat -c %s "$file")
  cat "$file" > /dev/null
  read -r cat_t cat_m <<< "$(measure cat "$file")"
  read -r scan_t scan_m <<< "$(measure java -Xmx512m -cp "$cp" io.lockscope.bench.LineScan "$file")"
  read -r reader_t reader_m <<< "$(measure java -Xmx512m -cp "$cp" io.lockscope.bench.ThreadDumpThroughput "$file" 1)"
  read -r t m <<< "$(LOCKSCOPE_JAVA_OPTS=-Xmx512m measure "$launcher" analyze "$file" --format json -o "$out" --fail-on never)"
  header "long log: $((bytes / 1024 / 1024)) MiB, $(grep -c '^Full thread dump' "$file") dumps"
  row "cat (the floor)" "$cat_t" "$cat_m" "$cat_t" "$bytes"
  row "BufferedReader.readLine scan, -Xmx512m" "$scan_t" "$scan_m" "$cat_t" "$bytes"
  row "lockscope's reader alone (decode, graph, cycles)" "$reader_t" "$reader_m" "$cat_t" "$bytes"
  row "lockscope analyze, every rule, json, -Xmx512m" "$t" "$m" "$cat_t" "$bytes"
  ls -l "$out/lockscope-report.json" | awk '{ printf "  report: %.1f MB of JSON\n", $5 / 1e6 }'
fi

if [[ " $workloads " == *" incident "* ]]; then
  dir="$work/incident-${heap_gb}g-${rec_mb}mb"
  if [ ! -f "$dir/recording.jfr" ]; then
    echo "making $dir (once) ..." >&2
    rm -rf "$dir"
    xmx=$(awk -v g="$heap_gb" 'BEGIN { printf "%d", g + 3 }')
    java -Xmx${xmx}g -cp "$cp" io.lockscope.bench.IncidentFolder "$dir" "$heap_gb" "$rec_mb" 2000 10 >&2
  fi
  bytes=$(du -sb "$dir" | cut -f1)
  heap_bytes=$(stat -c %s "$dir/heap.hprof")
  cat "$dir"/* > /dev/null
  read -r cat_t cat_m <<< "$(measure sh -c "cat '$dir'/* > /dev/null")"
  cat "$dir"/threads-*.txt > "$out/threads.txt"   # the ten dumps in one JVM's run, as analyze reads them
  read -r th_t th_m <<< "$(measure java -Xmx2g -cp "$cp" io.lockscope.bench.ThreadDumpThroughput "$out/threads.txt" 1)"
  read -r heap_t heap_m <<< "$(measure java -Xmx2g -cp "$cp" io.lockscope.bench.HeapThroughput "$dir/heap.hprof")"
  read -r jfr_t jfr_m <<< "$(measure java -Xmx2g -cp "$cp" io.lockscope.bench.JfrThroughput "$dir/recording.jfr")"
  sum=$(awk -v a="$th_t" -v b="$heap_t" -v c="$jfr_t" 'BEGIN { printf "%.3f", a + b + c }')
  read -r t m <<< "$(measure "$launcher" analyze "$dir" --format json -o "$out" --fail-on never)"
  header "incident folder: $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }'), 10 thread dumps, a heap dump, a recording"
  row "cat (the floor)" "$cat_t" "$cat_m" "$cat_t" "$bytes"
  row "thread-dump reader alone, the 10 dumps in one run" "$th_t" "$th_m" "$cat_t"
  row "heap reader alone" "$heap_t" "$heap_m" "$cat_t" "$heap_bytes"
  row "recording reader alone" "$jfr_t" "$jfr_m" "$cat_t"
  row "the readers alone, summed" "$sum" "-" "$cat_t" "$bytes"
  row "lockscope analyze of the folder, json" "$t" "$m" "$cat_t" "$bytes"
  awk -v t="$t" -v s="$sum" -v h="$heap_bytes" 'BEGIN { printf "  analyze / sum of readers: %.2f; heap dump end to end: %.2f GB/s\n", t / s, h / t / 1e9 }'
  # the same report whatever the order the inputs are named in
  "$launcher" analyze "$dir"/threads-*.txt "$dir/heap.hprof" "$dir/recording.jfr" --format json -o "$out/a" --fail-on never > /dev/null 2>&1 || true
  "$launcher" analyze "$dir/recording.jfr" "$dir/heap.hprof" $(ls -r "$dir"/threads-*.txt) --format json -o "$out/b" --fail-on never > /dev/null 2>&1 || true
  strip() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("version",None); print(json.dumps(r, sort_keys=True))' "$1"; }
  if [ "$(strip "$out/a/lockscope-report.json")" = "$(strip "$out/b/lockscope-report.json")" ]; then
    echo "  the report is the same whichever order the inputs are named in"
  else
    echo "  the report DIFFERS between two orders of the inputs"
  fi
fi
