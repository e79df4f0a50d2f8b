#!/usr/bin/env bash
# What a cluster costs on one machine: the same workloads against a single server (SQLite, one
# copy), a one-node cluster (PostgreSQL metadata, one copy) and a three-node cluster (PostgreSQL,
# two copies on two nodes, the second one sent over the internal API), all three running at once
# and measured interleaved (../shared/tools/s3bench/compare.sh: A B C A B C ...). Every guarantee
# stays on (encryption, fsync before 200, audit trail fail-closed). On 2 shared cores the point is
# the cost of the second copy and of PostgreSQL, not a speed-up. The three-node cluster is driven
# through node 1 (which holds a copy of about 2 objects in 3). Prints COMPARE lines.
#   bench/cluster.sh [DURATION] [ROUNDS]     e.g. bench/cluster.sh 8s 3
set -euo pipefail
duration="${1:-8s}"
rounds="${2:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
compare="$here/../shared/tools/s3bench/compare.sh"
work="$(mktemp -d)"
cleanup() {
  "$here/scripts/local-cluster" stop "$work/one" >/dev/null 2>&1 || true
  "$here/scripts/local-cluster" stop "$work/three" >/dev/null 2>&1 || true
  [ -z "${single:-}" ] || { kill "$single" 2>/dev/null; wait "$single" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

"$here/scripts/local-cluster" start "$work/one" 1 >/dev/null
"$here/scripts/local-cluster" start "$work/three" 3 >/dev/null
one() { sed -n "s/^$1=//p" "$work/one/cluster.env"; }
three() { sed -n "s/^$1=//p" "$work/three/cluster.env"; }

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123 \
  "$here/coffre" server --data "$work/single" --address "127.0.0.1:$port" --ops-address off \
  --admin-address off --console-address off >"$work/single.log" 2>&1 &
single=$!
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

pids3="$(three NODE1_PID):$(three NODE2_PID):$(three NODE3_PID)"
endpoints=(
  "single=http://127.0.0.1:$port,BENCHACCESSKEY,benchsecretkey0123,$single"
  "cluster1=$(one NODE1_URL),$(one AK),$(one SK),$(one NODE1_PID)"
  "cluster3=$(three NODE1_URL),$(three AK),$(three SK),$pids3"
)
for w in "--op put --size 4KiB --conc 16" "--op get --size 4KiB --conc 16 --prefill" \
  "--op put --size 1MiB --conc 8" "--op get --size 1MiB --conc 8 --prefill"; do
  "$compare" -r "$rounds" -W 1 -w "$w --duration $duration --warmup 2s" "${endpoints[@]}" | grep '^COMPARE'
done
