#!/usr/bin/env bash
# The benchmark harness: a broker, a coordinator and a worker as separate processes; a 1,000-task chain, 10,000-task
# shell and no-op fan-outs and a 100,000-task DAG, each compared with the same commands run raw in the same session.
# Results: e2e/target/bench.json and BENCHMARKS.md (the table, with machine, date and command).
#   e2e/run-bench.sh          full measurement (about 5 minutes on 2 cores)
#   e2e/run-bench.sh --quick  smaller N, for CI: checks that the harness works, not the numbers
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "run-bench.sh: unknown argument $arg (use --quick or nothing)" >&2; exit 2 ;;
  esac
done

# build the services and the CLI (the broker runs from its libraries) unless they are there and fresh
./mvnw -B -ntp -q -DskipTests -pl cli,coordinator-service,worker-service -am install
./mvnw -B -ntp -Pbench -pl e2e verify -Dbench.quick="$quick"
echo "results: e2e/target/bench.json"
