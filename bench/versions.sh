#!/usr/bin/env bash
# What versioning costs: 4 KiB PUTs, GETs and LIST pages on a versioned bucket holding 10 versions
# of each of its 1,000 keys, against an unversioned bucket with the same 1,000 keys, on one server
# with its production defaults (encryption, fsync before 200, audit trail fail-closed). The two
# buckets alternate (plain, versioned, plain, versioned) so that warm-up favours neither. A listing
# of current objects must not slow down with the number of old versions. Prints RESULT lines.
#   bench/versions.sh [DURATION]     e.g. bench/versions.sh 8s
set -euo pipefail
duration="${1:-8s}"
. "$(dirname "$0")/server.sh"
start_bench_server 7397
bench() {
  "$s3bench" --endpoint "http://127.0.0.1:$port" --server-pid "$pid" --no-create-bucket --quiet \
    --access "$COFFRE_ROOT_ACCESS_KEY" --secret "$COFFRE_ROOT_SECRET_KEY" --objects 1000 \
    --prefix k/ "$@" | grep '^RESULT'
}
for b in plain versioned; do
  aws s3 mb "s3://bench-$b" >/dev/null
done
aws s3api put-bucket-versioning --bucket bench-versioned --versioning-configuration Status=Enabled
# 10,000 PUTs over 1,000 keys: one object per key in the plain bucket, ten versions in the other.
for b in plain versioned; do
  bench --bucket "bench-$b" --size 4KiB --conc 16 --op put --ops 10000 --label "fill-$b"
done
for round in 1 2; do
  for b in plain versioned; do
    bench --bucket "bench-$b" --size 4KiB --conc 16 --op put --duration "$duration" --warmup 2s \
      --label "put-$b-$round"
    bench --bucket "bench-$b" --size 4KiB --conc 16 --op get --duration "$duration" --warmup 2s \
      --label "get-$b-$round"
    bench --bucket "bench-$b" --op list --max-keys 1000 --conc 4 --duration "$duration" \
      --warmup 2s --label "list-$b-$round"
  done
done
