#!/usr/bin/env bash
# The chaos suite: kills workers, the owning coordinator, one broker of three, and everything at once while DAGs run,
# and the owners of DAGs scheduled every second; fails when a task or a tick is lost or a run is stuck. Report: e2e/target/chaos-report.json (and a table on stdout).
#   e2e/run-chaos.sh          full: 2,000-task DAGs, 8 worker kills 6 s apart, 5 coordinator kills, 40 schedules
#   e2e/run-chaos.sh --quick  bounded, for CI: 300-task DAGs, 10 schedules, fewer kills
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-profile.sh" "$0" chaos chaos.quick "report: e2e/target/chaos-report.json" "$@"
