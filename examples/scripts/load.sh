#!/usr/bin/env bash
# The load step of simple_dag.yaml, kept as a script next to the DAG (command_file): dagctl sends its text as the
# task's command, so it needs no copy on the workers.
set -euo pipefail
echo "loading into $TARGET"
sleep 0.2
