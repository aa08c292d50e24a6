#!/usr/bin/env bash
# Memory of the bearer check per live token: 100 000 tokens (BENCH_TOKENS to change) verified into its state, heap
# after a full collection against before. Prints bytes per token; the line is also in target/bench/bearer-memory.txt.
#
#   bench/bearer-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test -Dtest=BearerMemoryBench -Dbench.bearer-memory=true -Dbench.tokens="${BENCH_TOKENS:-100000}" \
    -Dsurefire.failIfNoSpecifiedTests=false | grep '^bearer state:' || true
cat target/bench/bearer-memory.txt
