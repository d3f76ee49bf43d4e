#!/usr/bin/env bash
# Shared by run-chaos.sh and run-bench.sh: builds what the e2e profile needs, then runs it, quick or full.
#   run-profile.sh CALLER PROFILE QUICK_PROPERTY DONE_MESSAGE [--quick]
set -euo pipefail
caller="$1" profile="$2" quick_property="$3" done_message="$4"
shift 4
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=false
maven_args=()
while (($#)); do
  case "$1" in
    --quick) quick=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$caller" ; exit 0 ;;
    --) shift; maven_args=("$@"); break ;;  # from the calling script: more for Maven
    *) echo "$(basename "$caller"): unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# build the services and the CLI (the brokers run from its libraries) unless they are there and fresh
./mvnw -B -ntp -q -DskipTests -pl cli,coordinator-service,worker-service -am install
./mvnw -B -ntp -P"$profile" -pl e2e verify -D"$quick_property"="$quick" ${maven_args[@]+"${maven_args[@]}"}
echo "$done_message"
