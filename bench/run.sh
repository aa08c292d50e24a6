#!/usr/bin/env bash
# The apiops-auth benchmark: the packaged jar, started plainly with java -jar, against the local PostgreSQL.
#
#   bench/run.sh [seconds per load step]       (default 15; needs wrk, openssl, psql)
#
# BENCH_JAVA_OPTS adds JVM options to the service's command line (none by default: the figures are for a plain
# java -jar); BENCH_JAVA picks another java.
#
# Prints the hash ceiling, token endpoint throughput and latency for valid credentials, wrong passwords and unknown
# users at concurrency 1, 2, 8 and 64, unknown-user against wrong-password timing, bearer-protected hello against the
# open healthcheck, an overload of 500 concurrent token requests, start-up time to the first answer, and RSS after
# the run.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_STEP=${1:-15}
PORT=${BENCH_PORT:-8089}
DB=${BENCH_DB:-apiops_bench}
PGURL=${BENCH_PG:-127.0.0.1:5432}
CORES=$(nproc)

for tool in wrk openssl psql java curl; do
    command -v "$tool" > /dev/null || { echo "bench: $tool is needed (wrk: apt-get install wrk)" >&2; exit 1; }
done
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2> /dev/null
openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"
psql -h "${PGURL%:*}" -p "${PGURL#*:}" -U postgres -qc "drop database if exists $DB" -c "create database $DB" > /dev/null

admin_password=$(openssl rand -hex 16)
# start: launches the jar; sets pid, and started_ms to the milliseconds from launch to the first answered request
start() {
    local launched
    launched=$(date +%s%N)
    QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGURL/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
    SMALLRYE_JWT_SIGN_KEY_LOCATION="file:$work/private.pem" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="file:$work/public.pem" \
    APIOPS_BOOTSTRAP_ADMIN_USERNAME=bench-admin APIOPS_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
    APIOPS_LOCKOUT_MAX_FAILURES=2000000000 APIOPS_RATE_LIMIT_ENABLED=false \
        "${BENCH_JAVA:-java}" ${BENCH_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >> "$work/service.log" 2>&1 &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/apiops/test/healthcheck"; do
        kill -0 "$pid" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
        sleep 0.01
    done
    started_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
}
# The first start migrates the empty database and creates the administrator; the second is an ordinary restart.
start
first_start_ms=$started_ms
kill "$pid"; wait "$pid" 2> /dev/null || true
start
startup_ms=$started_ms

base="http://127.0.0.1:$PORT"
token() {
    curl -sf -X POST "$base/apiops/auth/token" -d grant_type=client_credentials --data-urlencode "client_id=$1" \
        --data-urlencode "client_secret=$2" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
admin=$(token bench-admin "$admin_password")
curl -sf -o /dev/null -X POST "$base/apiops/users/" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d '{"username":"bench-user","password":"bench-password"}'
user_token=$(token bench-user bench-password)

read -r ceiling_ms parallel_rps < <(java -cp "target/quarkus-app/app/*" bench/HashCeiling.java 19456 2 1)
ceiling_rps=$(awk -v c="$CORES" -v ms="$ceiling_ms" 'BEGIN { printf "%.1f", c * 1000 / ms }')

# The service's committed heap in MB ("used/committed" from the JVM itself), to tell heap from the rest of RSS.
heap() { jcmd "$pid" GC.heap_info 2> /dev/null | awk '/garbage-first heap|def new generation|PSYoungGen/ { gsub(/[K,]/, ""); for (i = 1; i <= NF; i++) { if ($i == "total") t = $(i + 1); if ($i == "used") u = $(i + 1) } printf "%.0f/%.0f MB", u / 1024, t / 1024; exit }'; }

# wrk's latency in milliseconds from its "50%  12.34ms" style lines.
to_ms() { awk '{ v = $0; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60000 } printf "%.1f", v }'; }

# run NAME CONCURRENCY URL [LUA] [EXPECTED STATUS] -> prints "expected/s p50 p99 other-answers"
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
    awk -v r="$requests" -v h="$hits" -v s="$seconds" -v a="$p50" -v b="$p99" \
        'BEGIN { printf "%.1f %s %s %d\n", h / s, a, b, r - h }'
}

printf '\napiops-auth benchmark: %s cores, %ss per step, %s\n' "$CORES" "$SECONDS_PER_STEP" "$(java -version 2>&1 | head -1)"
printf 'hash ceiling: %s ms per argon2id verification (m=19456 KiB, t=2, p=1) -> %s logins/s on %s cores\n' \
    "$ceiling_ms" "$ceiling_rps" "$CORES"
printf 'measured with a hash on every core at once: %s hashes/s (%s of the ceiling)\n\n' "$parallel_rps" \
    "$(awk -v p="$parallel_rps" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", p / c }')"

# Warm-up, not measured: every outcome's path, until C2 has compiled what a login runs (the ORM's flush and the
# transaction commit take the longest to get hot at a few dozen logins per second).
for warm in bench-user:bench-password bench-user:wrong nobody-here:wrong bench-user:bench-password; do
    BENCH_CLIENT_ID=${warm%%:*} BENCH_CLIENT_SECRET=${warm#*:} \
        wrk -t"$CORES" -c$((CORES * 4)) -d15s -s bench/token.lua "$base/apiops/auth/token" > /dev/null
done

printf '%-16s %5s %9s %9s %9s %9s %9s %8s\n' "token endpoint" "conc" "answers/s" "x ceiling" "x parallel" "p50 ms" \
    "p99 ms" "other"
declare -A p50s
for kind in valid wrong unknown; do
    case $kind in
        valid) id=bench-user; secret=bench-password; status=200 ;;
        wrong) id=bench-user; secret=not-the-password; status=401 ;;
        unknown) id=nobody-here; secret=bench-password; status=401 ;;
    esac
    for c in 1 2 8 64; do
        read -r ok p50 p99 other < <(BENCH_CLIENT_ID=$id BENCH_CLIENT_SECRET=$secret \
            run "token-$kind" "$c" "$base/apiops/auth/token" bench/token.lua "$status")
        ratio=$(awk -v o="$ok" -v c="$ceiling_rps" 'BEGIN { printf "%.2f", o / c }')
        measured=$(awk -v o="$ok" -v p="$parallel_rps" 'BEGIN { printf "%.2f", o / p }')
        p50s[$kind-$c]=$p50
        printf '%-16s %5s %9s %9s %9s %9s %9s %8s\n' "$kind ($status)" "$c" "$ok" "$ratio" "$measured" "$p50" "$p99" \
            "$other"
        # wrk hangs up on requests still waiting for a hashing turn; the service finishes them (3 s at most) before
        # the next step starts, or they would count against it.
        [ "$c" -le "$CORES" ] || sleep 4
    done
done
# The timing comparison: unknown users and wrong passwords alternating request by request, so that the machine's
# drifting speed hits both alike; three rounds of 150 of each.
ratios=()
for round in 1 2 3; do
    read -r unknown_ms wrong_ms ratio < <(java bench/TimingPairs.java "$base/apiops/auth/token" bench-user nobody-here 150)
    ratios+=("$ratio")
    pair_ms="$unknown_ms/$wrong_ms ms"
done
printf 'median unknown user / median wrong password, concurrency 1, alternating: %s (median %s; last round %s)\n' \
    "${ratios[*]}" "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p)" "$pair_ms"
printf 'p50 unknown user / p50 wrong password in the runs above: %s at concurrency 2, %s at 8\n' \
    "$(awk -v u="${p50s[unknown-2]}" -v w="${p50s[wrong-2]}" 'BEGIN { printf "%.3f", u / w }')" \
    "$(awk -v u="${p50s[unknown-8]}" -v w="${p50s[wrong-8]}" 'BEGIN { printf "%.3f", u / w }')"
echo

export BENCH_TOKEN=$user_token
# Warm-up of both paths, not measured.
wrk -t"$CORES" -c16 -d20s -s bench/bearer.lua "$base/apiops/test/hello/bench" > /dev/null
wrk -t"$CORES" -c16 -d20s "$base/apiops/test/healthcheck" > /dev/null
read -r hello_ok hello_p50 hello_p99 _ < <(run hello 16 "$base/apiops/test/hello/bench" bench/bearer.lua)
read -r same_ok same_p50 same_p99 _ < <(run healthcheck-with-header 16 "$base/apiops/test/healthcheck" bench/bearer.lua)
read -r health_ok health_p50 health_p99 _ < <(run healthcheck 16 "$base/apiops/test/healthcheck")
printf '%-44s %9s %9s %9s\n' "concurrency 16" "req/s" "p50 ms" "p99 ms"
printf '%-44s %9s %9s %9s\n' "GET /apiops/test/healthcheck" "$health_ok" "$health_p50" "$health_p99"
printf '%-44s %9s %9s %9s\n' "GET /apiops/test/healthcheck, same header" "$same_ok" "$same_p50" "$same_p99"
printf '%-44s %9s %9s %9s\n' "GET /apiops/test/hello with the bearer token" "$hello_ok" "$hello_p50" "$hello_p99"
printf 'hello / healthcheck: %s; hello / healthcheck sending the same Authorization header: %s\n\n' \
    "$(awk -v h="$hello_ok" -v c="$health_ok" 'BEGIN { printf "%.2f", h / c }')" \
    "$(awk -v h="$hello_ok" -v c="$same_ok" 'BEGIN { printf "%.2f", h / c }')"

overload="$work/overload.txt"
BENCH_CLIENT_ID=bench-user BENCH_CLIENT_SECRET=bench-password \
    wrk -t"$CORES" -c500 -d"${SECONDS_PER_STEP}s" --latency --timeout 10s -s bench/token.lua "$base/apiops/auth/token" > "$overload"
over_statuses=$(awk '/^statuses:/ { $1 = ""; print }' "$overload")
over_max=$(awk '$1 == "Latency" && $2 != "Distribution" { print $4 }' "$overload" | to_ms)
over_errors=$(awk '/Socket errors/ { print }' "$overload")
rss_loaded=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
printf 'overload, 500 concurrent token requests for %ss: statuses%s; max latency %s ms %s; RSS %s MB\n' \
    "$SECONDS_PER_STEP" "$over_statuses" "$over_max" "${over_errors:+($over_errors)}" "$rss_loaded"

rss_mb=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
heap_mb=$(heap)
sleep 45
rss_idle=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
heap_idle=$(heap)
# The argon2id work memory goes once no login has started for a minute (checked every minute).
sleep 105
rss_later=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
heap_later=$(heap)
printf 'start-up to first answer: %s ms (first start, migrating an empty database: %s ms)\n' "$startup_ms" "$first_start_ms"
printf 'RSS after the run: %s MB (heap used/committed %s); idle 45 s later: %s MB (heap %s); 150 s later: %s MB (heap %s)\n' \
    "$rss_mb" "$heap_mb" "$rss_idle" "$heap_idle" "$rss_later" "$heap_later"
grep -E "ERROR" "$work/service.log" > /dev/null && { echo "errors in the service log:" >&2; grep ERROR "$work/service.log" >&2; } || true
