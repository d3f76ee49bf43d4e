#!/usr/bin/env bash
# The chaos suite: kills workers, the owning coordinator, one broker of three, and everything at once while DAGs run;
# fails when a task is lost or a run is stuck. Report: e2e/target/chaos-report.json (and a table on stdout).
#   e2e/run-chaos.sh          full: 2,000-task DAGs, 8 worker kills 6 s apart, 5 coordinator kills
#   e2e/run-chaos.sh --quick  bounded, for CI: 300-task DAGs, fewer kills
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "run-chaos.sh: unknown argument $arg (use --quick or nothing)" >&2; exit 2 ;;
  esac
done

# build the services and the CLI (the brokers run from its libraries) unless they are there and fresh
./mvnw -B -ntp -q -DskipTests -pl cli,coordinator-service,worker-service -am install
./mvnw -B -ntp -Pchaos -pl e2e verify -Dchaos.quick="$quick"
echo "report: e2e/target/chaos-report.json"
