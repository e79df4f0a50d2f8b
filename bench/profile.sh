#!/usr/bin/env bash
# Where the server's CPU goes on one workload: starts a fresh Coffre (production defaults), loads it
# with the shared load generator, records 10 s of JFR CPU-time samples (JDK 25's jdk.CPUTimeSample,
# which samples virtual threads too) and prints the share of samples per layer (bench/budget.py).
#   bench/profile.sh [OP] [SIZE] [CONC]        e.g. bench/profile.sh get 4KiB 16
# Env: OUT (the .jfr file to keep; default a temporary file).
set -euo pipefail
op="${1:-get}"; size="${2:-4KiB}"; conc="${3:-16}"
export COFFRE_JAVA_OPTS="-Xmx1g -XX:FlightRecorderOptions:stackdepth=256"
. "$(dirname "$0")/server.sh"
start_bench_server 7495
out="${OUT:-$(mktemp -t coffre-profile.XXXXXX.jfr)}"
aws s3 mb s3://profile >/dev/null
common=(--endpoint "http://127.0.0.1:$port" --no-create-bucket --quiet --bucket profile --size "$size"
  --conc "$conc" --access "$COFFRE_ROOT_ACCESS_KEY" --secret "$COFFRE_ROOT_SECRET_KEY")
[ "$op" = get ] && "$s3bench" "${common[@]}" --prefill-only >/dev/null
(
  sleep 4
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=profile settings=profile \
    'jdk.CPUTimeSample#enabled=true' 'jdk.CPUTimeSample#throttle=1ms' duration=10s filename="$out" >/dev/null
) &
"$s3bench" "${common[@]}" --duration 16s --warmup 2s --server-pid "$pid" --op "$op" --label profile | grep RESULT
sleep 1
"$JAVA_HOME/bin/jfr" print --json --events jdk.CPUTimeSample --stack-depth 256 "$out" > "$out.json"
python3 "$here/bench/budget.py" "$out.json"
rm -f "$out.json"
echo "recording: $out"
