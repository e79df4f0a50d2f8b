#!/usr/bin/env bash
# What placement costs: 4 KiB PUT and GET (8 clients) against the default (one volume, class
# internal: one copy) and against two sites of one volume each with a default class asking for
# two copies on two sites (both volumes on this machine's disk: the second copy's write and fsync
# is the price). Alternates the two setups twice. Prints RESULT lines.
#   bench/placement.sh [DURATION]     e.g. bench/placement.sh 8s
set -euo pipefail
duration="${1:-8s}"
for round in 1 2; do
  for mode in one-copy two-copies; do
    (
      conf="$(mktemp)"
      if [ "$mode" = two-copies ]; then
        vols="$(mktemp -d)"
        cat >"$conf" <<YAML
placement:
  default-class: twice
  classes:
    - name: twice
      copies: 2
      sites: 2
  locations:
    - site: a
      volumes: [{name: va, path: $vols/va}]
    - site: b
      volumes: [{name: vb, path: $vols/vb}]
YAML
      fi
      export COFFRE_CONFIG="$conf"
      . "$(dirname "$0")/server.sh"
      start_bench_server 7397
      put_get bench-placement "$mode-$round" "$duration"
    ) || true  # the stopped server's exit status
  done
done
