#!/usr/bin/env bash
# Request overhead of policy evaluation, end to end: 4 KiB GETs and PUTs by the tenant's root
# (no statement to evaluate) against a user whose identity policy and the bucket's policy hold 50
# statements each, the matching one last, with conditions (IpAddress, Bool SecureTransport,
# StringLike). Prints one RESULT line per run. (bench/policy.sh measures evaluation alone, in JMH.)
#   bench/policy-requests.sh [DURATION]     e.g. bench/policy-requests.sh 8s
set -euo pipefail
. "$(dirname "$0")/server.sh"
start_bench_server 7393
duration="${1:-8s}"
# 49 statements that do not match (other buckets, other actions), then the one that does.
statements() { # $1: "identity" or "bucket"
  local principal=""; [ "$1" = bucket ] && principal='"Principal": {"AWS": "*"},'
  for i in $(seq 1 49); do
    printf '{"Sid": "S%d", "Effect": "Allow", %s "Action": ["s3:GetObjectTagging", "s3:PutBucketTagging"], "Resource": "arn:aws:s3:::%s/other-%d/*", "Condition": {"IpAddress": {"aws:SourceIp": "10.%d.0.0/16"}}},' \
      "$i" "$principal" "$2" "$i" "$i"
  done
  printf '{"Sid": "Match", "Effect": "Allow", %s "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::%s", "arn:aws:s3:::%s/*"], "Condition": {"IpAddress": {"aws:SourceIp": ["127.0.0.0/8", "::1/128"]}, "Bool": {"aws:SecureTransport": "false"}, "StringLikeIfExists": {"s3:x-amz-acl": ["private"]}}}' \
    "$principal" "$2" "$2"
}
"$here/coffre" admin users create default bench50 >/dev/null
printf '{"Version": "2012-10-17", "Statement": [%s]}' "$(statements identity bench-policy)" > "$data.identity.json"
"$here/coffre" admin policies put default bench50 fifty --file "$data.identity.json" >/dev/null
key=$("$here/coffre" admin access-keys create default bench50 --json)
user_access=$(sed -n 's/.*"accessKeyId" : "\(.*\)".*/\1/p' <<<"$key")
user_secret=$(sed -n 's/.*"secretAccessKey" : "\(.*\)".*/\1/p' <<<"$key")
aws s3 mb s3://bench-policy >/dev/null
printf '{"Version": "2012-10-17", "Statement": [%s]}' "$(statements bucket bench-policy)" > "$data.bucket.json"
aws s3api put-bucket-policy --bucket bench-policy --policy "file://$data.bucket.json"
run() {
  "$s3bench" --endpoint "http://127.0.0.1:$port" --duration "$duration" --warmup 3s --server-pid "$pid" \
    --no-create-bucket --quiet --bucket bench-policy --size 4KiB --conc 8 "$@" | grep '^RESULT'
}
for op in get put; do
  extra=""; [ "$op" = get ] && extra="--prefill"
  run --op "$op" --access "$COFFRE_ROOT_ACCESS_KEY" --secret "$COFFRE_ROOT_SECRET_KEY" --label root $extra
  run --op "$op" --access "$user_access" --secret "$user_secret" --label 50-statements $extra
done
