#!/usr/bin/env bash
# Two builds of Coffre side by side, and S3Proxy beside them: this tree ("new") and another
# checkout of the project, built ("old", e.g. a `git worktree add /tmp/old REV`), each a fresh
# server with the production defaults (encryption, fsync before 200, audit fail-closed, placement),
# plus S3Proxy 4.x on its filesystem backend, measured in interleaved rounds by the shared load
# generator's compare.sh. Ratios are against "new": old/new and s3proxy/new.
#   bench/ab.sh OLD_TREE [DURATION] [ROUNDS]      e.g. bench/ab.sh /tmp/old 6s 3
# Env: WORKLOADS ("get4k put4k" by default; also get1m put1m mixed list), SHARED, NO_PEER=1.
set -euo pipefail
old="$(cd "$1" && pwd)"; duration="${2:-6s}"; rounds="${3:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED:-$here/../shared}"
peers="$shared/tools/s3bench/peers"
compare="$shared/tools/s3bench/compare.sh"
. "$here/scripts/jdk.sh"; find_jdk
export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
export COFFRE_ADMIN_TOKEN=bench-admin-token-0123456789
dirs=(); pids=(); peer_dir="$(mktemp -d)"
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true; "$peers/stop.sh" "$peer_dir" >/dev/null 2>&1 || true; rm -rf "${dirs[@]}" "$peer_dir"' EXIT
start() { # TREE PORT -> prints the server's pid
  local d; d="$(mktemp -d)"; dirs+=("$d" "$d.log")
  COFFRE_JAVA_OPTS="-Xmx1g" "$1/coffre" server --data "$d" --address "127.0.0.1:$2" \
    --ops-address off --admin-address "127.0.0.1:$(($2 + 1))" --console-address "127.0.0.1:$(($2 + 2))" >"$d.log" 2>&1 &
  for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$2/" && break; sleep 0.2; done
  pgrep -f -- "--address 127.0.0.1:$2" | head -1
}
pn=$(start "$here" 7721); pids+=("$pn")
po=$(start "$old" 7731); pids+=("$po")
endpoints=("new=http://127.0.0.1:7721,$COFFRE_ROOT_ACCESS_KEY,$COFFRE_ROOT_SECRET_KEY,$pn"
  "old=http://127.0.0.1:7731,$COFFRE_ROOT_ACCESS_KEY,$COFFRE_ROOT_SECRET_KEY,$po")
if [ -z "${NO_PEER:-}" ]; then
  line="$("$peers/start.sh" s3proxy 7741 "$peer_dir")"
  endpoints+=("s3proxy=http://127.0.0.1:7741,benchkey,benchsecret,$(sed 's/.*pids=//' <<<"$line")")
fi
declare -A workload=(
  [get4k]="--op get --size 4KiB --conc 16 --prefill"
  [put4k]="--op put --size 4KiB --conc 16"
  [get1m]="--op get --size 1MiB --conc 8 --prefill"
  [put1m]="--op put --size 1MiB --conc 8"
  [mixed]="--op get=70,put=30 --size 4KiB --conc 16 --prefill"
  [list]="--op list --size 0 --objects 10000 --max-keys 1000 --conc 4 --prefill"
)
for w in ${WORKLOADS:-get4k put4k}; do
  echo "== $w: ${workload[$w]}"
  "$compare" -r "$rounds" -W 1 -o "${LOG:-/tmp/ab-s3bench.log}" -w "${workload[$w]} --duration $duration --warmup 2s" "${endpoints[@]}"
done
