#!/usr/bin/env bash
# How much disk finished runs take, per thousand: starts a throw-away `dagctl up` cluster, runs N one-task runs
# (each prints one line), and prints the bytes per 1,000 runs of every topic and of the coordinator's local state.
#   e2e/measure-history-disk.sh [N]     default N = 2000
# Kafka's log segments are measured as written (before compaction of the changelogs; deleted runs add tombstones
# there), without their preallocated index files.
set -euo pipefail
runs="${1:-2000}"
source "$(dirname "${BASH_SOURCE[0]}")/throwaway-cluster.sh" history-disk
dag='name: history_disk
tasks:
  - {name: hello, command: "echo hello from $DAGCTL_RUN_ID"}'

echo "submitting $runs runs" >&2
seq 1 "$runs" | xargs -P 8 -I{} curl -sf -o /dev/null -H "$auth" \
  -H 'Content-Type: application/yaml' --data-binary "$dag" "$api/runs"
for _ in $(seq 1 600); do
  left=$(curl -sf -H "$auth" "$api/runs?dag=history_disk&status=RUNNING&limit=1" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"]))')
  [ "$left" = 0 ] && break
  sleep 1
done
total=$(curl -sf -H "$auth" "$api/runs?dag=history_disk&limit=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "runs finished: $total" >&2
sleep 2

python3 - "$data" "$total" <<'EOF'
import os, re, sys
data, runs = sys.argv[1], int(sys.argv[2])
def size(path, suffix=""):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs if f.endswith(suffix))
topics = {}
for root, dirs, files in os.walk(os.path.join(data, "kafka")):
    m = re.match(r"(.+)-\d+$", os.path.basename(root))
    if m and any(f.endswith(".log") for f in files) and not m.group(1).startswith("__"):
        # the records themselves: index files are preallocated (10 MB each) and shrink when a segment rolls
        topics[m.group(1)] = topics.get(m.group(1), 0) + size(root, ".log")
per = 1000 / runs
print("| what | MB per 1,000 runs |\n|---|---|")
for topic, b in sorted(topics.items(), key=lambda t: -t[1]):
    if b:
        print(f"| topic `{topic}` | {b * per / 1e6:.2f} |")
print(f"| all topics | {sum(topics.values()) * per / 1e6:.2f} |")
state = os.path.join(data, "coordinator-state")
if os.path.isdir(state):
    print(f"| coordinator's local state (RocksDB, a cache of the changelogs) | {size(state) * per / 1e6:.2f} |")
EOF
