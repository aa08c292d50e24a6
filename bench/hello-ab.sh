#!/usr/bin/env bash
# Bearer-protected hello, one build against another, in alternating rounds on the same keys, a database each:
#
#   bench/hello-ab.sh BEFORE_APP_DIR [AFTER_APP_DIR] [seconds per round]
#
# Each *_APP_DIR is a packaged build's target/quarkus-app (AFTER defaults to this checkout's). Both run as
# production runs (java @jvm.options -jar quarkus-run.jar). BEFORE is called with a token from the token endpoint;
# AFTER with a personal token scoped to one role and limited to 127.0.0.1/32 and 10.0.0.0/8, so that the scope and
# address checks are in play (BENCH_PLAIN=1: a token from the token endpoint for both). Three rounds each, BEFORE first; prints requests per second per round and the ratio
# of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "${2:-target/quarkus-app}" && pwd)
SECONDS_PER_ROUND=${3:-15}
PORT=${BENCH_PORT:-8089}
DB=${BENCH_DB:-apiops_bench_ab}
PGURL=${BENCH_PG:-127.0.0.1:5432}
CORES=$(nproc)
command -v wrk > /dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

# shellcheck source=bench/common.sh
. bench/common.sh
generate_keys
# A database each: the builds may differ in their migrations.
for which in before after; do
    psql -h "${PGURL%:*}" -p "${PGURL#*:}" -U postgres -qc "drop database if exists ${DB}_$which" \
        -c "create database ${DB}_$which" > /dev/null
done
admin_password=$(openssl rand -hex 16)
base="http://127.0.0.1:$PORT"

start() {
    (cd "$2" && QUARKUS_HTTP_PORT=$PORT \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGURL/${DB}_$1" QUARKUS_DATASOURCE_USERNAME=postgres \
        SMALLRYE_JWT_SIGN_KEY_LOCATION="file:$work/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="file:$work/public.pem" \
        APIOPS_BOOTSTRAP_ADMIN_USERNAME=bench-admin APIOPS_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
        exec java @jvm.options -jar quarkus-run.jar >> "$work/service.log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "$base/apiops/test/healthcheck"; do
        kill -0 "$pid" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
        sleep 0.05
    done
}
stop() { kill "$pid"; wait "$pid" 2> /dev/null || true; pid=; }
login() {
    curl -sf -d grant_type=client_credentials -d client_id=bench-admin -d "client_secret=$admin_password" \
        "$base/apiops/auth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
token_for() {
    local token
    token=$(login)
    if [ "$1" = after ] && [ -z "${BENCH_PLAIN:-}" ]; then
        curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d '{"name":"bench","expireDate":"'"$(date -u -d '+30 minutes' +%FT%TZ)"'","roleNameList":["ROLE_ADMIN"],"allowedAddresses":["127.0.0.1/32","10.0.0.0/8"]}' \
            "$base/apiops/auth/tokens/" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
    else
        echo "$token"
    fi
}
round() {
    local which=$1 dir=$2
    start "$which" "$dir"
    BENCH_TOKEN=$(token_for "$which")
    export BENCH_TOKEN
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" "$base/apiops/test/hello/x")" = 200 ]
    wrk -t"$CORES" -c16 -d5s -s bench/bearer.lua "$base/apiops/test/hello/bench" > /dev/null
    wrk -t"$CORES" -c16 -d"${SECONDS_PER_ROUND}s" -s bench/bearer.lua "$base/apiops/test/hello/bench" \
        | awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
    stop
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
before=() after=()
for _ in 1 2 3; do
    before+=("$(round before "$BEFORE")")
    after+=("$(round after "$AFTER")")
done
b=$(printf '%s\n' "${before[@]}" | median)
a=$(printf '%s\n' "${after[@]}" | median)
echo "hello with a bearer token, requests/s per round: before ${before[*]}; after ${after[*]}"
awk -v a="$a" -v b="$b" 'BEGIN { printf "median before %d, after %d: after/before %.3f\n", b, a, a / b }'
