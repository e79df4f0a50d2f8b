# Sourced by the bench scripts: starts a fresh Coffre on a scratch directory with known root and
# admin credentials, waits until it answers, and stops it (removing its data) when the script exits.
# Sets: here, s3bench, data, port, admin_port, server, pid; and aws() with the root credentials.
#   start_bench_server DEFAULT_PORT
start_bench_server() {
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  s3bench="${S3BENCH:-$here/../shared/tools/s3bench/s3bench}"
  . "$here/scripts/jdk.sh"; find_jdk
  data="$(mktemp -d)"; port="${BENCH_PORT:-$1}"; admin_port=$((port + 1))
  export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
  export COFFRE_ADMIN_TOKEN=bench-admin-token-0123456789 COFFRE_ADMIN_URL="http://127.0.0.1:$admin_port"
  "$here/coffre" server --data "$data" --address "127.0.0.1:$port" --ops-address off \
    --admin-address "127.0.0.1:$admin_port" --console-address "127.0.0.1:$((port + 2))" >"$data.log" 2>&1 &
  server=$!
  # Under set -e, the wait on the killed server would end the trap before the clean-up.
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data" "$data".*' EXIT
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  pid=$(pgrep -f -- "--address 127.0.0.1:$port" | head -1)
}

aws() {
  AWS_ACCESS_KEY_ID=$COFFRE_ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$COFFRE_ROOT_SECRET_KEY AWS_DEFAULT_REGION=us-east-1 \
    AWS_CA_BUNDLE= command aws --endpoint-url "http://127.0.0.1:$port" "$@"
}

# 4 KiB PUTs then GETs (8 clients) on a new bucket, as root; one RESULT line each.
#   put_get BUCKET LABEL DURATION
put_get() {
  aws s3 mb "s3://$1" >/dev/null
  for op in put get; do
    local extra=""; [ "$op" = get ] && extra="--prefill"
    "$s3bench" --endpoint "http://127.0.0.1:$port" --duration "$3" --warmup 3s --server-pid "$pid" \
      --no-create-bucket --quiet --bucket "$1" --size 4KiB --conc 8 --op "$op" \
      --access "$COFFRE_ROOT_ACCESS_KEY" --secret "$COFFRE_ROOT_SECRET_KEY" --label "$2" $extra \
      | grep '^RESULT'
  done
}
