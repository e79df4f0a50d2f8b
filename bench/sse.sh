#!/usr/bin/env bash
# SSE-S3 against SSE-KMS, end to end: a fresh server, one bucket per mode (the SSE-KMS bucket's
# default encryption names a KMS key, so the load generator's plain PUTs are SSE-KMS writes and its
# GETs SSE-KMS reads). Runs the two buckets alternately; prints one RESULT line per workload.
#   bench/sse.sh [DURATION]     e.g. bench/sse.sh 8s
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
s3bench="${S3BENCH:-$here/../shared/tools/s3bench/s3bench}"
duration="${1:-8s}"
. "$here/scripts/jdk.sh"; find_jdk
data="$(mktemp -d)"; port="${BENCH_PORT:-7391}"; admin_port=$((port + 1))
export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
export COFFRE_ADMIN_TOKEN=bench-admin-token-0123456789 COFFRE_ADMIN_URL="http://127.0.0.1:$admin_port"
"$here/coffre" server --data "$data" --address "127.0.0.1:$port" --ops-address off \
  --admin-address "127.0.0.1:$admin_port" >"$data.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
pid=$(pgrep -f -- "--address 127.0.0.1:$port" | head -1)
"$here/coffre" admin keys create --alias bench >/dev/null
aws() { AWS_ACCESS_KEY_ID=$COFFRE_ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$COFFRE_ROOT_SECRET_KEY AWS_DEFAULT_REGION=us-east-1 \
  AWS_CA_BUNDLE= command aws --endpoint-url "http://127.0.0.1:$port" "$@"; }
aws s3 mb s3://bench-sse-s3 >/dev/null
aws s3 mb s3://bench-sse-kms >/dev/null
aws s3api put-bucket-encryption --bucket bench-sse-kms --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/bench"}}]}'
run() {
  "$s3bench" --endpoint "http://127.0.0.1:$port" --access "$COFFRE_ROOT_ACCESS_KEY" \
    --secret "$COFFRE_ROOT_SECRET_KEY" --duration "$duration" --warmup 3s --server-pid "$pid" \
    --no-create-bucket --quiet "$@" | grep '^RESULT'
}
for spec in "4KiB 8" "64MiB 1"; do
  set -- $spec
  for op in put get; do
    for mode in sse-s3 sse-kms; do
      extra=""; [ "$op" = get ] && extra="--prefill"
      run --bucket "bench-$mode" --op "$op" --size "$1" --conc "$2" --label "$mode" $extra
    done
  done
done
