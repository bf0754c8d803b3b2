#!/usr/bin/env bash
# The long fuzzing run: one reader for as long as you like, with libFuzzer's options.
#
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER_OPTION ...]
#
# TARGET is one of anyBytes threadDumpText jsonThreadDump heapDump recording archive (the methods
# of analyzer/src/test/java/io/lockscope/analyzer/fuzz/FuzzReadersTest.java). The corpus grows in
# analyzer/.cifuzz-corpus/io.lockscope.analyzer.fuzz.FuzzReadersTest/TARGET (the same folder the
# build's bounded run uses; seeded from sample-dumps/ and ../shared/corpus by a first `mvn verify`
# or by this script). A finding is written as crash-*, timeout-* or oom-* in fuzz/findings/TARGET:
# move it to analyzer/src/test/resources/io/lockscope/analyzer/fuzz/FuzzReadersTestInputs/TARGET/
# and it runs as a regression test in every build from then on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz/run.sh TARGET SECONDS [LIBFUZZER_OPTION ...]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [LIBFUZZER_OPTION ...]}
shift 2
cd "$root"
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$root/analyzer/target/fuzz-classpath.txt" \
  -Dmdep.includeScope=test > /dev/null 2>&1 || mvn -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/analyzer/target/fuzz-classpath.txt" -Dmdep.includeScope=test
cp="$root/analyzer/target/test-classes:$root/analyzer/target/classes:$(cat "$root/analyzer/target/fuzz-classpath.txt")"
corpus="$root/analyzer/.cifuzz-corpus/io.lockscope.analyzer.fuzz.FuzzReadersTest/$target"
findings="$root/fuzz/findings/$target"
mkdir -p "$corpus" "$findings"
cd "$root/analyzer"
# JAZZER_FUZZ makes FuzzSeeds plant the seeds if the corpus folder is empty
JAZZER_FUZZ=1 java -Xmx1g -cp "$cp" -Dlockscope.fuzz.target="$target" \
  -Dlockscope.samples="$root/sample-dumps" -Dlockscope.corpus="$root/../shared/corpus" \
  com.code_intelligence.jazzer.Jazzer --target_class=io.lockscope.analyzer.fuzz.FuzzTarget \
  --instrumentation_includes='io.lockscope.**' \
  -max_total_time="$seconds" -timeout=10 -artifact_prefix="$findings/" "$@" "$corpus"
