#!/usr/bin/env bash
# SSE-S3 against SSE-KMS, end to end: a fresh server, one bucket per mode (the SSE-KMS bucket's
# default encryption names a KMS key, so the load generator's plain PUTs are SSE-KMS writes and its
# GETs SSE-KMS reads). Runs the two buckets alternately; prints one RESULT line per workload.
#   bench/sse.sh [DURATION]     e.g. bench/sse.sh 8s
set -euo pipefail
. "$(dirname "$0")/server.sh"
start_bench_server 7391
duration="${1:-8s}"
"$here/coffre" admin keys create --alias bench >/dev/null
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
