#!/usr/bin/env bash
# Coffre against S3Proxy, side by side, on the workloads of issue 21: one fresh Coffre with its
# production defaults (encryption at rest, fsync before 200, the audit trail fail-closed, placement)
# and one S3Proxy 4.x on its filesystem backend (no encryption, no fsync, no audit), both on
# loopback, measured in interleaved rounds by the shared load generator's compare.sh. Prints its
# table and one COMPARE line per endpoint and workload: ratio is Coffre's ops/s over S3Proxy's,
# us_cpu_per_op the server CPU per request (much less sensitive to a noisy machine than ops/s).
#   bench/vs-s3proxy.sh [DURATION] [ROUNDS]      e.g. bench/vs-s3proxy.sh 10s 3
# Env: WORKLOADS to run a subset ("get4k put1m"...), SHARED (default ../shared beside the repo).
set -euo pipefail
duration="${1:-10s}"; rounds="${2:-3}"
. "$(dirname "$0")/server.sh"
start_bench_server 7595
shared="${SHARED:-$here/../shared}"
peers="$shared/tools/s3bench/peers"
compare="$shared/tools/s3bench/compare.sh"
peer_dir="$(mktemp -d)"
peer_port=$((port + 10))
peer_pids=""
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; "$peers/stop.sh" "$peer_dir" >/dev/null 2>&1 || true; [ -z "$peer_pids" ] || kill ${peer_pids//:/ } 2>/dev/null || true; rm -rf "$data" "$data".* "$peer_dir"' EXIT
peer_line="$("$peers/start.sh" s3proxy "$peer_port" "$peer_dir")"
peer_pids="$(sed 's/.*pids=//' <<<"$peer_line")"
coffre="coffre=http://127.0.0.1:$port,$COFFRE_ROOT_ACCESS_KEY,$COFFRE_ROOT_SECRET_KEY,$pid"
s3proxy="s3proxy=http://127.0.0.1:$peer_port,benchkey,benchsecret,$peer_pids"

declare -A workload=(
  [get4k]="--op get --size 4KiB --conc 16 --prefill"
  [get1m]="--op get --size 1MiB --conc 8 --prefill"
  [put1m]="--op put --size 1MiB --conc 8"
  [put4k]="--op put --size 4KiB --conc 16"
  [list]="--op list --size 0 --objects 10000 --max-keys 1000 --conc 4 --prefill"
)
for w in ${WORKLOADS:-get4k get1m put1m put4k list}; do
  echo "== $w: ${workload[$w]}"
  "$compare" -r "$rounds" -W 1 -w "${workload[$w]} --duration $duration --warmup 2s" "$coffre" "$s3proxy"
done
