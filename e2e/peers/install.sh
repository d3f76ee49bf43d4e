#!/usr/bin/env bash
# Installs the peers e2e/run-bench.sh --peers measures dagctl beside: Debian's redis-server (apt-get, when run as root
# and it is missing), BullMQ from npm (e2e/peers/bullmq, from its lock file) and the Temporal peer, built by Maven
# against Maven Central's io.temporal:temporal-testing (e2e/peers/temporal).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v redis-server >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "peers: installing redis-server"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server
  else
    echo "peers: redis-server is missing; install Debian's redis-server package" >&2
    exit 1
  fi
fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || {
  echo "peers: node and npm are missing; install Debian's nodejs and npm packages" >&2
  exit 1
}
echo "peers: BullMQ (npm ci)"
(cd "$here/bullmq" && npm ci --no-audit --no-fund --loglevel=error)
echo "peers: the Temporal peer (Maven)"
"$root/mvnw" -B -ntp -q -f "$here/temporal/pom.xml" package
