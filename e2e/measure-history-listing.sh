#!/usr/bin/env bash
# How listing and a coordinator's takeover cost with a long history: starts a throw-away `dagctl up` cluster, times
# the run listing and a coordinator restart on an empty store, fills it with N finished one-task runs, and times both
# again. A restart with its local state wiped is what a new instance taking over a partition without a standby does:
# it restores the partition's state from the changelogs before it answers.
#   e2e/measure-history-listing.sh [N]     default N = 20000
set -euo pipefail
runs="${1:-20000}"
source "$(dirname "${BASH_SOURCE[0]}")/throwaway-cluster.sh" history-listing

# median and p95 of 20 timed GETs of a page of 50, in milliseconds
time_listing() {
  for _ in $(seq 1 20); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "$auth" "$api/runs?limit=50"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f / %.1f", t[int(NR / 2) + 1], t[int(NR * 0.95)] }'
}

# seconds from `dagctl down` to a ready cluster again, the coordinator's local state wiped in between
time_takeover() {
  local started
  started=$(date +%s.%N)
  ./dagctl down >/dev/null
  rm -rf "$data/coordinator-state"
  ./dagctl up --port "$port" -w 8 >/dev/null
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do sleep 0.2; done
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)"
}

empty_listing=$(time_listing)
empty_takeover=$(time_takeover)
token="$(cat "$data/api-token")"; auth="Authorization: Bearer $token"

echo "submitting $runs runs" >&2
# each run its own DAG name: the runs of one DAG are capped by dagctl.retention.max-runs-per-dag (10,000)
accepted=$(seq 1 "$runs" | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "$auth" \
  -H 'Content-Type: application/yaml' --data-binary $'name: history_{}\ntasks:\n  - {name: hello, type: noop}' \
  "$api/runs" | grep -c '^20[02]$' || true)
echo "$accepted submissions accepted; waiting until every one has run" >&2
total=0
for _ in $(seq 1 3600); do
  read -r total running < <(python3 - "$api" "$auth" <<'EOF'
import json, sys, urllib.request
def get(path):
    req = urllib.request.Request(sys.argv[1] + path, headers={"Authorization": sys.argv[2].split(": ", 1)[1]})
    return json.load(urllib.request.urlopen(req))
print(get("/runs?limit=1")["total"], len(get("/runs?status=RUNNING&limit=1")["runs"]))
EOF
)
  [ "$total" -ge "$accepted" ] && [ "$running" = 0 ] && break
  sleep 2
done
echo "runs in the store: $total" >&2

full_listing=$(time_listing)
cli_start=$(date +%s.%N); ./dagctl runs --limit 50 >/dev/null
cli=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$cli_start" "$(date +%s.%N)")
full_takeover=$(time_takeover)

echo "| with | GET /runs?limit=50, median / p95 | dagctl runs --limit 50 (with its JVM start) | down, coordinator state wiped, up to ready |"
echo "|---|---|---|---|"
echo "| an empty store | $empty_listing ms | – | ${empty_takeover} s |"
echo "| $total finished runs | $full_listing ms | ${cli} s | ${full_takeover} s |"
