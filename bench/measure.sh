# shellcheck shell=bash disable=SC2154
# Shared by run.sh and keycloak.sh: what they measure of the process $pid, and the warm-up both give it. Sourced, not
# run.
TICKS=$(getconf CLK_TCK)

# CPU time of the process, in milliseconds
cpu_ms() { awk -v t="$TICKS" '{ printf "%.0f", ($14 + $15) * 1000 / t }' "/proc/$pid/stat"; }
# CPU time of the JIT compiler threads, in milliseconds
jit_ms() {
    local task total=0
    for task in /proc/"$pid"/task/*; do
        case $(cat "$task/comm" 2> /dev/null) in
            C1\ Compiler* | C2\ Compiler*) total=$(( total + $(awk '{ print $14 + $15 }' "$task/stat") )) ;;
        esac
    done
    echo $(( total * 1000 / TICKS ))
}
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# warm_up URL: token requests (bench/token.lua, as its environment chooses) at concurrency 8 in 10 s steps until the
# JIT compiler threads use under 5 % of a step's CPU, at most six steps, so that the measured logins pay for the
# server, not for its compilation.
warm_up() {
    local cpu_warm jit_warm
    for _ in 1 2 3 4 5 6; do
        cpu_warm=$(cpu_ms) jit_warm=$(jit_ms)
        wrk -t"$(nproc)" -c8 -d10s -s bench/token.lua "$1" > /dev/null
        awk -v c=$(( $(cpu_ms) - cpu_warm )) -v j=$(( $(jit_ms) - jit_warm )) 'BEGIN { exit !(j < c / 20) }' && return
    done
    return 0
}
