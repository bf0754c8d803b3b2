#!/usr/bin/env bash
# How often lockscope raises a false alarm on a healthy, busy JVM: runs a healthy scenario of
# scenarios/Scenario.java, takes N dumps of it in a row (jcmd Thread.print -l), and analyzes each
# dump alone and each two in a row, as a user with one dump or with two would. Prints how many of
# those runs report a warning or an error, and which.
#
# Usage: sample-dumps/false-alarms.sh [SCENARIO=fair-turns] [N=40] [JAR=analyzer/target/lockscope.jar]
#   JAVA_HOME picks the JDK of the scenario (default: the `java` on PATH); NOLOCKS=1 takes the dumps
#   without -l, as most people do (no owners of java.util.concurrent locks shown).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
scenario=${1:-fair-turns}
n=${2:-40}
jar=${3:-$here/../analyzer/target/lockscope.jar}
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
jcmd_bin=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
[ -f "$jar" ] || { echo "false-alarms: no $jar; build it first (mvn -B -q install -DskipTests)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-false-alarms-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"${java_bin%java}javac" -d "$work/classes" "$here/scenarios/Scenario.java"
(cd "$work" && exec "$java_bin" -cp "$work/classes" Scenario "$scenario") > "$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -qx READY "$work/log" && break; sleep 0.1; done
grep -qx READY "$work/log" || { echo "false-alarms: $scenario did not print READY" >&2; cat "$work/log" >&2; exit 1; }
locks=-l
[ -n "${NOLOCKS:-}" ] && locks=""
for i in $(seq 1 "$n"); do
  "$jcmd_bin" "$pid" Thread.print $locks > "$work/d$i.txt"
done
kill -9 "$pid" 2>/dev/null || true # the analyses below should not compete with a busy JVM
wait "$pid" 2>/dev/null || true
pid=""

alarms() { # alarms FILE...: the findings at warning or above, one line each, or nothing
  java -XX:TieredStopAtLevel=1 -jar "$jar" analyze "$@" --format text --fail-on never 2> /dev/null \
    | awk '/^(ERROR|WARNING) / { print $1, $2 }' | sort | uniq -c | awk '{ print $2, $3 "(" $1 ")" }' || true
}

single=0 pairs=0
for i in $(seq 1 "$n"); do
  a=$(alarms "$work/d$i.txt")
  [ -n "$a" ] && { single=$((single + 1)); echo "dump $i alone: $a" | tr '\n' ' '; echo; }
  if [ "$i" -lt "$n" ]; then
    b=$(alarms "$work/d$i.txt" "$work/d$((i + 1)).txt")
    [ -n "$b" ] && { pairs=$((pairs + 1)); echo "dumps $i and $((i + 1)): $b" | tr '\n' ' '; echo; }
  fi
done
echo "$scenario${NOLOCKS:+ (without -l)} on $("$java_bin" -version 2>&1 | head -1): alarms in $single of $n dumps alone, in $pairs of $((n - 1)) pairs"
