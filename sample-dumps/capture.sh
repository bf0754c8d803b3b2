#!/usr/bin/env bash
# Regenerates the sample dumps: runs every scenario of scenarios/Scenario.java on JDK 17 and on
# JDK 25, waits for it to print READY, and captures what an incident responder would:
#   jcmd <pid> Thread.print -l                          -> jdkNN/<scenario>.txt
#   jcmd <pid> Thread.print, without -l (those in NOLOCKS) -> jdkNN/<scenario>.nolocks.txt (no owners of
#                                                          java.util.concurrent locks, as many users capture)
#   jcmd <pid> Thread.dump_to_file -format=json (21+)   -> jdkNN/<scenario>.json
#   jcmd <pid> Thread.dump_to_file, its default plain text (21+, those in DUMP_TEXT)
#                                                       -> jdkNN/<scenario>.dump-to-file.txt
#   jcmd <pid> Thread.print -l, again and again (those in UNPARKED, JDK 25) until one catches a thread
#     leaving its park for a lock: its header says runnable, its Thread.State still WAITING (parking)
#     (handoff.awk's "unparked")
#                                                        -> jdkNN/<scenario>.unparked.txt
#   jcmd <pid> Thread.print -l, again and again (those in HANDOFF) until one catches a lock at a
#     hand-off that nothing in the dump shows (handoff.awk's "window": threads parked for a ReentrantLock
#     that no thread owns, none woken, none unlocking), with the dump before it and one after it
#                                                        -> jdkNN/<scenario>.handoff-1.txt, -2.txt, -3.txt
#   jcmd <pid> Thread.print -l, again and again (those in WOKEN, RELEASED) until one catches a ReentrantLock
#     with waiters and no owner while a thread parked for it runs (just woken), or while a thread is
#     inside ReentrantLock.unlock (handoff.awk's "woken", "released")
#                                                        -> jdkNN/<scenario>.woken.txt, .released.txt
#   jcmd <pid> Thread.print, without -l, again and again (those in BOTH) until one shows a thread on its way
#     into a read lock and one parked for a ReentrantLock (handoff.awk's "both") -> jdkNN/<scenario>.nolocks.txt
#   jcmd <pid> Thread.print -l, again and again (those in WINDOWS, JDK 17) until two have been caught in a
#     hand-off's window, the one after the other        -> jdkNN/<scenario>.windows-1.txt, -2.txt
#   jcmd <pid> Thread.print -l, again and again (those in WINDOW, JDK 17) until one is caught in a hand-off's window
#                                                        -> jdkNN/<scenario>.window.txt
#     and until one is caught in a window while a thread is past the call that locks it (handoff.awk's "passed")
#                                                        -> jdkNN/<scenario>.passed.txt
#   jcmd <pid> GC.heap_dump -gz=9                      -> jdkNN/<scenario>.hprof.gz (those in HEAP)
#   jcmd <pid> JFR.dump, recording since start          -> jdkNN/<scenario>.jfr (those in JFR, with exceptions on)
#   jhsdb jstack --locks --pid <pid>                    -> jdkNN/<scenario>.jhsdb.txt (those in SA: the Serviceability
#                                                          Agent's dump, what a JVM too hung for jcmd still gives)
#   kill -QUIT <pid>, the JVM's standard output kept as a container runtime keeps a pod's log on its node
#     (containerd's CRI format: "<RFC3339Nano time> stdout F <line>", cri_log below), and as Docker's
#     json-file driver keeps a container's ({"log":"<line>\n","stream":"stdout","time":"..."}, docker_log below)
#                                                       -> jdkNN/<scenario>.pod.log, .docker-json.log (those in POD, after the others)
#   kill -QUIT <pid> twice, the JVM's output going to a console log opened as a service's start script opens it
#     (> log, without O_APPEND), and logrotate's copytruncate rotating that log between the two dumps: the JVM
#     writes on at its old offset, so the log starts with as many NUL bytes as it had before (needs logrotate)
#                                                       -> jdkNN/<scenario>.rotated.log (those in ROTATED; kind "rotated")
# and, for those in ACTUATOR, the scenario again inside a Spring Boot application (actuator/):
#   GET /actuator/threaddump as text/plain and as JSON  -> jdkNN/<scenario>.actuator.txt, .actuator.json
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.actuator-jcmd.txt
# and, for those in ACTUATOR_SNAKE, so again in an application whose ObjectMapper names properties in snake_case
# and which the actuator shares (spring.jackson.property-naming-strategy=SNAKE_CASE,
# management.endpoints.jackson.isolated-object-mapper=false)
#                                                       -> jdkNN/<scenario>.actuator-snake.json, .actuator-snake-jcmd.txt
# (Spring Boot's class path comes from Maven: `mvn dependency:build-classpath` in actuator/.)
# and, for those in FRAMEWORKS, the scenario again, dumped by the libraries services hand their dumps out with
# (frameworks/FrameworkDumps.java, its class path from Maven in frameworks/):
#   Hadoop's ReflectionUtils.printThreadInfo, as a Hadoop, HBase or Hive daemon's /stacks serves it
#                                                       -> jdkNN/<scenario>.hadoop-stacks.txt (on JDK 25 with the JVM's
#                                                          thread contention monitoring on: blocked and waited times too)
#   Dropwizard Metrics' ThreadDump, as a Dropwizard application's admin /threads serves it
#                                                       -> jdkNN/<scenario>.dropwizard-threads.txt
#   Tomcat's Diagnostics.getThreadDump, as Tomcat's Manager serves it (/manager/text/threaddump), fetched twice
#     2 s apart into one file                           -> jdkNN/<scenario>.tomcat-threaddump.txt
#     and, for those in TOMCAT_JA, the page asked for in Japanese -> jdkNN/<scenario>.tomcat-threaddump-ja.txt
#   dumps as a daemon logs them, Hadoop's logThreadInfo after 800 lines of its own and again 3 s later (those in HADOOP_LOG),
#     gzipped                                           -> jdkNN/<scenario>.hadoop-daemon.log.gz
#     and its lines as a pod's node keeps them, each stamped as it is written (cri_log below, following the file)
#                                                       -> jdkNN/<scenario>.hadoop-pod.log.gz
#   for those in HADOOP_CAUGHT, Hadoop's dump is taken again and again until the threads blocked on one lock
#     name two owners (a lock changing hands while it asks for one thread at a time)
#   jcmd <pid> Thread.print -l of that JVM, right after -> jdkNN/<scenario>.frameworks-jcmd.txt
# and, for those in ACTUATOR_BOOT1, the scenario again inside a Spring Boot 1.5 application (actuator-boot1/; its
# class path from Maven, its class compiled for Java 8; run with java.lang opened to its CGLIB):
#   GET /dump, Boot 1.x's actuator thread dump (a bare JSON array of ThreadInfo) -> jdkNN/<scenario>.boot1-dump.json
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.boot1-jcmd.txt
# and, for those in JOLOKIA, the scenario again with the Jolokia JVM agent (jolokia/, the agent's jar from Maven),
# its dumps fetched over HTTP as from a JVM that jcmd cannot reach:
#   GET /jolokia/exec/com.sun.management:type=DiagnosticCommand/threadPrint/-l (HotSpot's dump in a JSON string)
#                                                       -> jdkNN/<scenario>.jolokia-threadprint.json
#   GET /jolokia/exec/java.lang:type=Threading/dumpAllThreads(boolean,boolean)/true/true (ThreadInfo objects)
#                                                       -> jdkNN/<scenario>.jolokia-threads.json
# and, for those in ARTHAS, the scenario again, attached to by Arthas (its release from Maven, ARTHAS_VERSION) and
# listed by its thread command, as one does on a live JVM (arthas-boot attaches it, arthas-client runs the commands):
#   a session: the banner, then thread -b, thread -n 3, thread -n -1, thread -n -1 --lockedMonitors
#     --lockedSynchronizers and thread 1, each after its prompt -> jdkNN/<scenario>.arthas.txt
#   thread -n -1 --lockedMonitors --lockedSynchronizers > FILE, one command's listing redirected to a file (no prompt)
#                                                       -> jdkNN/<scenario>.arthas-threads.txt
#   thread -b > FILE, the thread that blocks the most others, alone, where there is one -> jdkNN/<scenario>.arthas-b.txt
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.arthas-jcmd.txt
# and, for those in MICRONAUT, the scenario again inside a Micronaut 4 application with its management endpoints
# (micronaut/MicronautScenario.java, its class path from Maven in micronaut/):
#   GET /threaddump, Micronaut's thread dump (a bare JSON array of ThreadInfo) -> jdkNN/<scenario>.micronaut-threaddump.json
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.micronaut-jcmd.txt
# and, for those in IGNITE, the scenario again, with Apache Ignite's own thread dump written into a node's log
# (ignite/IgniteDumps.java, its class path from Maven in ignite/; run with the --add-opens Ignite needs):
#   IgniteUtils.dumpThreads after the node's own lines, and again 3 s later, through Ignite's JavaLogger, gzipped
#                                                       -> jdkNN/<scenario>.ignite.log.gz
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.ignite-jcmd.txt
# and, for those in THREADINFO, the scenario again, dumped as applications and JMX tools log threads:
#   ThreadInfo.toString() of dumpAllThreads over JMX     -> jdkNN/<scenario>.threadinfo.txt (scenarios/ThreadInfoDump.java)
#   jcmd <pid> Thread.print -l of that JVM              -> jdkNN/<scenario>.threadinfo-jcmd.txt
# Scenarios that print "READY 1", "READY 2" (those in PHASED) are dumped once per phase (<scenario>-1.txt, ...);
# those listed in SERIES are dumped three times, two seconds apart. The program is compiled first
# with each JDK's javac, so that the heap holds the scenario and not the source launcher's compiler.
#
# Usage: JDK17_HOME=... JDK25_HOME=... [KINDS="jvm actuator"] sample-dumps/capture.sh [scenario ...]
#   JDK17_HOME defaults to the JDK of the `java` on PATH; a JDK whose home is not set is skipped.
#   KINDS names what to make, of "jvm rotated actuator threadinfo frameworks boot1 jolokia arthas ignite micronaut" (all ten
#   by default).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pid="" classes="" actuator_classes="" frameworks_classes="" boot1_classes="" arthas_home="" ignite_classes="" micronaut_classes=""
# a capture that fails part-way (set -e) leaves run_one without running its RETURN trap: stop the scenario here too,
# and remove the compiled classes
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$classes" "$actuator_classes" "$frameworks_classes" "$boot1_classes" "$arthas_home" "$ignite_classes" "$micronaut_classes"; true' EXIT
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(monitor-deadlock reentrantlock-deadlock mixed-deadlock healthy-busy dead-owner swapped-field
             sleep-holding lock-order half-ring contention class-init-deadlock hostile-names read-lock-held dead-reader self-relock
             read-write-deadlock hot-monitor pinned-virtual opposite-order pinned-carriers deep-holder control-names
             queue-consumer swapped-busy stamped-permits three-kinds late-death fair-turns busy-holder shared-catalog
             pool-churn queued-deadlock stalled-appender waiting-holder handler-churn)
fi
SERIES=" sleep-holding busy-holder "
HEAP=" dead-owner dead-reader swapped-field reentrantlock-deadlock read-write-deadlock swapped-busy "
JFR=" dead-owner swapped-field monitor-deadlock hot-monitor pinned-virtual opposite-order swapped-busy three-kinds "
NOLOCKS=" swapped-busy three-kinds queued-deadlock stalled-appender waiting-holder "
UNPARKED=" healthy-busy "
HANDOFF=" fair-turns "
WOKEN=" fair-turns "
RELEASED=" fair-turns "
WINDOWS=" fair-turns "
WINDOW=" pool-churn "
BOTH=" shared-catalog "
PHASED=" lock-order late-death "
ACTUATOR=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy "
ACTUATOR_SNAKE=" queued-deadlock "
ACTUATOR_BOOT1=" monitor-deadlock dead-owner "
JOLOKIA=" reentrantlock-deadlock dead-owner control-names "
ARTHAS=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy waiting-holder "
ARTHAS_VERSION=4.1.5
IGNITE=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy "
MICRONAUT=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy waiting-holder "
# what Ignite's documentation has a node on JDK 11 and later run with
IGNITE_OPENS="--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED --add-opens=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED
  --add-opens=java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED"
THREADINFO_ONLY=" deep-holder "
THREADINFO=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy deep-holder "
SA=" monitor-deadlock mixed-deadlock reentrantlock-deadlock contention healthy-busy queued-deadlock "
NEEDS_21=" pinned-virtual pinned-carriers "
POD=" queued-deadlock "
ROTATED=" monitor-deadlock "
DUMP_TEXT=" queued-deadlock pinned-carriers "
FRAMEWORKS=" monitor-deadlock reentrantlock-deadlock dead-owner healthy-busy waiting-holder handler-churn "
HADOOP_LOG=" waiting-holder "
HADOOP_CAUGHT=" handler-churn "
TOMCAT_JA=" monitor-deadlock "

default_home() {
  local java
  java=$(command -v java) || return 1
  dirname "$(dirname "$(readlink -f "$java")")"
}
: "${JDK17_HOME:=$(default_home || true)}"

jdk_feature() { # the feature release number of a JDK home: 17, 25, ...
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

wait_for() { # wait_for LOGFILE TEXT: until the scenario prints TEXT, 60 s at most
  local i
  for i in $(seq 1 600); do
    grep -qx "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "capture: scenario did not print '$2' in 60 s; its output:" >&2
  cat "$1" >&2
  return 1
}

capture_text() { # capture_text JDK PID OUT
  "$1/bin/jcmd" "$2" Thread.print -l > "$3.tmp"
  mv "$3.tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_text_nolocks() { # capture_text_nolocks JDK PID OUT: as jcmd prints it by default, without -l
  "$1/bin/jcmd" "$2" Thread.print > "$3.tmp"
  mv "$3.tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_handoff() { # capture_handoff JDK PID OUT: three dumps in a row, the middle one caught in a hand-off's window
  local i prev
  prev=$(mktemp "${TMPDIR:-/tmp}/lockscope-handoff-XXXXXX.txt")
  "$1/bin/jcmd" "$2" Thread.print -l > "$prev"
  for i in $(seq 1 300); do
    "$1/bin/jcmd" "$2" Thread.print -l > "$3-2.txt.tmp"
    if awk -v want=window -f "$here/handoff.awk" "$3-2.txt.tmp"; then
      mv "$prev" "$3-1.txt"
      mv "$3-2.txt.tmp" "$3-2.txt"
      "$1/bin/jcmd" "$2" Thread.print -l > "$3-3.txt"
      echo "  $(basename "$(dirname "$3")")/$(basename "$3")-1.txt, -2.txt, -3.txt (try $i)"
      return 0
    fi
    mv "$3-2.txt.tmp" "$prev"
  done
  rm -f "$prev"
  echo "capture: none of 300 dumps caught a lock in a hand-off's window" >&2
  return 1
}

capture_windows() { # capture_windows JDK PID OUT: two dumps, each caught in a hand-off's window, of 600 tries
  local i first=""
  for i in $(seq 1 600); do
    "$1/bin/jcmd" "$2" Thread.print -l > "$3.tmp"
    if awk -v want=window -f "$here/handoff.awk" "$3.tmp"; then
      if [ -n "$first" ]; then
        mv "$3.tmp" "$3-2.txt"
        echo "  $(basename "$(dirname "$3")")/$(basename "$3")-1.txt, -2.txt (try $i)"
        return 0
      fi
      mv "$3.tmp" "$3-1.txt"
      first=yes
    fi
  done
  rm -f "$3.tmp" "$3-1.txt"
  echo "capture: fewer than two of 600 dumps were caught in a hand-off's window" >&2
  return 1
}

capture_caught() { # capture_caught JDK PID OUT KIND [nolocks]: a dump that handoff.awk says caught KIND, of TRIES (300) at most
  local i opt=-l
  [ "${5:-}" = nolocks ] && opt=""
  for i in $(seq 1 "${TRIES:-300}"); do
    # shellcheck disable=SC2086 # $opt is -l or nothing
    "$1/bin/jcmd" "$2" Thread.print $opt > "$3.tmp"
    if awk -v want="$4" -f "$here/handoff.awk" "$3.tmp"; then
      mv "$3.tmp" "$3"
      echo "  $(basename "$(dirname "$3")")/$(basename "$3") (try $i)"
      return 0
    fi
  done
  rm -f "$3.tmp"
  echo "capture: none of ${TRIES:-300} dumps caught a lock $4" >&2
  return 1
}

capture_dump_text() { # capture_dump_text JDK PID OUT: jcmd Thread.dump_to_file in its default form, plain text
  local tmp
  tmp=$(mktemp -u "${TMPDIR:-/tmp}/lockscope-dump-XXXXXX.txt")
  "$1/bin/jcmd" "$2" Thread.dump_to_file "$tmp" > /dev/null
  mv "$tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_heap() { # capture_heap JDK PID OUT: a gzipped heap dump of the live objects
  local tmp
  tmp=$(mktemp -u "${TMPDIR:-/tmp}/lockscope-heap-XXXXXX.hprof.gz")
  "$1/bin/jcmd" "$2" GC.heap_dump -gz=9 "$tmp" > /dev/null
  mv "$tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_jfr() { # capture_jfr JDK PID OUT: the recording running since the JVM started
  local tmp
  # dumped to a temporary file first: the recording keeps the jcmd command line, file name included
  tmp=$(mktemp -u "${TMPDIR:-/tmp}/lockscope-recording-XXXXXX.jfr")
  "$1/bin/jcmd" "$2" JFR.dump name=1 filename="$tmp" > /dev/null
  mv "$tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_sa() { # capture_sa JDK PID OUT: the Serviceability Agent's dump (attaches with ptrace: needs root or the same user)
  "$1/bin/jhsdb" jstack --locks --pid "$2" > "$3.tmp"
  mv "$3.tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

capture_json() { # capture_json JDK PID OUT
  local tmp
  tmp=$(mktemp -u "${TMPDIR:-/tmp}/lockscope-dump-XXXXXX.json")
  "$1/bin/jcmd" "$2" Thread.dump_to_file -format=json "$tmp" > /dev/null
  mv "$tmp" "$3"
  echo "  $(basename "$(dirname "$3")")/$(basename "$3")"
}

launch() { # launch LOG JAVA ARG...: a scenario's JVM, in the temporary folder with an empty environment; sets pid
  # recordings keep the environment (jdk.InitialEnvironmentVariable) and, like heap dumps, the working
  # directory (user.dir); the sample dumps should name neither the machine they were made on nor where
  # the repository was
  # and the JVM's container support stays off: it reads the machine's cgroup paths (with a container's id) from
  # /proc and /sys, and those strings stay in the heap
  local log=$1 java=$2
  shift 2
  (cd "${TMPDIR:-/tmp}" && exec env -i LANG=C.UTF-8 "$java" -XX:-UseContainerSupport "$@") > "$log" 2>&1 &
  pid=$!
}

finish() { # finish PID LOG: the scenario's JVM ended, its log gone
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  rm -f "$2"
}

run_one() { # run_one JDK FEATURE OUTDIR SCENARIO [ARG]
  local jdk=$1 feature=$2 outdir=$3 scenario=$4 arg=${5:-} base log pid
  base=$scenario${arg:+-$(echo "$arg" | tr 'A-Z' 'a-z')}
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-scenario-XXXXXX.log")
  local jfr=""
  # other processes of the machine (jdk.SystemProcess) are none of the sample dumps' business
  [[ "$JFR" == *" $scenario "* ]] && jfr="-XX:StartFlightRecording:jdk.JavaExceptionThrow#enabled=true,jdk.SystemProcess#enabled=false"
  # shellcheck disable=SC2086 # $jfr and $arg are empty or one word each
  launch "$log" "$jdk/bin/java" -Xmx64m $jfr -cp "$classes" Scenario "$scenario" $arg
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  if [[ "$PHASED" == *" $scenario "* ]]; then
    wait_for "$log" "READY 1"
    capture_text "$jdk" "$pid" "$outdir/$base-1.txt"
    wait_for "$log" "READY 2"
    capture_text "$jdk" "$pid" "$outdir/$base-2.txt"
  else
    wait_for "$log" "READY"
    if [[ "$SERIES" == *" $scenario "* ]]; then
      capture_text "$jdk" "$pid" "$outdir/$base-1.txt"
      [ "$feature" -ge 21 ] && capture_json "$jdk" "$pid" "$outdir/$base.json"
      sleep 2
      capture_text "$jdk" "$pid" "$outdir/$base-2.txt"
      sleep 2
      capture_text "$jdk" "$pid" "$outdir/$base-3.txt"
    else
      capture_text "$jdk" "$pid" "$outdir/$base.txt"
      [[ "$NOLOCKS" == *" $scenario "* ]] && capture_text_nolocks "$jdk" "$pid" "$outdir/$base.nolocks.txt"
      [[ "$SA" == *" $scenario "* ]] && capture_sa "$jdk" "$pid" "$outdir/$base.jhsdb.txt"
      [ "$feature" -ge 21 ] && capture_json "$jdk" "$pid" "$outdir/$base.json"
      [ "$feature" -ge 21 ] && [[ "$DUMP_TEXT" == *" $scenario "* ]] && capture_dump_text "$jdk" "$pid" "$outdir/$base.dump-to-file.txt"
      [[ "$UNPARKED" == *" $scenario "* ]] && [ "$feature" -ge 25 ] && capture_caught "$jdk" "$pid" "$outdir/$base.unparked.txt" unparked
      [[ "$HANDOFF" == *" $scenario "* ]] && capture_handoff "$jdk" "$pid" "$outdir/$base.handoff"
      [[ "$WOKEN" == *" $scenario "* ]] && capture_caught "$jdk" "$pid" "$outdir/$base.woken.txt" woken
      [[ "$RELEASED" == *" $scenario "* ]] && capture_caught "$jdk" "$pid" "$outdir/$base.released.txt" released
      [[ "$BOTH" == *" $scenario "* ]] && capture_caught "$jdk" "$pid" "$outdir/$base.nolocks.txt" both nolocks
      [[ "$WINDOWS" == *" $scenario "* ]] && [ "$feature" -lt 21 ] && capture_windows "$jdk" "$pid" "$outdir/$base.windows"
      # pool-churn on JDK 17 caught a window in 1 dump of 145, 1 of 1,285 and none of 1,500, and a passed one at the
      # 404th and the 637th (on JDK 25: no window in 100, no passed one in 4,000): a run that catches none keeps the
      # files it had, and goes on
      if [[ "$WINDOW" == *" $scenario "* ]] && [ "$feature" -lt 21 ]; then
        TRIES=3000 capture_caught "$jdk" "$pid" "$outdir/$base.window.txt" window || echo "capture: kept the $base.window.txt there was" >&2
        TRIES=5000 capture_caught "$jdk" "$pid" "$outdir/$base.passed.txt" passed || echo "capture: kept the $base.passed.txt there was" >&2
      fi
      [[ "$HEAP" == *" $scenario "* ]] && capture_heap "$jdk" "$pid" "$outdir/$base.hprof.gz"
      [[ "$JFR" == *" $scenario "* ]] && capture_jfr "$jdk" "$pid" "$outdir/$base.jfr"
    fi
  fi
  finish "$pid" "$log"
}

cri_log() { # each line of standard input as containerd writes a container's output: "<RFC3339Nano time> stdout F <line>"
  local line t frac
  while IFS= read -r line; do
    t=$EPOCHREALTIME
    frac=${t#*.}
    while [[ "$frac" == *0 ]]; do frac=${frac%0}; done # RFC3339Nano drops a fraction's trailing zeros, and a zero one
    TZ=UTC printf '%(%Y-%m-%dT%H:%M:%S)T%sZ stdout F %s\n' "${t%.*}" "${frac:+.$frac}" "$line"
  done
}

docker_log() { # each line of standard input as Docker's json-file driver writes a container's output
  jq -Rc --unbuffered 'now as $t | {log: (. + "\n"), stream: "stdout",
    time: (($t | floor | strftime("%Y-%m-%dT%H:%M:%S")) + "." + ("00000" + ((($t - ($t | floor)) * 1000000) | floor | tostring))[-6:] + "Z")}'
}

run_pod() { # run_pod JDK OUTDIR SCENARIO: the thread dump kill -3 makes the JVM print, in its log as a pod's node and Docker keep it
  local jdk=$1 outdir=$2 scenario=$3 log dlog pidfile pid i
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-pod-XXXXXX.log")
  dlog=$(mktemp "${TMPDIR:-/tmp}/lockscope-docker-XXXXXX.log")
  pidfile=$(mktemp "${TMPDIR:-/tmp}/lockscope-pod-XXXXXX.pid")
  # the subshell writes its own pid, then becomes the JVM: the pipeline's $! would be cri_log's
  ( (cd "${TMPDIR:-/tmp}" && echo "$BASHPID" > "$pidfile" \
      && exec env -i LANG=C.UTF-8 "$jdk/bin/java" -Xmx64m -XX:-UseContainerSupport -cp "$classes" Scenario "$scenario") 2>&1 \
    | tee >(docker_log > "$dlog") | cri_log > "$log" ) 2>/dev/null & # (not the shell's word that the JVM was killed, at the end)
  for i in $(seq 1 600); do
    grep -q ' stdout F READY$' "$log" 2>/dev/null && break
    sleep 0.1
  done
  pid=$(cat "$pidfile")
  trap 'kill -9 $pid 2>/dev/null || true; rm -f "$pidfile"' RETURN
  kill -QUIT "$pid"
  for i in $(seq 1 100); do
    grep -q ' stdout F JNI global refs' "$log" && break
    sleep 0.1
  done
  sleep 1 # what HotSpot prints after the threads: the deadlock it found, the heap's summary
  kill -9 "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  sleep 1 # docker_log's last lines
  chmod 644 "$log" "$dlog"
  mv "$log" "$outdir/$scenario.pod.log"
  mv "$dlog" "$outdir/$scenario.docker-json.log"
  echo "  $(basename "$outdir")/$scenario.pod.log, $scenario.docker-json.log"
}

run_rotated() { # run_rotated JDK OUTDIR SCENARIO: a console log rotated by logrotate's copytruncate between two kill -3 dumps
  local jdk=$1 outdir=$2 scenario=$3 dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-rotated-XXXXXX")
  launch "$dir/console.log" "$jdk/bin/java" -Xmx64m -cp "$classes" Scenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$dir"' RETURN
  wait_for "$dir/console.log" READY
  kill -QUIT "$pid"
  sleep 2 # the dump, then the deadlock HotSpot found and the heap's summary
  printf '%s {\n  copytruncate\n  rotate 1\n}\n' "$dir/console.log" > "$dir/logrotate.conf"
  logrotate -f -s "$dir/logrotate.state" "$dir/logrotate.conf"
  kill -QUIT "$pid"
  sleep 2
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  cp "$dir/console.log" "$outdir/$scenario.rotated.log"
  chmod 644 "$outdir/$scenario.rotated.log"
  echo "  $(basename "$outdir")/$scenario.rotated.log ($(tr -cd '\0' < "$outdir/$scenario.rotated.log" | wc -c) NUL bytes)"
}

run_actuator_snake() { # run_actuator_snake JDK OUTDIR SCENARIO: the actuator's JSON under the application's snake_case mapper
  local jdk=$1 outdir=$2 scenario=$3 log pid port
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-actuator-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx128m -Dspring.jackson.property-naming-strategy=SNAKE_CASE \
    -Dmanagement.endpoints.jackson.isolated-object-mapper=false -cp "$actuator_classes:$actuator_cp" \
    lockscope.actuator.ActuatorScenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  port=$(sed -n 's/^PORT //p' "$log")
  curl -sf -H 'Accept: application/json' "http://127.0.0.1:$port/actuator/threaddump" > "$outdir/$scenario.actuator-snake.json"
  echo "  $(basename "$outdir")/$scenario.actuator-snake.json"
  capture_text "$jdk" "$pid" "$outdir/$scenario.actuator-snake-jcmd.txt"
  finish "$pid" "$log"
}

run_boot1() { # run_boot1 JDK OUTDIR SCENARIO: the scenario in a Spring Boot 1.5 application, dumped through GET /dump
  local jdk=$1 outdir=$2 scenario=$3 log pid port
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-boot1-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx128m --add-opens java.base/java.lang=ALL-UNNAMED -cp "$boot1_classes:$boot1_cp" \
    lockscope.boot1.Boot1Scenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  port=$(sed -n 's/^PORT //p' "$log")
  curl -sf "http://127.0.0.1:$port/dump" > "$outdir/$scenario.boot1-dump.json"
  echo "  $(basename "$outdir")/$scenario.boot1-dump.json"
  capture_text "$jdk" "$pid" "$outdir/$scenario.boot1-jcmd.txt"
  finish "$pid" "$log"
}

run_jolokia() { # run_jolokia JDK OUTDIR SCENARIO: the scenario with Jolokia's agent, dumped through its HTTP API
  local jdk=$1 outdir=$2 scenario=$3 log pid url
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-jolokia-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx64m "-javaagent:$jolokia_jar=host=127.0.0.1,port=0" -cp "$classes" Scenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  url=$(sed -n 's/^Jolokia: Agent started with URL //p' "$log")
  curl -sf "${url}exec/com.sun.management:type=DiagnosticCommand/threadPrint/-l" > "$outdir/$scenario.jolokia-threadprint.json"
  echo "  $(basename "$outdir")/$scenario.jolokia-threadprint.json"
  curl -sf "${url}exec/java.lang:type=Threading/dumpAllThreads%28boolean,boolean%29/true/true" > "$outdir/$scenario.jolokia-threads.json"
  echo "  $(basename "$outdir")/$scenario.jolokia-threads.json"
  finish "$pid" "$log"
}

run_arthas() { # run_arthas JDK OUTDIR SCENARIO: the scenario attached to by Arthas, listed by its thread command
  local jdk=$1 outdir=$2 scenario=$3 log pid work port=3658
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-arthas-XXXXXX.log")
  work=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-arthas-XXXXXX")
  # the scenario runs in its own folder, where the redirects write; Arthas keeps its logs under HOME
  (cd "$work" && exec env -i LANG=C.UTF-8 "$jdk/bin/java" -XX:-UseContainerSupport -Xmx64m -cp "$classes" Scenario "$scenario") \
    > "$log" 2>&1 &
  pid=$!
  trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$work"' RETURN
  wait_for "$log" "READY"
  env -i LANG=C.UTF-8 HOME="$work" "$jdk/bin/java" -jar "$arthas_home/arthas-boot.jar" --attach-only --arthas-home "$arthas_home" \
    --telnet-port "$port" --http-port -1 "$pid" > /dev/null 2>&1
  # the session as its user sees it (the boot launcher's own lines, which name this machine's folders, are not part of it)
  env -i LANG=C.UTF-8 HOME="$work" "$jdk/bin/java" -jar "$arthas_home/arthas-client.jar" 127.0.0.1 "$port" \
    -c "thread -b; thread -n 3; thread -n -1; thread -n -1 --lockedMonitors --lockedSynchronizers; thread 1" > "$outdir/$scenario.arthas.txt"
  echo "  $(basename "$outdir")/$scenario.arthas.txt"
  # Arthas says where a redirect wrote, a path of this machine: that session is not kept, only what it wrote
  env -i LANG=C.UTF-8 HOME="$work" "$jdk/bin/java" -jar "$arthas_home/arthas-client.jar" 127.0.0.1 "$port" \
    -c "thread -n -1 --lockedMonitors --lockedSynchronizers > threads.txt; thread -b > blocker.txt; stop" > /dev/null
  mv "$work/threads.txt" "$outdir/$scenario.arthas-threads.txt"
  echo "  $(basename "$outdir")/$scenario.arthas-threads.txt"
  if grep -q '" Id=' "$work/blocker.txt"; then # else "No most blocking thread found!"
    mv "$work/blocker.txt" "$outdir/$scenario.arthas-b.txt"
    echo "  $(basename "$outdir")/$scenario.arthas-b.txt"
  fi
  capture_text "$jdk" "$pid" "$outdir/$scenario.arthas-jcmd.txt"
  finish "$pid" "$log"
}

run_micronaut() { # run_micronaut JDK OUTDIR SCENARIO: the scenario in a Micronaut application, dumped through its endpoint
  local jdk=$1 outdir=$2 scenario=$3 log pid port
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-micronaut-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx128m -cp "$micronaut_classes:$micronaut_cp" lockscope.micronaut.MicronautScenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  port=$(sed -n 's/^PORT //p' "$log")
  curl -sf "http://127.0.0.1:$port/threaddump" > "$outdir/$scenario.micronaut-threaddump.json"
  echo "  $(basename "$outdir")/$scenario.micronaut-threaddump.json"
  capture_text "$jdk" "$pid" "$outdir/$scenario.micronaut-jcmd.txt"
  finish "$pid" "$log"
}

run_ignite() { # run_ignite JDK OUTDIR SCENARIO: the scenario's threads as an Ignite node writes them into its log
  local jdk=$1 outdir=$2 scenario=$3 log pid
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-ignite-XXXXXX.log")
  # shellcheck disable=SC2086
  launch "$log" "$jdk/bin/java" -Xmx128m $IGNITE_OPENS -cp "$ignite_classes:$ignite_cp" lockscope.ignite.IgniteDumps "$scenario" \
    "$outdir/$scenario.ignite.log"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "DUMPED"
  rm -f "$outdir/$scenario.ignite.log.lck"
  gzip -9 -n -f "$outdir/$scenario.ignite.log"
  echo "  $(basename "$outdir")/$scenario.ignite.log.gz"
  capture_text "$jdk" "$pid" "$outdir/$scenario.ignite-jcmd.txt"
  finish "$pid" "$log"
}

run_actuator() { # run_actuator JDK OUTDIR SCENARIO: the scenario in a Spring Boot application, dumped through its actuator
  local jdk=$1 outdir=$2 scenario=$3 log pid port
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-actuator-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx128m -cp "$actuator_classes:$actuator_cp" lockscope.actuator.ActuatorScenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  port=$(sed -n 's/^PORT //p' "$log")
  curl -sf -H 'Accept: text/plain' "http://127.0.0.1:$port/actuator/threaddump" > "$outdir/$scenario.actuator.txt"
  echo "  $(basename "$outdir")/$scenario.actuator.txt"
  curl -sf -H 'Accept: application/json' "http://127.0.0.1:$port/actuator/threaddump" > "$outdir/$scenario.actuator.json"
  echo "  $(basename "$outdir")/$scenario.actuator.json"
  capture_text "$jdk" "$pid" "$outdir/$scenario.actuator-jcmd.txt"
  finish "$pid" "$log"
}

run_frameworks() { # run_frameworks JDK FEATURE OUTDIR SCENARIO: the scenario's threads as Hadoop and Dropwizard Metrics dump them
  local jdk=$1 feature=$2 outdir=$3 scenario=$4 log pid contention=false daemon_log="" caught=false locale=""
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-frameworks-XXXXXX.log")
  [ "$feature" -ge 25 ] && contention=true
  [[ "$HADOOP_LOG" == *" $scenario "* ]] && daemon_log="$outdir/$scenario.hadoop-daemon.log"
  [[ "$HADOOP_CAUGHT" == *" $scenario "* ]] && caught=true
  [[ "$TOMCAT_JA" == *" $scenario "* ]] && locale=ja
  local shipper=""
  if [ -n "$daemon_log" ]; then
    # the daemon's lines as a pod's node keeps them, each stamped by cri_log as it arrives (a log shipper following the file)
    : > "$daemon_log"
    tail -n +1 -F "$daemon_log" 2>/dev/null | cri_log > "$outdir/$scenario.hadoop-pod.log" &
    shipper=$!
  fi
  # shellcheck disable=SC2086 # $daemon_log is empty or one word
  launch "$log" "$jdk/bin/java" -Xmx64m -Dcontention=$contention -Dcatch.owners=$caught -Dtomcat.locale=$locale -cp "$frameworks_classes:$frameworks_cp" \
    lockscope.frameworks.FrameworkDumps "$scenario" "$outdir/$scenario.hadoop-stacks.txt" "$outdir/$scenario.dropwizard-threads.txt" \
    $daemon_log
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "DUMPED"
  echo "  $(basename "$outdir")/$scenario.hadoop-stacks.txt"
  echo "  $(basename "$outdir")/$scenario.dropwizard-threads.txt"
  echo "  $(basename "$outdir")/$scenario.tomcat-threaddump.txt"
  [ -n "$locale" ] && echo "  $(basename "$outdir")/$scenario.tomcat-threaddump-$locale.txt"
  if [ -n "$daemon_log" ]; then
    sleep 1
    pkill -f "tail -n \+1 -F $daemon_log" || true
    wait "$shipper" 2>/dev/null || true
    gzip -9 -n -f "$outdir/$scenario.hadoop-pod.log"
    gzip -9 -n -f "$daemon_log"
    echo "  $(basename "$outdir")/$scenario.hadoop-daemon.log.gz"
    echo "  $(basename "$outdir")/$scenario.hadoop-pod.log.gz"
  fi
  capture_text "$jdk" "$pid" "$outdir/$scenario.frameworks-jcmd.txt"
  finish "$pid" "$log"
}

run_threadinfo() { # run_threadinfo JDK OUTDIR SCENARIO: the scenario's threads as ThreadInfo.toString() prints them
  local jdk=$1 outdir=$2 scenario=$3 log pid
  log=$(mktemp "${TMPDIR:-/tmp}/lockscope-threadinfo-XXXXXX.log")
  launch "$log" "$jdk/bin/java" -Xmx64m -cp "$classes" Scenario "$scenario"
  trap 'kill -9 $pid 2>/dev/null || true' RETURN
  wait_for "$log" "READY"
  (cd "${TMPDIR:-/tmp}" && env -i LANG=C.UTF-8 "$jdk/bin/java" "$here/scenarios/ThreadInfoDump.java" "$pid") \
    > "$outdir/$scenario.threadinfo.txt.tmp"
  mv "$outdir/$scenario.threadinfo.txt.tmp" "$outdir/$scenario.threadinfo.txt"
  echo "  $(basename "$outdir")/$scenario.threadinfo.txt"
  capture_text "$jdk" "$pid" "$outdir/$scenario.threadinfo-jcmd.txt"
  finish "$pid" "$log"
}

compile_with() { # compile_with JDK CLASS_PATH SOURCE...: Scenario.java and the sources, into a new folder it prints
  local jdk=$1 cp=$2 dir
  shift 2
  dir=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-classes-XXXXXX")
  "$jdk/bin/javac" -d "$dir" -cp "$cp" "$here/scenarios/Scenario.java" "$@"
  echo "$dir"
}

class_path() { # class_path DIR: the class path of the Maven project in DIR (written to a file: Maven's output may carry colour codes)
  local out
  out=$(mktemp "${TMPDIR:-/tmp}/lockscope-classpath-XXXXXX")
  (cd "$1" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$out" > /dev/null)
  cat "$out"
  rm -f "$out"
}

KINDS=" ${KINDS:-jvm rotated actuator threadinfo frameworks boot1 jolokia arthas ignite micronaut} "
if [[ "$KINDS" == *" rotated "* ]] && ! command -v logrotate > /dev/null; then
  echo "capture: no logrotate on PATH (Debian: apt-get install logrotate); the rotated logs are not made" >&2
  KINDS=${KINDS/ rotated / }
fi
actuator_cp="" frameworks_cp="" boot1_cp="" jolokia_jar="" arthas_home="" ignite_cp="" micronaut_cp=""
for scenario in "${scenarios[@]}"; do
  if [[ "$KINDS" == *" actuator "* ]] && [[ "$ACTUATOR$ACTUATOR_SNAKE" == *" $scenario "* ]] && [ -z "$actuator_cp" ]; then
    actuator_cp=$(class_path "$here/actuator")
  fi
  if [[ "$KINDS" == *" frameworks "* ]] && [[ "$FRAMEWORKS" == *" $scenario "* ]] && [ -z "$frameworks_cp" ]; then
    frameworks_cp=$(class_path "$here/frameworks")
  fi
  if [[ "$KINDS" == *" jolokia "* ]] && [[ "$JOLOKIA" == *" $scenario "* ]] && [ -z "$jolokia_jar" ]; then
    jolokia_jar=$(class_path "$here/jolokia" | tr ":" "\n" | grep "/jolokia-jvm-[^/]*\.jar$")
  fi
  if [[ "$KINDS" == *" micronaut "* ]] && [[ "$MICRONAUT" == *" $scenario "* ]] && [ -z "$micronaut_cp" ]; then
    micronaut_cp=$(class_path "$here/micronaut")
  fi
  if [[ "$KINDS" == *" ignite "* ]] && [[ "$IGNITE" == *" $scenario "* ]] && [ -z "$ignite_cp" ]; then
    ignite_cp=$(class_path "$here/ignite")
  fi
  if [[ "$KINDS" == *" arthas "* ]] && [[ "$ARTHAS" == *" $scenario "* ]] && [ -z "$arthas_home" ]; then
    arthas_home=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-arthas-home-XXXXXX")
    (cd "$arthas_home" && mvn -q -B dependency:unpack -Dartifact="com.taobao.arthas:arthas-packaging:$ARTHAS_VERSION:zip:bin" \
      -DoutputDirectory="$arthas_home" > /dev/null)
  fi
  if [[ "$KINDS" == *" boot1 "* ]] && [[ "$ACTUATOR_BOOT1" == *" $scenario "* ]] && [ -z "$boot1_cp" ]; then
    boot1_cp=$(class_path "$here/actuator-boot1")
  fi
done

for home_var in JDK17_HOME JDK25_HOME; do
  jdk=${!home_var:-}
  if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jcmd" ]; then
    echo "capture: $home_var is not set to a JDK home; skipping it" >&2
    continue
  fi
  feature=$(jdk_feature "$jdk")
  outdir="$here/jdk$feature"
  mkdir -p "$outdir"
  echo "JDK $feature ($jdk):"
  classes=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-scenario-classes-XXXXXX")
  "$jdk/bin/javac" -d "$classes" "$here/scenarios/Scenario.java"
  if [ -n "$actuator_cp" ]; then
    actuator_classes=$(compile_with "$jdk" "$actuator_cp" "$here/actuator/ActuatorScenario.java")
  fi
  if [ -n "$frameworks_cp" ]; then
    frameworks_classes=$(compile_with "$jdk" "$frameworks_cp" "$here/scenarios/WhenReady.java" "$here/frameworks/FrameworkDumps.java")
  fi
  if [ -n "$micronaut_cp" ]; then
    micronaut_classes=$(compile_with "$jdk" "$micronaut_cp" "$here/micronaut/MicronautScenario.java")
  fi
  if [ -n "$ignite_cp" ]; then
    ignite_classes=$(compile_with "$jdk" "$ignite_cp" "$here/scenarios/WhenReady.java" "$here/ignite/IgniteDumps.java")
  fi
  if [ -n "$boot1_cp" ]; then
    boot1_classes=$(mktemp -d "${TMPDIR:-/tmp}/lockscope-boot1-classes-XXXXXX")
    "$jdk/bin/javac" -d "$boot1_classes" "$here/scenarios/Scenario.java"
    "$jdk/bin/javac" --release 8 -nowarn -d "$boot1_classes" -cp "$boot1_classes:$boot1_cp" "$here/actuator-boot1/Boot1Scenario.java"
  fi
  for scenario in "${scenarios[@]}"; do
    if [[ "$NEEDS_21" == *" $scenario "* ]] && [ "$feature" -lt 21 ]; then
      continue
    fi
    if [[ "$KINDS" != *" jvm "* ]] || [[ "$THREADINFO_ONLY" == *" $scenario "* ]]; then
      :
    elif [ "$scenario" = half-ring ]; then
      run_one "$jdk" "$feature" "$outdir" half-ring A
      run_one "$jdk" "$feature" "$outdir" half-ring B
    else
      run_one "$jdk" "$feature" "$outdir" "$scenario"
      if [[ "$POD" == *" $scenario "* ]]; then
        run_pod "$jdk" "$outdir" "$scenario"
      fi
    fi
    if [[ "$KINDS" == *" rotated "* ]] && [[ "$ROTATED" == *" $scenario "* ]]; then
      run_rotated "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" actuator "* ]] && [ -n "$actuator_cp" ] && [[ "$ACTUATOR" == *" $scenario "* ]]; then
      run_actuator "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" actuator "* ]] && [ -n "$actuator_cp" ] && [[ "$ACTUATOR_SNAKE" == *" $scenario "* ]]; then
      run_actuator_snake "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" threadinfo "* ]] && [[ "$THREADINFO" == *" $scenario "* ]]; then
      run_threadinfo "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" frameworks "* ]] && [ -n "$frameworks_cp" ] && [[ "$FRAMEWORKS" == *" $scenario "* ]]; then
      run_frameworks "$jdk" "$feature" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" boot1 "* ]] && [ -n "$boot1_cp" ] && [[ "$ACTUATOR_BOOT1" == *" $scenario "* ]]; then
      run_boot1 "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" jolokia "* ]] && [ -n "$jolokia_jar" ] && [[ "$JOLOKIA" == *" $scenario "* ]]; then
      run_jolokia "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" micronaut "* ]] && [ -n "$micronaut_cp" ] && [[ "$MICRONAUT" == *" $scenario "* ]]; then
      run_micronaut "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" ignite "* ]] && [ -n "$ignite_cp" ] && [[ "$IGNITE" == *" $scenario "* ]]; then
      run_ignite "$jdk" "$outdir" "$scenario"
    fi
    if [[ "$KINDS" == *" arthas "* ]] && [ -n "$arthas_home" ] && [[ "$ARTHAS" == *" $scenario "* ]]; then
      run_arthas "$jdk" "$outdir" "$scenario"
    fi
  done
  rm -rf "$classes" "$actuator_classes" "$frameworks_classes" "$boot1_classes" "$ignite_classes" "$micronaut_classes"
  classes="" actuator_classes="" frameworks_classes="" boot1_classes=""
done
