#!/usr/bin/env bash
# Stock Keycloak's password grant on this machine, measured the way bench/run.sh measures the service's logins.
#
#   bench/keycloak.sh [seconds per window]      (default 15; needs wrk, psql, unzip, curl, ss)
#
# Runs Keycloak's own distribution from Maven Central (org.keycloak:keycloak-quarkus-dist, BENCH_KEYCLOAK_VERSION,
# unpacked under target/) as it ships: `kc.sh start-dev` against a fresh database on the local PostgreSQL, a realm of
# its own, one user with a password, and the realm's stock `admin-cli` client, whose direct access grants are on. Its
# password hashing is left at Keycloak's defaults, argon2id with 7168 KiB, 5 passes and one lane, which the script
# reads back from the stored credential and prints. With the default `java` unless BENCH_KEYCLOAK_JAVA_HOME names
# another JDK.
#
# After a warm-up like the service's, BENCH_ROUNDS windows (default 5) of password grants at concurrency 8; prints the
# median logins per second and the median CPU time per login. With BENCH_PWHASH naming bench/pwhash.c's driver, C
# timings of libsodium's hash alternate with the windows as in bench/run.sh, and each window's CPU per login is also
# given against the mean of the timings on either side of it. BENCH_KEYCLOAK_RESULT names a file that gets
# "<logins per second> <CPU ms per login> <CPU per login / libsodium's hash, or ->" for bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_STEP=${1:-15}
VERSION=${BENCH_KEYCLOAK_VERSION:-26.5.6}
PORT=${BENCH_KEYCLOAK_PORT:-8189}
DB=${BENCH_KEYCLOAK_DB:-keycloak_bench}
PGURL=${BENCH_PG:-127.0.0.1:5432}
ROUNDS=${BENCH_ROUNDS:-5}
home=target/keycloak-$VERSION
# shellcheck source=bench/measure.sh
. bench/measure.sh

for tool in wrk psql unzip curl ss openssl; do
    command -v "$tool" > /dev/null || { echo "keycloak: $tool is needed" >&2; exit 1; }
done
if [ ! -x "$home/bin/kc.sh" ]; then
    ./mvnw -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$VERSION:zip" \
        -DoutputDirectory=target/keycloak-download
    unzip -q -o "target/keycloak-download/keycloak-quarkus-dist-$VERSION.zip" -d target
fi
psql -h "${PGURL%:*}" -p "${PGURL#*:}" -U postgres -qc "drop database if exists $DB" -c "create database $DB" > /dev/null

log=$(mktemp)
admin_password=$(openssl rand -hex 16)
launcher='' pid=''
cleanup() {
    [ -z "$pid" ] || kill "$pid" 2> /dev/null || true
    [ -z "$launcher" ] || { kill "$launcher" 2> /dev/null; wait "$launcher" 2> /dev/null; } || true
    rm -f "$log"
}
trap cleanup EXIT
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$admin_password \
    JAVA_HOME=${BENCH_KEYCLOAK_JAVA_HOME:-${JAVA_HOME:-}} \
    "$home/bin/kc.sh" start-dev --http-port "$PORT" --db postgres --db-url "jdbc:postgresql://$PGURL/$DB" \
    --db-username postgres > "$log" 2>&1 &
launcher=$!
base="http://127.0.0.1:$PORT"
until curl -sf -o /dev/null "$base/realms/master"; do
    kill -0 "$launcher" 2> /dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
done
# kc.sh runs the server as a child of its own: the process listening on the port is the one to measure.
pid=$(ss -Hltnp "sport = :$PORT" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)

admin=$(curl -sf "$base/realms/master/protocol/openid-connect/token" -d grant_type=password -d client_id=admin-cli \
    -d username=admin --data-urlencode "password=$admin_password" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -sf -X POST "$base/admin/realms" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"realm":"bench","enabled":true}'
curl -sf -X POST "$base/admin/realms/bench/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"username":"bench-user","enabled":true,"email":"bench-user@example.org","emailVerified":true,
         "firstName":"Bench","lastName":"User",
         "credentials":[{"type":"password","value":"bench-password","temporary":false}]}'
user_id=$(curl -sf "$base/admin/realms/bench/users?username=bench-user&exact=true" -H "Authorization: Bearer $admin" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')
hashing=$(curl -sf "$base/admin/realms/bench/users/$user_id/credentials" -H "Authorization: Bearer $admin" \
    | sed -E 's/\\"//g' | grep -oE 'hashIterations:[0-9]+|algorithm:[a-z0-9]+|memory:\[[0-9]+\]|type:\[[a-z]+\]|parallelism:\[[0-9]+\]' \
    | tr '\n' ' ')

export BENCH_BODY="grant_type=password&client_id=admin-cli&username=bench-user&password=bench-password"
grants="$base/realms/bench/protocol/openid-connect/token"
# The same warm-up as the service's.
warm_up "$grants"
# pwhash: libsodium's CPU milliseconds per hash from C at Keycloak's parameters, or nothing without the driver
pwhash() { [ -z "${BENCH_PWHASH:-}" ] || "$BENCH_PWHASH" 7168 5 100 | awk '{ print $2 }'; }
rates=() cpus=() ratios=()
sodium_before=$(pwhash)
for (( round = 1; round <= ROUNDS; round++ )); do
    out=$(mktemp)
    before=$(cpu_ms)
    wrk -t2 -c8 -d"${SECONDS_PER_STEP}s" -s bench/token.lua "$grants" > "$out"
    used=$(( $(cpu_ms) - before ))
    requests=$(awk '/requests in/ { print $1 }' "$out")
    failed=$(awk '/Non-2xx/ { print $NF }' "$out")
    ok=$(( requests - ${failed:-0} ))
    [ "$ok" -gt 0 ] || { echo "keycloak: no password grant succeeded" >&2; cat "$out" >&2; exit 1; }
    seconds=$(awk '/requests in/ { v = $4; sub(/,$/, "", v); sub(/s$/, "", v); print v }' "$out")
    rates+=("$(awk -v n="$ok" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')")
    cpus+=("$(awk -v c="$used" -v n="$ok" 'BEGIN { printf "%.2f", c / n }')")
    rm -f "$out"
    if [ -n "$sodium_before" ]; then
        sodium_after=$(pwhash)
        ratios+=("$(awk -v l="${cpus[-1]}" -v a="$sodium_before" -v b="$sodium_after" 'BEGIN { printf "%.2f", 2 * l / (a + b) }')")
        sodium_before=$sodium_after
    fi
done
rate=$(printf '%s\n' "${rates[@]}" | median)
cpu=$(printf '%s\n' "${cpus[@]}" | median)
printf 'Keycloak %s (%s), password grant at concurrency 8, hashing %s\n' "$VERSION" \
    "$("${BENCH_KEYCLOAK_JAVA_HOME:-${JAVA_HOME:-/usr}}/bin/java" -version 2>&1 | head -1)" "$hashing"
printf 'Keycloak logins per second: median %s (windows: %s); CPU per login: median %s ms (windows: %s)\n' \
    "$rate" "${rates[*]}" "$cpu" "${cpus[*]}"
ratio=-
if [ ${#ratios[@]} -gt 0 ]; then
    ratio=$(printf '%s\n' "${ratios[@]}" | median)
    printf 'Keycloak CPU per login / libsodium CPU per hash on either side: median %s x (windows: %s)\n' "$ratio" \
        "${ratios[*]}"
fi
[ -z "${BENCH_KEYCLOAK_RESULT:-}" ] || echo "$rate $cpu $ratio" > "$BENCH_KEYCLOAK_RESULT"
