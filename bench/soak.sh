#!/usr/bin/env bash
# The apiops-auth soak: the packaged jar, started plainly with java -jar against a fresh database on the local
# PostgreSQL, under a steady mix of good and bad logins, bearer calls, personal token creation and revocation and user
# changes (bench/Soak.java), sampled once a minute.
#
#   bench/soak.sh [minutes]          (default 30; needs java, jcmd, openssl, psql, ss; installs gnuplot if missing)
#
# Writes bench/soak.csv (per minute: requests, errors, RSS, heap after a full GC, database and HTTP connections, open
# file descriptors, threads) and bench/soak.png (the same as a plot). Exits non-zero if any request erred.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${1:-30}
PORT=${SOAK_PORT:-8091}
DB=${SOAK_DB:-apiops_soak}
PGURL=${SOAK_PG:-127.0.0.1:5432}
CSV=${SOAK_CSV:-bench/soak.csv}
PNG=${SOAK_PNG:-bench/soak.png}

for tool in java jcmd openssl psql ss curl; do
    command -v "$tool" > /dev/null || { echo "soak: $tool is needed" >&2; exit 1; }
done
if ! command -v gnuplot > /dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox > /dev/null
    else
        echo "soak: gnuplot is needed for the plot (apt-get install gnuplot-nox); only the CSV will be written" >&2
    fi
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

# shellcheck source=bench/common.sh
. bench/common.sh

generate_keys
PGOPTIONS=--client-min-messages=warning psql -h "${PGURL%:*}" -p "${PGURL#*:}" -U postgres -qc "drop database if exists $DB with (force)" \
    -c "create database $DB" > /dev/null

admin_password=$(openssl rand -hex 16)
# A copy of the application, so that a rebuild during the run does not pull jars from under it.
cp -r target/quarkus-app "$work/app"
# Production settings but for the per-address limit, which the soak's bad logins from one address would reach.
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=0 \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGURL/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
SMALLRYE_JWT_SIGN_KEY_LOCATION="file:$work/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="file:$work/public.pem" \
APIOPS_BOOTSTRAP_ADMIN_USERNAME=soak-admin APIOPS_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
APIOPS_RATE_LIMIT_ENABLED=false \
    java -jar "$work/app/quarkus-run.jar" > "$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/apiops/test/healthcheck"; do
    kill -0 "$pid" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
    sleep 0.1
done

status=0
java bench/Soak.java "http://127.0.0.1:$PORT" soak-admin "$admin_password" "$MINUTES" "$pid" "$DB" "$CSV" || status=$?
if grep -q ERROR "$work/service.log"; then
    echo "errors in the service log:" >&2
    grep ERROR "$work/service.log" | head -20 >&2
    status=1
fi

if command -v gnuplot > /dev/null; then
    gnuplot <<EOF
set terminal pngcairo size 1000,900 noenhanced font ",10"
set output "$PNG"
set datafile separator ","
set key inside left top
set multiplot layout 3,1 title "apiops-auth soak: $MINUTES minutes of mixed load, sampled every minute"
set xlabel "minute"
set ylabel "MB"
set yrange [0:*]
plot "$CSV" using 1:4 with linespoints title "RSS", \
     "" using 1:5 with linespoints title "heap after full GC", \
     "" using 1:6 with linespoints title "heap committed"
set ylabel "count"
plot "$CSV" using 1:7 with linespoints title "database connections", \
     "" using 1:8 with linespoints title "HTTP connections", \
     "" using 1:9 with linespoints title "open file descriptors", \
     "" using 1:10 with linespoints title "threads"
set ylabel "per minute"
set logscale y
set yrange [0.5:*]
plot "$CSV" using 1:(\$2 > 0 ? \$2 : 1/0) with linespoints title "requests", \
     "" using 1:(\$3 > 0 ? \$3 : 1/0) with impulses lw 3 title "errors (none drawn when zero)"
unset multiplot
EOF
    echo "soak: $CSV and $PNG"
fi
exit $status
