#!/usr/bin/env bash
# The GitHub Action's work (action.yml at the repository's root runs it): analyze the dumps at
# INPUT_PATH, write the reports to a folder, add the Markdown summary to the job summary, and say
# where everything is in GITHUB_OUTPUT. It never fails itself on findings: the action's last step
# does, after the SARIF and the HTML report are uploaded.
#
# Inputs (as the action passes them): INPUT_PATH (files or folders, space-separated), INPUT_FAIL_ON,
# INPUT_BASELINE, INPUT_FORMATS. LOCKSCOPE_JAR runs that jar instead of building the action's checkout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lockscope-report"
mkdir -p "$out"

jar=${LOCKSCOPE_JAR:-}
if [ -z "$jar" ]; then
  (cd "$here" && mvn -q -B -DskipTests package)
  jar=$(ls "$here"/analyzer/target/release/lockscope-*.jar | head -n 1)
fi

formats=${INPUT_FORMATS:-html,json,sarif,markdown,github,text}
args=(analyze)
# shellcheck disable=SC2206  # paths are words, as the action's input lists them
args+=(${INPUT_PATH:?INPUT_PATH names the dumps to analyze})
args+=(--format "$formats" --fail-on "${INPUT_FAIL_ON:-error}" -o "$out")
if [ -n "${INPUT_BASELINE:-}" ]; then
  args+=(--baseline "$INPUT_BASELINE")
fi

set +e
java ${LOCKSCOPE_JAVA_OPTS:--Xmx2g} -jar "$jar" "${args[@]}"
code=$?
set -e

if [ -f "$out/lockscope-report.md" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$out/lockscope-report.md" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "report-dir=$out"
    if [ -f "$out/lockscope-report.sarif" ]; then echo "sarif=$out/lockscope-report.sarif"; fi
    if [ -f "$out/lockscope-report.html" ]; then echo "html=$out/lockscope-report.html"; fi
  } >> "$GITHUB_OUTPUT"
fi
# 0 and 1 (findings at or above fail-on) are results; anything else is lockscope failing
if [ "$code" -gt 1 ]; then
  exit "$code"
fi
