#!/usr/bin/env bash
# Throughput cost of the audit trail: 4 KiB PUTs and GETs (8 clients) against a server with the
# trail on (the default: every request recorded and fsynced before its answer, changes recorded
# before they start too, group commit) and one with `COFFRE_AUDIT=off` (which strict mode refuses
# without the developer override, COFFRE_INSECURE_DEV=true). Each mode runs twice,
# alternating, so that JIT warm-up and disk state do not favour one side. Prints RESULT lines.
#   bench/audit.sh [DURATION]     e.g. bench/audit.sh 8s
set -euo pipefail
duration="${1:-8s}"
for round in 1 2; do
  for mode in on off; do
    (
      export COFFRE_AUDIT=$mode
      if [ "$mode" = off ]; then export COFFRE_INSECURE_DEV=true; fi
      . "$(dirname "$0")/server.sh"
      start_bench_server 7395
      put_get bench-audit "audit-$mode-$round" "$duration"
    ) || true  # the stopped server's exit status
  done
done
