#!/usr/bin/env bash
# Builds lockscope with the benchmark module (once per change: Maven skips what is up to date) and
# prints the benchmark classpath: the bench jar, lockscope and the libraries it is measured against.
#
# Usage: cp=$(bench/classpath.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(cd "$root" && mvn -q -B -Pbench -DskipTests -Dlockscope.fuzz.skip=true install) >&2
echo "$root/bench/target/lockscope-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")"
