#!/usr/bin/env bash
# The benchmark harness: a broker, a coordinator and a worker as separate processes; a 1,000-task chain, 10,000-task
# shell and no-op fan-outs and a 100,000-task DAG, each compared with the same commands run raw in the same session.
# Results: e2e/target/bench.json and BENCHMARKS.md (the table, with machine, date and command).
#   e2e/run-bench.sh          full measurement (about an hour on 2 cores, most of it filling a 200,000-run history)
#   e2e/run-bench.sh --quick  smaller N, for CI: checks that the harness works, not the numbers
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-profile.sh" "$0" bench bench.quick "results: e2e/target/bench.json and BENCHMARKS.md" "$@"
