#!/usr/bin/env bash
# JMH: the per-request cost of an access decision (identity + bucket policy, cross-account), with
# policies of 1 statement and of 50 statements where the match is last. Prints JMH's table.
#   bench/policy.sh [JMH args]     e.g. bench/policy.sh -p statements=50 -wi 2 -i 3 -r 1
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/scripts/jdk.sh"; find_jdk
cd "$here"
# -f rather than -pl: this works whether or not the parent pom lists coffre-policy yet.
mvn -B -q -o install -N >/dev/null
mvn -B -q -o -f coffre-policy/pom.xml test-compile
cpfile="$(mktemp)"; trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o -f coffre-policy/pom.xml dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp="$(cat "$cpfile")"
"$JAVA_HOME/bin/java" -cp "coffre-policy/target/test-classes:coffre-policy/target/classes:$cp" \
  org.openjdk.jmh.Main PolicyBenchmark "$@"
