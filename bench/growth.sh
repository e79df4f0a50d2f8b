#!/usr/bin/env bash
# How the cost of a request grows with the work (issue 21): one fresh Coffre with its production
# defaults (encryption at rest, fsync before 200, the audit trail fail-closed, placement), then
#   10k, 100k, 1m  fill one bucket to that many 1-byte objects (s3bench prefill, high concurrency),
#                  then GET, HEAD and PUT on random keys of the whole bucket at a fixed modest
#                  concurrency, LIST one page of 1,000 keys at the start and at the end of the
#                  bucket (signed curl requests, start-after), and disk use per object;
#   buckets        GET/HEAD on one bucket and ListBuckets with 2 buckets, then with 1,000;
#   tenants        GET/HEAD by one tenant's user with 1 tenant, then with 100 tenants, each with a
#                  user, an access key, an identity policy and a bucket (admin API).
# Prints one summary table at the end; s3bench RESULT lines go to $LOG, the server's log to
# $LOG without .log plus -server.log. The data directory is removed when the script exits.
#   bench/growth.sh all                 (= 10k 100k 1m buckets tenants, in that order)
#   bench/growth.sh 10k 100k            stages in the order given, on one server
#   bench/growth.sh 10k 100k 400k 1m    any NNNk or NNNm fills the bucket up to that many objects
# A stage that fills to N objects PUTs all N keys (the ones already there are rewritten). The
# table is printed also when the script is interrupted (Ctrl-C), with the stages done so far.
# Env: DURATION (10s) and CONC (8) of each measurement, FILL_CONC (64), LIST_REPS (50 pages per
# LIST figure), N_10K/N_100K/N_1M (the object counts of those stages, for a quick trial run),
# BUCKETS (1000),
# TENANTS (100), BENCH_PORT (7811; the admin API and console take the next two), LOG.
set -euo pipefail
[ $# -gt 0 ] || set -- all
stages=()
for s in "$@"; do
  case "$s" in
    all) stages+=(10k 100k 1m buckets tenants) ;;
    [1-9]*k | [1-9]*m | buckets | tenants) stages+=("$s") ;;
    *) echo "growth.sh: unknown stage '$s' (10k, 100k, 1m or any NNNk/NNNm, buckets, tenants, all)" >&2; exit 2 ;;
  esac
done
duration="${DURATION:-10s}"; conc="${CONC:-8}"; fill_conc="${FILL_CONC:-64}"
reps="${LIST_REPS:-50}"; log="${LOG:-/tmp/growth-s3bench.log}"
declare -A count=([10k]="${N_10K:-10000}" [100k]="${N_100K:-100000}" [1m]="${N_1M:-1000000}")
for s in "${stages[@]}"; do
  case "$s" in
    buckets | tenants | 10k | 100k | 1m) ;;
    *k) count[$s]=$((${s%k} * 1000)) ;;
    *m) count[$s]=$((${s%m} * 1000000)) ;;
  esac
done

here="$(cd "$(dirname "$0")/.." && pwd)"
s3bench="${S3BENCH:-$here/../shared/tools/s3bench/s3bench}"
. "$here/scripts/jdk.sh"; find_jdk
export COFFRE_ROOT_ACCESS_KEY=BENCHACCESSKEY COFFRE_ROOT_SECRET_KEY=benchsecretkey0123
export COFFRE_ADMIN_TOKEN=bench-admin-token-0123456789
port="${BENCH_PORT:-7811}"; s3="http://127.0.0.1:$port"; admin="http://127.0.0.1:$((port + 1))/admin/v1"
data="$(mktemp -d)"; table="$(mktemp)"
"$here/coffre" server --data "$data" --address "127.0.0.1:$port" --ops-address off \
  --admin-address "127.0.0.1:$((port + 1))" --console-address "127.0.0.1:$((port + 2))" >"$data.log" 2>&1 &
server=$!
summary() {
  echo "Coffre growth, $(date -u +%F), stages: ${stages[*]}; $(($(date +%s) - start)) s; $(uptime | sed 's/.*load/load/')"
  {
    printf 'stage\tsize\twhat\tops/s\tp50 ms\tp99 ms\tserver us/op\tnote\n'
    cat "$table"
  } | column -t -s $'\t'
}
start=$(date +%s)
keep="${log%.log}-server.log"
trap 'set +e; summary; kill $server 2>/dev/null; wait $server 2>/dev/null; cp "$data.log" "$keep"; rm -rf "$data" "$data".* "$table"' EXIT
for _ in $(seq 150); do curl -s -o /dev/null "$s3/" && break; sleep 0.2; done
pid=$(pgrep -f -- "--address 127.0.0.1:$port" | head -1)
[ -n "$pid" ] || { echo "growth.sh: the server did not start:" >&2; tail -20 "$data.log" >&2; exit 1; }
: >"$log"

# One summary row: STAGE SIZE WHAT OPS_S P50 P99 US_PER_OP NOTE
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" | tee -a "$table" >&2; }

# s3bench as ACCESS SECRET, then its own options; keeps the RESULT line in $log and prints it.
bench() {
  local access="$1" secret="$2"; shift 2
  "$s3bench" --endpoint "$s3" --access "$access" --secret "$secret" --no-create-bucket --size 1 \
    --server-pid "$pid" "$@" 2>&1 | tee -a "$log" | grep -E '^RESULT|prefilled' || true
}
# Measures OP on BUCKET/PREFIX over N keys and adds a row: measure STAGE SIZE OP BUCKET PREFIX N [ACCESS SECRET]
measure() {
  local r ops p50 p99 cpu us
  r="$(bench "${7:-$COFFRE_ROOT_ACCESS_KEY}" "${8:-$COFFRE_ROOT_SECRET_KEY}" --bucket "$4" --prefix "$5" \
    --objects "$6" --op "$3" --conc "$conc" --duration "$duration" --warmup 2s --quiet --label "$1-$3" | grep '^RESULT')"
  ops=$(sed -E 's/.* ops_s=([0-9.]+).*/\1/' <<<"$r"); p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$r")
  p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$r"); cpu=$(sed -E 's/.* server_cpu_pct=([0-9.]+).*/\1/' <<<"$r")
  grep -q ' errors=0 ' <<<"$r" || echo "growth.sh: errors in $1 $3: $r" >&2
  us=$(awk -v c="$cpu" -v o="$ops" 'BEGIN { if (o > 0) printf "%.0f", c / 100 * 1e6 / o; else print "-" }')
  row "$1" "$2" "${3^^} (conc $conc)" "$ops" "$p50" "$p99" "$us" "${9:-}"
}
# Signed GETs of one URL, REPS times on one keep-alive connection; prints "p50_ms p90_ms".
timed_gets() {
  local url="$1" args=() i
  for ((i = 0; i < reps; i++)); do args+=(-o /dev/null "$url"); done
  curl -s -w '%{http_code} %{time_total}\n' -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "${2:-$COFFRE_ROOT_ACCESS_KEY}:${3:-$COFFRE_ROOT_SECRET_KEY}" "${args[@]}" |
    awk '$1 != 200 { bad++ } { t[NR] = $2 * 1000 } END {
      if (bad) { print "growth.sh: " bad " requests failed" > "/dev/stderr" }
      n = NR; for (i = 2; i <= n; i++) { v = t[i]; for (j = i - 1; j > 0 && t[j] > v; j--) t[j + 1] = t[j]; t[j + 1] = v }
      printf "%.1f %.1f\n", t[int((n + 1) / 2)], t[int(n * 0.9 + 0.5)] }'
}
signed_put() { # URL: PUT of stdin, signed (the body unsigned)
  curl -sf -X PUT --data-binary @- -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$COFFRE_ROOT_ACCESS_KEY:$COFFRE_ROOT_SECRET_KEY" "$1"
}
signed() { # METHOD URL: one signed request, body to stdout
  curl -s -X "$1" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "${3:-$COFFRE_ROOT_ACCESS_KEY}:${4:-$COFFRE_ROOT_SECRET_KEY}" "$2"
}
# LIST row: list_row STAGE SIZE LABEL QUERY. curl 7.88 signs the query as given: its parameters
# must come sorted and percent-encoded (k%2F), as SigV4's canonical form has them.
list_row() {
  local keys t
  keys=$(signed GET "$s3/growth?$4" | grep -o '<Key>' | wc -l)
  read -r -a t <<<"$(timed_gets "$s3/growth?$4")"
  row "$1" "$2" "$3 ($keys keys)" "-" "${t[0]}" "${t[1]}" "-" "p90 of $reps, 1 conn"
}
admin_call() { # METHOD PATH [JSON]
  curl -sf -X "$1" -H "Authorization: Bearer $COFFRE_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$admin$2"
}
# Bytes per object of metadata.db (+ WAL) and of the blob tree, files per blob directory.
disk_row() {
  local n="$2" db wal files used dirs leaf audit
  db=$(stat -c %s "$data/metadata.db"); wal=$(cat "$data"/metadata.db-wal 2>/dev/null | wc -c)
  files=$(find "$data/volume/blobs" -type f -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%d %d", n, s }')
  used=$(du -s --block-size=1 "$data/volume/blobs" | cut -f1)
  dirs=$(find "$data/volume/blobs" -type d | wc -l)
  leaf=$(find "$data/volume/blobs" -type f -printf '%h\n' | sort | uniq -c | sort -n | tail -1 | awk '{print $1}')
  audit=$(du -s --block-size=1 "$data/audit" | cut -f1)
  read -r -a files <<<"$files"
  row "$1" "$n" "disk per object" "-" "-" "-" "-" \
    "metadata.db $((db / n)) B (+ WAL $((wal / 1048576)) MiB); blobs: ${files[0]} files of $((files[1] / files[0])) B, $((used / files[0])) B on disk each, $dirs dirs, at most $leaf files in one; audit $((audit / 1048576)) MiB"
}

missing_keys() { # N: the keys k/obj-0..N-1 that a listing of the bucket does not show
  local token="" page
  comm -23 <(seq 0 $(($1 - 1)) | sed 's|^|k/obj-|' | LC_ALL=C sort) <(
    while :; do
      page="$(signed GET "$s3/growth?${token:+continuation-token=$(jq -rn --arg t "$token" '$t|@uri')&}list-type=2&max-keys=1000&prefix=k%2F")"
      grep -o '<Key>[^<]*</Key>' <<<"$page" | sed 's|</*Key>||g'
      token="$(grep -o '<NextContinuationToken>[^<]*' <<<"$page" | sed 's|.*>||')" || true
      [ -n "$token" ] || break
    done | LC_ALL=C sort)
}

objects_stage() { # STAGE
  local n="${count[$1]}" r secs last
  if [ "$filled" = 0 ]; then signed PUT "$s3/growth" >/dev/null; fi
  local t0 failed retried=0 have note
  t0=$(date +%s%N)
  failed="$("$s3bench" --endpoint "$s3" --access "$COFFRE_ROOT_ACCESS_KEY" --secret "$COFFRE_ROOT_SECRET_KEY" \
    --no-create-bucket --size 1 --bucket growth --prefix k/ --objects "$n" --prefill-only \
    --prefill-conc "$fill_conc" --op put --conc "$fill_conc" 2>&1 | tee -a "$log" |
    sed -nE 's|^s3bench: error put-http-503: .*<Resource>/growth/(k/obj-[0-9]+)</Resource>.*|\1|p')" || true
  # A 503 (which S3 clients retry) on a few keys: PUT them again, once, and say so in the table;
  # the bucket's object count (kept by the metadata triggers) proves the fill complete.
  [ -z "$failed" ] || markers=$((markers - 1)) # that run wrote no marker
  markers=$((markers + 1))
  have=$(admin_call GET /buckets/growth | jq .usage.objects)
  # s3bench names only its first five errors: the keys still missing are found by a listing.
  if [ -n "$failed" ] && [ "$have" != $((n + markers)) ]; then failed="$(missing_keys "$n")"; fi
  for k in $failed; do
    echo x | signed_put "$s3/growth/$k" >/dev/null && retried=$((retried + 1))
  done
  have=$(admin_call GET /buckets/growth | jq .usage.objects)
  if [ "$have" != $((n + markers)) ]; then
    echo "growth.sh: the fill of $n objects failed: the bucket holds $have objects (server log: $keep)" >&2
    exit 1
  fi
  note="$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.0f", ns / 1e9 }')s (rewrites the $filled keys already there)"
  [ "$retried" = 0 ] || note="$note; $retried PUTs answered 503 and were sent again"
  row "$1" "$n" "fill $filled -> $n (conc $fill_conc)" \
    "$(awk -v n="$n" -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')" "-" "-" "-" "$note"
  filled=$n
  measure "$1" "$n" head growth k/ "$n"
  measure "$1" "$n" get growth k/ "$n"
  measure "$1" "$n" put growth k/ "$n" "" "" "overwrites keys 0.."
  list_row "$1" "$n" "LIST start" "list-type=2&max-keys=1000&prefix=k%2F"
  # The 1,001st key from the end in S3 order (unsigned bytes), so the page after it is the last.
  last=$(seq 0 $((n - 1)) | sed 's/^/obj-/' | LC_ALL=C sort | tail -1001 | sed -n 1p)
  list_row "$1" "$n" "LIST end" "list-type=2&max-keys=1000&prefix=k%2F&start-after=k%2F$last"
  disk_row "$1" "$n"
}

buckets_stage() {
  local n=${BUCKETS:-1000} have i urls=() t
  signed PUT "$s3/probe" >/dev/null
  bench "$COFFRE_ROOT_ACCESS_KEY" "$COFFRE_ROOT_SECRET_KEY" --bucket probe --prefix p/ --objects 1000 \
    --prefill-only --op put --quiet >/dev/null
  have=$(signed GET "$s3/" | grep -o '<Bucket>' | wc -l)
  measure buckets "$have" head probe p/ 1000
  measure buckets "$have" get probe p/ 1000
  read -r -a t <<<"$(timed_gets "$s3/")"
  row buckets "$have" "ListBuckets" "-" "${t[0]}" "${t[1]}" "-" "p90 of $reps, 1 conn"
  read -r -a t <<<"$(timed_gets "$s3/?max-buckets=10")"
  row buckets "$have" "ListBuckets max-buckets=10" "-" "${t[0]}" "${t[1]}" "-" "p90 of $reps, 1 conn"
  local t0; t0=$(date +%s%N)
  for ((i = have + 1; i <= n; i++)); do urls+=(-o /dev/null "$s3/$(printf 'b-%04d' "$i")"); done
  # 100 CreateBucket a curl (3 arguments each), each signed, sequential on one connection.
  for ((i = 0; i < ${#urls[@]}; i += 300)); do
    curl -sf -X PUT -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" \
      --user "$COFFRE_ROOT_ACCESS_KEY:$COFFRE_ROOT_SECRET_KEY" "${urls[@]:i:300}"
  done
  row buckets "$n" "CreateBucket x $((n - have))" \
    "$(awk -v n=$((n - have)) -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')" \
    "-" "-" "-" "one at a time, 1 conn"
  have=$(signed GET "$s3/" | grep -o '<Bucket>' | wc -l)
  measure buckets "$have" head probe p/ 1000
  measure buckets "$have" get probe p/ 1000
  read -r -a t <<<"$(timed_gets "$s3/")"
  row buckets "$have" "ListBuckets" "-" "${t[0]}" "${t[1]}" "-" "p90 of $reps, 1 conn"
  read -r -a t <<<"$(timed_gets "$s3/?max-buckets=10")"
  row buckets "$have" "ListBuckets max-buckets=10" "-" "${t[0]}" "${t[1]}" "-" "p90 of $reps, 1 conn"
}

# Creates tenant T with user u, an access key, a policy on bucket T-data, and that bucket;
# prints "ACCESS SECRET".
tenant() {
  local t="$1" key ak sk
  admin_call POST /tenants "{\"name\": \"$t\"}" >/dev/null
  admin_call POST "/tenants/$t/users" '{"name": "u"}' >/dev/null
  key="$(admin_call POST "/tenants/$t/users/u/access-keys")"
  ak=$(jq -r .accessKeyId <<<"$key"); sk=$(jq -r .secretAccessKey <<<"$key")
  [ "$ak" != null ] || { echo "growth.sh: no access key for tenant $t: $key" >&2; exit 1; }
  admin_call PUT "/tenants/$t/users/u/policies/data" "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::$t-data\", \"arn:aws:s3:::$t-data/*\"]}]}" >/dev/null
  signed PUT "$s3/$t-data" "$ak" "$sk" >/dev/null
  echo "$ak $sk"
}
tenants_stage() {
  local n=${TENANTS:-100} first last i have
  read -r -a first <<<"$(tenant t001)"
  bench "${first[0]}" "${first[1]}" --bucket t001-data --prefix p/ --objects 1000 --prefill-only --op put --quiet >/dev/null
  have=$(admin_call GET /tenants | jq '.tenants | length')
  measure tenants "$have" head t001-data p/ 1000 "${first[0]}" "${first[1]}" "user of t001"
  measure tenants "$have" get t001-data p/ 1000 "${first[0]}" "${first[1]}" "user of t001"
  local t0; t0=$(date +%s%N)
  for ((i = 2; i <= n; i++)); do read -r -a last <<<"$(tenant "$(printf 't%03d' "$i")")"; done
  row tenants "$n" "tenant + user + key + policy + bucket x $((n - 1))" \
    "$(awk -v n=$((n - 1)) -v ns=$(($(date +%s%N) - t0)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }')" \
    "-" "-" "-" "5 calls each, one at a time"
  have=$(admin_call GET /tenants | jq '.tenants | length')
  measure tenants "$have" head t001-data p/ 1000 "${first[0]}" "${first[1]}" "user of t001"
  measure tenants "$have" get t001-data p/ 1000 "${first[0]}" "${first[1]}" "user of t001"
  local t; t=$(printf 't%03d' "$n")
  bench "${last[0]}" "${last[1]}" --bucket "$t-data" --prefix p/ --objects 1000 --prefill-only --op put --quiet >/dev/null
  measure tenants "$have" get "$t-data" p/ 1000 "${last[0]}" "${last[1]}" "user of $t (the last made)"
}

filled=0 markers=0
# The JIT first: a minute of small requests on a bucket of its own, so that the first stage is not
# measured on a cold server.
signed PUT "$s3/warmup" >/dev/null
for op in put get head list; do
  bench "$COFFRE_ROOT_ACCESS_KEY" "$COFFRE_ROOT_SECRET_KEY" --bucket warmup --prefix w/ --objects 2000 \
    --op $op --prefill --conc "$conc" --duration 10s --warmup 1s --quiet >/dev/null
done
for s in "${stages[@]}"; do
  echo "== $s ($(date -u +%H:%M:%S))" >&2
  case "$s" in
    buckets) buckets_stage ;;
    tenants) tenants_stage ;;
    *) objects_stage "$s" ;;
  esac
done

