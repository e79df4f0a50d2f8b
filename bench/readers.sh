#!/usr/bin/env bash
# SQLite reads beside the writer (four read-only connections, each read in a WAL snapshot) against
# reads under the writer's lock (-Dcoffre.sqlite.readers=0, the behaviour before), side by side:
# two fresh Coffre servers with the production defaults (encryption, fsync before 200, audit
# fail-closed), measured in interleaved rounds by the shared load generator's compare.sh.
#   bench/readers.sh [DURATION] [ROUNDS]      e.g. bench/readers.sh 10s 3
# Env: WORKLOADS ("mixed get4k put4k"), SHARED (default ../shared beside the repo).
set -euo pipefail
duration="${1:-10s}"; rounds="${2:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED:-$here/../shared}"
compare="$shared/tools/s3bench/compare.sh"
. "$here/scripts/jdk.sh"; find_jdk
export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
export COFFRE_ADMIN_TOKEN=bench-admin-token-0123456789
dirs=(); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; rm -rf "${dirs[@]}"' EXIT
start() { # PORT READERS -> prints the server's pid
  local d; d="$(mktemp -d)"; dirs+=("$d")
  COFFRE_JAVA_OPTS="-Xmx1g -Dcoffre.sqlite.readers=$2" "$here/coffre" server --data "$d" \
    --address "127.0.0.1:$1" --ops-address off --admin-address "127.0.0.1:$(($1 + 1))" --console-address "127.0.0.1:$(($1 + 2))" >"$d.log" 2>&1 &
  for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$1/" && break; sleep 0.2; done
  pgrep -f -- "--address 127.0.0.1:$1" | head -1
}
p1=$(start 7621 4); pids+=("$p1")
p0=$(start 7631 0); pids+=("$p0")
readers="readers4=http://127.0.0.1:7621,$COFFRE_ROOT_ACCESS_KEY,$COFFRE_ROOT_SECRET_KEY,$p1"
locked="readers0=http://127.0.0.1:7631,$COFFRE_ROOT_ACCESS_KEY,$COFFRE_ROOT_SECRET_KEY,$p0"
declare -A workload=(
  [mixed]="--op get=70,put=30 --size 4KiB --conc 16 --prefill"
  [get4k]="--op get --size 4KiB --conc 16 --prefill"
  [put4k]="--op put --size 4KiB --conc 16"
)
for w in ${WORKLOADS:-mixed get4k put4k}; do
  echo "== $w: ${workload[$w]}"
  "$compare" -r "$rounds" -W 1 -o "${LOG:-/tmp/readers-s3bench.log}" -w "${workload[$w]} --duration $duration --warmup 2s" "$readers" "$locked"
done
