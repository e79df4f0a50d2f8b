#!/usr/bin/env bash
# JMH: the per-object cost of each encryption mode (SSE-S3, SSE-KMS, SSE-C) in the crypto layer,
# 4 KiB and 64 MiB objects. Prints JMH's table; see docs/benchmarks.md.
#   bench/keys.sh [JMH args]     e.g. bench/keys.sh -p size=4096
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/scripts/jdk.sh"; find_jdk
cd "$here"
mvn -B -q -o install -DskipTests -Djdeb.skip=true -pl coffre-core >/dev/null
mvn -B -q -o test-compile -pl coffre-crypto
cpfile="$(mktemp)"; trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o dependency:build-classpath -pl coffre-crypto -Dmdep.outputFile="$cpfile" >/dev/null
cp="$(cat "$cpfile")"
"$JAVA_HOME/bin/java" -cp "coffre-crypto/target/test-classes:coffre-crypto/target/classes:$cp" \
  org.openjdk.jmh.Main KeyModesBenchmark "$@"
