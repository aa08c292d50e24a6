#!/usr/bin/env bash
# The apiops-auth benchmark: the packaged service started as production starts it, against the local PostgreSQL.
#
#   bench/run.sh [seconds per load step]       (default 15; needs wrk, openssl, psql, a C compiler)
#
# The service runs as `cd target/quarkus-app && java @jvm.options -jar quarkus-run.jar`, hashing at Keycloak's
# argon2id parameters (7168 KiB, 5 passes; BENCH_ARGON2_MEMORY_KIB and BENCH_ARGON2_ITERATIONS change them), with
# lockout and the per-address limit off so that repeated wrong passwords keep costing a hash.
#
# Prints, in one run: libsodium's own argon2id timed from C at the same parameters; the service's CPU time per login
# (process CPU time over the logins of a wrk run at concurrency 8) against it, in windows that alternate with the C
# timings (BENCH_ROUNDS, default 5) so that a machine speeding up or slowing down meanwhile moves both; logins per
# second for valid, wrong and unknown credentials; unknown user against wrong password, request by request;
# bearer-protected hello against the open healthcheck, alternating too; an overload of 500 concurrent token requests;
# start-up to the first answer; RSS after the load; then, with the service stopped, stock Keycloak's password grant
# at the same argon2id parameters (bench/keycloak.sh; BENCH_KEYCLOAK=0 leaves it out) and the service's valid logins
# per second against Keycloak's.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_STEP=${1:-15}
PORT=${BENCH_PORT:-8089}
DB=${BENCH_DB:-apiops_bench}
PGURL=${BENCH_PG:-127.0.0.1:5432}
MEMORY_KIB=${BENCH_ARGON2_MEMORY_KIB:-7168}
PASSES=${BENCH_ARGON2_ITERATIONS:-5}
CORES=$(nproc)

for tool in wrk openssl psql java curl cc; do
    command -v "$tool" > /dev/null || { echo "bench: $tool is needed (apt-get install wrk gcc)" >&2; exit 1; }
done
# libsodium's headers, for the C driver of the same library the service calls.
[ -f /usr/include/sodium.h ] || apt-get install -y libsodium-dev > /dev/null
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

# shellcheck source=bench/common.sh
. bench/common.sh
# shellcheck source=bench/measure.sh
. bench/measure.sh

cc -O2 -o "$work/pwhash" bench/pwhash.c -lsodium
generate_keys
psql -h "${PGURL%:*}" -p "${PGURL#*:}" -U postgres -qc "drop database if exists $DB" -c "create database $DB" > /dev/null

admin_password=$(openssl rand -hex 16)
# start: launches the service as production does; sets pid, and started_ms to the milliseconds from launch to the
# first answered request
start() {
    local launched
    launched=$(date +%s%N)
    (cd target/quarkus-app && QUARKUS_HTTP_PORT=$PORT \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGURL/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
        SMALLRYE_JWT_SIGN_KEY_LOCATION="file:$work/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="file:$work/public.pem" \
        APIOPS_BOOTSTRAP_ADMIN_USERNAME=bench-admin APIOPS_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
        APIOPS_PASSWORD_ARGON2_MEMORY_KIB=$MEMORY_KIB APIOPS_PASSWORD_ARGON2_ITERATIONS=$PASSES \
        APIOPS_LOCKOUT_MAX_FAILURES=2000000000 APIOPS_RATE_LIMIT_ENABLED=false \
        exec java @jvm.options -jar quarkus-run.jar >> "$work/service.log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/apiops/test/healthcheck"; do
        kill -0 "$pid" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
        sleep 0.005
    done
    started_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
}

# The first start migrates the empty database and creates the administrator; then three ordinary restarts.
start
first_start_ms=$started_ms
restarts=()
for _ in 1 2 3; do
    kill "$pid"; wait "$pid" 2> /dev/null || true
    start
    restarts+=("$started_ms")
    startup_cpu_ms=$(cpu_ms)
done
startup_ms=$(printf '%s\n' "${restarts[@]}" | sort -n | sed -n 2p)
rss_started=$(rss)

base="http://127.0.0.1:$PORT"
token() {
    curl -sf -X POST "$base/apiops/auth/token" -d grant_type=client_credentials --data-urlencode "client_id=$1" \
        --data-urlencode "client_secret=$2" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
admin=$(token bench-admin "$admin_password")
curl -sf -o /dev/null -X POST "$base/apiops/users/" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d '{"username":"bench-user","password":"bench-password"}'
user_token=$(token bench-user bench-password)

# wrk's latency in milliseconds from its "50%  12.34ms" style lines.
to_ms() { awk '{ v = $0; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 } printf "%.1f", v }'; }

# run NAME CONCURRENCY URL [LUA] [EXPECTED STATUS] -> prints "expected/s p50 p99 expected-count"
run() {
    local name=$1 connections=$2 url=$3 script=${4:-} expected=${5:-200}
    local threads=$(( connections < CORES ? connections : CORES ))
    local out="$work/$name-$connections.txt"
    wrk -t"$threads" -c"$connections" -d"${SECONDS_PER_STEP}s" --latency ${script:+-s "$script"} "$url" > "$out"
    local requests seconds hits p50 p99
    requests=$(awk '/requests in/ { print $1 }' "$out")
    seconds=$(awk '/requests in/ { v = $4; sub(/,$/, "", v); sub(/s$/, "", v); print v }' "$out")
    hits=$(awk -v want="$expected" '/^statuses:/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == want) print kv[2] } }' "$out")
    [ -n "$hits" ] || hits=$(( requests - $(awk '/Non-2xx/ { print $NF }' "$out" | grep . || echo 0) ))
    p50=$(awk '$1 == "50%" { print $2 }' "$out" | to_ms)
    p99=$(awk '$1 == "99%" { print $2 }' "$out" | to_ms)
    awk -v h="$hits" -v s="$seconds" -v a="$p50" -v b="$p99" 'BEGIN { printf "%.1f %s %s %d\n", h / s, a, b, h }'
}

printf '\napiops-auth benchmark: %s cores, %ss per step, %s, argon2id m=%s KiB t=%s p=1\n' "$CORES" \
    "$SECONDS_PER_STEP" "$(java -version 2>&1 | head -1)" "$MEMORY_KIB" "$PASSES"

# Warm-up, not measured: every outcome's path, then valid logins until the JIT compiler has settled (under 5 % of the
# CPU of a step, at most six steps), so that the measured logins pay for the service, not for its compilation.
for warm in bench-user:bench-password bench-user:wrong nobody-here:wrong; do
    BENCH_CLIENT_ID=${warm%%:*} BENCH_CLIENT_SECRET=${warm#*:} \
        wrk -t"$CORES" -c8 -d10s -s bench/token.lua "$base/apiops/auth/token" > /dev/null
done
BENCH_CLIENT_ID=bench-user BENCH_CLIENT_SECRET=bench-password warm_up "$base/apiops/auth/token"

# The machine's speed drifts by a fifth within minutes (another tenant's load), so the service's logins and
# libsodium's own hash alternate: ROUNDS windows of valid logins, each between two C timings, and each window's CPU per
# login is divided by the mean of the C timings on either side of it. The median of those ratios is the figure.
ROUNDS=${BENCH_ROUNDS:-5}
read -r _ sodium_cpu_ms < <("$work/pwhash" "$MEMORY_KIB" "$PASSES" 100)
sodium_cpus=("$sodium_cpu_ms") login_cpus=() ratios=() login_jits=() valid_rates=()
for (( round = 1; round <= ROUNDS; round++ )); do
    cpu_before=$(cpu_ms) jit_before=$(jit_ms)
    read -r valid_rps valid_p50 valid_p99 valid_count < <(BENCH_CLIENT_ID=bench-user \
        BENCH_CLIENT_SECRET=bench-password run token-valid 8 "$base/apiops/auth/token" bench/token.lua 200)
    valid_rates+=("$valid_rps")
    login_cpus+=("$(awk -v a="$cpu_before" -v b="$(cpu_ms)" -v n="$valid_count" 'BEGIN { printf "%.2f", (b - a) / n }')")
    login_jits+=("$(awk -v a="$jit_before" -v b="$(jit_ms)" -v n="$valid_count" 'BEGIN { printf "%.2f", (b - a) / n }')")
    read -r _ sodium_after_cpu_ms < <("$work/pwhash" "$MEMORY_KIB" "$PASSES" 100)
    sodium_cpus+=("$sodium_after_cpu_ms")
    ratios+=("$(awk -v l="${login_cpus[-1]}" -v a="${sodium_cpus[-2]}" -v b="$sodium_after_cpu_ms" \
        'BEGIN { printf "%.3f", 2 * l / (a + b) }')")
done
login_cpu_ms=$(printf '%s\n' "${login_cpus[@]}" | median)
login_jit_ms=$(printf '%s\n' "${login_jits[@]}" | median)
sodium_median_cpu_ms=$(printf '%s\n' "${sodium_cpus[@]}" | median)
login_ratio=$(printf '%s\n' "${ratios[@]}" | median)
read -r wrong_rps wrong_p50 wrong_p99 _ < <(BENCH_CLIENT_ID=bench-user BENCH_CLIENT_SECRET=not-the-password \
    run token-wrong 8 "$base/apiops/auth/token" bench/token.lua 401)
read -r unknown_rps unknown_p50 unknown_p99 _ < <(BENCH_CLIENT_ID=nobody-here BENCH_CLIENT_SECRET=bench-password \
    run token-unknown 8 "$base/apiops/auth/token" bench/token.lua 401)
read -r pair_unknown_ms pair_wrong_ms pair_ratio < <(java bench/TimingPairs.java "$base/apiops/auth/token" bench-user \
    nobody-here 200)

printf 'libsodium argon2id from C, one thread: CPU per hash %s ms (median of %s timings: %s)\n' \
    "$sodium_median_cpu_ms" "${#sodium_cpus[@]}" "${sodium_cpus[*]}"
printf 'service CPU per valid login at concurrency 8: %s ms (median of %s windows: %s; JIT compiler %s ms of it)\n' \
    "$login_cpu_ms" "$ROUNDS" "${login_cpus[*]}" "$login_jit_ms"
printf 'service CPU per login / libsodium CPU per hash on either side: median %.2f x (windows: %s)\n' \
    "$login_ratio" "${ratios[*]}"
printf '%-28s %9s %9s %9s\n' "token endpoint, conc. 8" "answers/s" "p50 ms" "p99 ms"
valid_median_rps=$(printf '%s\n' "${valid_rates[@]}" | median)
printf 'valid logins per second at concurrency 8: median %s (windows: %s)\n' "$valid_median_rps" "${valid_rates[*]}"
printf '%-28s %9s %9s %9s\n' "valid (200), the last window" "$valid_rps" "$valid_p50" "$valid_p99"
printf '%-28s %9s %9s %9s\n' "wrong password (401)" "$wrong_rps" "$wrong_p50" "$wrong_p99"
printf '%-28s %9s %9s %9s\n' "unknown user (401)" "$unknown_rps" "$unknown_p50" "$unknown_p99"
printf 'median unknown user / median wrong password, alternating at concurrency 1: %s (%s / %s ms)\n\n' \
    "$pair_ratio" "$pair_unknown_ms" "$pair_wrong_ms"

export BENCH_TOKEN=$user_token
# Warm-up of both paths, not measured.
wrk -t"$CORES" -c16 -d10s -s bench/bearer.lua "$base/apiops/test/hello/bench" > /dev/null
wrk -t"$CORES" -c16 -d10s "$base/apiops/test/healthcheck" > /dev/null
# Healthcheck and hello alternate too, and each hello window is set against the healthchecks on either side of it.
read -r health_ok health_p50 health_p99 _ < <(run healthcheck 16 "$base/apiops/test/healthcheck")
healths=("$health_ok") hellos=() hello_ratios=()
for (( round = 1; round <= 3; round++ )); do
    read -r hello_ok hello_p50 hello_p99 _ < <(run hello 16 "$base/apiops/test/hello/bench" bench/bearer.lua)
    read -r health_ok health_p50 health_p99 _ < <(run healthcheck 16 "$base/apiops/test/healthcheck")
    hellos+=("$hello_ok") healths+=("$health_ok")
    hello_ratios+=("$(awk -v h="$hello_ok" -v a="${healths[-2]}" -v b="$health_ok" 'BEGIN { printf "%.3f", 2 * h / (a + b) }')")
done
printf '%-44s %9s %9s %9s\n' "concurrency 16, the last window" "req/s" "p50 ms" "p99 ms"
printf '%-44s %9s %9s %9s\n' "GET /apiops/test/healthcheck" "$health_ok" "$health_p50" "$health_p99"
printf '%-44s %9s %9s %9s\n' "GET /apiops/test/hello with the bearer token" "$hello_ok" "$hello_p50" "$hello_p99"
printf 'hello / healthcheck: median %.2f (windows: %s; healthcheck %s req/s, hello %s req/s)\n\n' \
    "$(printf '%s\n' "${hello_ratios[@]}" | median)" "${hello_ratios[*]}" "${healths[*]}" "${hellos[*]}"
rss_loaded=$(rss)

overload="$work/overload.txt"
BENCH_CLIENT_ID=bench-user BENCH_CLIENT_SECRET=bench-password \
    wrk -t"$CORES" -c500 -d"${SECONDS_PER_STEP}s" --latency --timeout 10s -s bench/token.lua "$base/apiops/auth/token" > "$overload"
over_statuses=$(awk '/^statuses:/ { $1 = ""; print }' "$overload")
over_max=$(awk '$1 == "Latency" && $2 != "Distribution" { print $4 }' "$overload" | to_ms)
over_errors=$(awk '/Socket errors/ { print }' "$overload")
rss_overload=$(rss)
printf 'overload, 500 concurrent token requests for %ss: statuses%s; max latency %s ms %s\n' \
    "$SECONDS_PER_STEP" "$over_statuses" "$over_max" "${over_errors:+($over_errors)}"
sleep 30
printf 'start-up to first answer, production launch: %s ms (median of 3 restarts: %s; CPU %s ms; first start, migrating an empty database: %s ms)\n' \
    "$startup_ms" "${restarts[*]}" "$startup_cpu_ms" "$first_start_ms"
printf 'RSS: %s MB after start; %s MB after the logins and bearer steps; %s MB after the overload; %s MB 30 s later\n' \
    "$rss_started" "$rss_loaded" "$rss_overload" "$(rss)"
if grep -q ERROR "$work/service.log"; then
    echo "errors in the service log: $(grep -c ERROR "$work/service.log"), the first:" >&2
    grep -m 3 ERROR "$work/service.log" >&2
fi

if [ "${BENCH_KEYCLOAK:-1}" != 0 ]; then
    kill "$pid"; wait "$pid" 2> /dev/null || true
    pid=
    echo
    [ "$MEMORY_KIB/$PASSES" = 7168/5 ] || echo "Keycloak hashes at its defaults (7168 KiB, 5 passes), not at $MEMORY_KIB/$PASSES"
    BENCH_PWHASH="$work/pwhash" BENCH_KEYCLOAK_RESULT="$work/keycloak.txt" bench/keycloak.sh "$SECONDS_PER_STEP"
    read -r keycloak_rps keycloak_cpu_ms keycloak_ratio < "$work/keycloak.txt"
    printf 'service / Keycloak, valid logins per second at concurrency 8: %.2f x (%s / %s; CPU per login %s / %s ms)\n' \
        "$(awk -v a="$valid_median_rps" -v b="$keycloak_rps" 'BEGIN { print a / b }')" "$valid_median_rps" "$keycloak_rps" \
        "$login_cpu_ms" "$keycloak_cpu_ms"
    printf 'Keycloak / service, CPU per login against libsodium'"'"'s hash timed beside each: %.2f x (%s x / %s x)\n' \
        "$(awk -v a="$keycloak_ratio" -v b="$login_ratio" 'BEGIN { print a / b }')" "$keycloak_ratio" "$login_ratio"
fi
