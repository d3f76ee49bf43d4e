#!/usr/bin/env bash
# The benchmark harness: a broker, a coordinator and a worker as separate processes; a 1,000-task chain, 10,000-task
# shell and no-op fan-outs and a 100,000-task DAG, each compared with the same commands run raw in the same session.
# Results: e2e/target/bench.json and BENCHMARKS.md (the table, with machine, date and command).
#   e2e/run-bench.sh          full measurement (about an hour on 2 cores, most of it filling a 200,000-run history)
#   e2e/run-bench.sh --quick  smaller N, for CI: checks that the harness works, not the numbers
#   e2e/run-bench.sh --peers [--quick]
#                             instead: dagctl beside BullMQ (Redis without persistence and with AOF) and Temporal's
#                             test server on the same workloads in one run (PeerBenchIT); installs redis-server (apt),
#                             BullMQ (npm ci) and the Temporal peer (Maven) first. Results: e2e/target/peers.json and
#                             the "peers" section of BENCHMARKS.md
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
args=()
peers=false
for arg in "$@"; do
  case "$arg" in
    --peers) peers=true ;;
    -h|--help) exec "$here/run-profile.sh" "$0" bench bench.quick "" --help ;;
    *) args+=("$arg") ;;
  esac
done
if $peers; then
  "$here/peers/install.sh"
  exec "$here/run-profile.sh" "$0" bench bench.quick "results: e2e/target/peers.json and BENCHMARKS.md (peers)" \
    ${args[@]+"${args[@]}"} -- -Dbench.peers=true -Dit.test=PeerBenchIT
fi
# PeerBenchIT skips itself without -Dbench.peers=true
exec "$here/run-profile.sh" "$0" bench bench.quick "results: e2e/target/bench.json and BENCHMARKS.md" \
  ${args[@]+"${args[@]}"}

