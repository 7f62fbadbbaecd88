#!/usr/bin/env bash
# Measures two (or more) builds of Switchboard against each other on one
# workload, alternating them round by round so that both see the same
# machine: each round starts each build on a fresh data directory, creates
# USERS users, runs the workload for DURATION with 16 workers, and prints
# its ops/s, its p99 and the server's CPU time per operation (from
# /proc/PID/stat, which moves less with the machine's other load than
# ops/s do). See docs/PERFORMANCE.md.
#
#   git worktree add /tmp/old HEAD~3 && (cd /tmp/old && go build -o /tmp/sb-old ./cmd/switchboard)
#   go build -o /tmp/sb-new ./cmd/switchboard
#   ROUNDS=3 bash bench/ab.sh create-users /tmp/sb-old /tmp/sb-new
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { echo "usage: bench/ab.sh WORKLOAD SWITCHBOARD-BINARY..." >&2; exit 2; }
workload=$1; shift
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
USERS=${USERS:-1000}
WORKERS=${WORKERS:-16}
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

. bench/lib.sh
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
hz=$(getconf CLK_TCK)

go build -o "$work/switchboard-bench" ./cmd/switchboard-bench
printf '{"quotas":{"usersPerInstance":%d}}\n' $((USERS + 1000000)) >"$work/config.json"

for round in $(seq "$ROUNDS"); do
  for bin in "$@"; do
    port=$(freeport)
    rm -rf "$work/data"
    "$bin" --addr "127.0.0.1:$port" --data-dir "$work/data" --config "$work/config.json" --quiet 2>>"$work/server.log" &
    pid=$!
    waitport "$port"
    endpoint=http://127.0.0.1:$port
    instance=$("$work/switchboard-bench" load --endpoint "$endpoint" --n "$USERS" --workers "$WORKERS" 2>&1 |
      grep -o 'instance [0-9a-f-]*' | head -1 | cut -d' ' -f2)
    before=$(ticks "$pid")
    line=$("$work/switchboard-bench" run --endpoint "$endpoint" --workloads "$workload" --users 0 \
      ${instance:+--instance "$instance"} --workers "$WORKERS" --duration "$DURATION" --warmup 0s 2>&1 |
      grep "^$workload ")
    after=$(ticks "$pid")
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    # columns: workload target workers ops errors ops/s items/s p50 p90 p99 max
    read -r _ _ _ ops errors rate _ _ _ p99 _ <<<"$line"
    cpu=$(( (after - before) * 1000000 / hz / (ops > 0 ? ops : 1) ))
    printf 'round %d  %-24s %-16s %9s ops/s  %5s µs server CPU/op  p99 %7s ms  errors %s\n' \
      "$round" "$(basename "$bin")" "$workload" "$rate" "$cpu" "$p99" "$errors"
  done
done
