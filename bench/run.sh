#!/usr/bin/env bash
# PUT and GET benchmark of a fresh Coffre server on this machine, with the shared load generator
# (../shared/tools/s3bench). Prints one RESULT line per workload; see docs/benchmarks.md.
#   bench/run.sh [DURATION]     e.g. bench/run.sh 10s
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
s3bench="${S3BENCH:-$here/../shared/tools/s3bench/s3bench}"
duration="${1:-10s}"
. "$here/scripts/jdk.sh"; find_jdk
data="$(mktemp -d)"; port="${BENCH_PORT:-7391}"
export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
"$here/coffre" server --data "$data" --address "127.0.0.1:$port" --ops-address off >"$data.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
pid=$(pgrep -f -- "--address 127.0.0.1:$port" | head -1)
run() {
  "$s3bench" --endpoint "http://127.0.0.1:$port" --access "$COFFRE_ROOT_ACCESS_KEY" \
    --secret "$COFFRE_ROOT_SECRET_KEY" --duration "$duration" --warmup 3s --server-pid "$pid" \
    --quiet "$@" | grep '^RESULT'
}
for size in 4KiB 1MiB 64MiB; do
  for conc in 1 8; do
    run --op put --size "$size" --conc "$conc" --label "coffre"
    run --op get --size "$size" --conc "$conc" --prefill --label "coffre"
  done
done
