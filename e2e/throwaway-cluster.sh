# Sourced by the e2e measurement scripts: a throw-away `dagctl up` cluster with 8 worker slots in a temporary data
# directory, stopped and deleted on exit. Sets data, port, token, api (the REST base) and auth (the header).
#   source e2e/throwaway-cluster.sh NAME     (NAME names the temporary directory)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="$(mktemp -d "/tmp/dagctl-$1-XXXXXX")"
port=$((20000 + RANDOM % 20000))
export DAGCTL_DATA_DIR="$data"
trap './dagctl down >/dev/null 2>&1 || true; rm -rf "$data"' EXIT

./dagctl up --port "$port" -w 8 >/dev/null
token="$(cat "$data/api-token")"
api="http://127.0.0.1:$port/api/v1"
auth="Authorization: Bearer $token"
