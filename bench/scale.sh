#!/usr/bin/env bash
# Measures DescribeUser and CreateUser on a large instance against a
# 1,000-user one (issue 7: at 1M users both must reach 80% of their rate at
# 1,000), alternating the two round by round so that both see the same
# machine. Two servers run side by side: one on the large store, one on a
# fresh data directory. Every round loads a new 1,000-user instance on the
# second, so that the small side stays at 1,000 users (each create-users
# run adds thousands) and its readers' caches hold the same share of it in
# every round. Prints each round's rates and ratios, then their means. The
# large store gains the users that create-users creates. See
# docs/PERFORMANCE.md.
#
#   switchboard-bench load-direct --data-dir /tmp/big --n 1000000 --workers 16   # prints INSTANCE
#   bash bench/scale.sh /tmp/big INSTANCE
#   ROUNDS=5 DURATION=5s WORKERS=16 bash bench/scale.sh /tmp/big INSTANCE
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 2 ] || { echo "usage: bench/scale.sh LARGE-DATA-DIR INSTANCE-ID" >&2; exit 2; }
large_dir=$1 instance=$2
[ -f "$large_dir/switchboard.db" ] || { echo "no $large_dir/switchboard.db (build one with switchboard-bench load-direct)" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WORKERS=${WORKERS:-16}
SMALL=${SMALL:-1000}
. bench/lib.sh
bench_setup
# Quotas out of the way: the large instance grows by every create-users
# run, and the small server gets one instance per round.
printf '{"quotas":{"usersPerInstance":100000000,"instancesPerAccount":%d}}\n' $((ROUNDS + 10)) >"$work/config.json"

large_port=$(freeport)
"$work/switchboard" --addr "127.0.0.1:$large_port" --data-dir "$large_dir" --config "$work/config.json" --quiet 2>>"$work/server.log" &
pids+=($!)
small_port=$(freeport)
"$work/switchboard" --addr "127.0.0.1:$small_port" --data-dir "$work/small" --config "$work/config.json" --quiet 2>>"$work/server.log" &
pids+=($!)
waitport "$large_port"
waitport "$small_port"

# rate ENDPOINT INSTANCE WORKLOAD prints the workload's ops/s; it fails when
# any op failed, so that a ratio is never taken of errors.
rate() {
  local line
  line=$("$work/switchboard-bench" run --endpoint "$1" --instance "$2" --users 0 --workloads "$3" \
    --workers "$WORKERS" --duration "$DURATION" 2>&1 | grep "^$3 ") || { echo "scale.sh: $3 against $1 printed no result" >&2; return 1; }
  # columns: workload target workers ops errors ops/s ...
  read -r _ _ _ _ errors ops_s _ <<<"$line"
  [ "$errors" = 0 ] || { echo "scale.sh: $3 against $1: $errors errors" >&2; return 1; }
  echo "$ops_s"
}

pct() { [ "$2" -gt 0 ] && echo $(($1 * 100 / $2)) || echo "-"; } # $1 as a percentage of $2

sums="0 0 0 0"
for round in $(seq "$ROUNDS"); do
  small=$("$work/switchboard-bench" load --endpoint "http://127.0.0.1:$small_port" --n "$SMALL" --workers "$WORKERS" 2>&1 |
    grep -o 'instance [0-9a-f-]*' | head -1 | cut -d' ' -f2)
  [ -n "$small" ] || { echo "scale.sh: could not load the small instance" >&2; exit 1; }
  ds=$(rate "http://127.0.0.1:$small_port" "$small" describe-user)
  dl=$(rate "http://127.0.0.1:$large_port" "$instance" describe-user)
  cs=$(rate "http://127.0.0.1:$small_port" "$small" create-users)
  cl=$(rate "http://127.0.0.1:$large_port" "$instance" create-users)
  printf 'round %d  describe-user %7s (%d users) %7s (large) %4s%%   create-users %6s (%d users) %6s (large) %4s%%\n' \
    "$round" "$ds" "$SMALL" "$dl" "$(pct "$dl" "$ds")" "$cs" "$SMALL" "$cl" "$(pct "$cl" "$cs")"
  read -r a b c d <<<"$sums"
  sums="$((a + ds)) $((b + dl)) $((c + cs)) $((d + cl))"
done
read -r a b c d <<<"$sums"
printf 'mean     describe-user %7d (%d users) %7d (large) %4s%%   create-users %6d (%d users) %6d (large) %4s%%\n' \
  $((a / ROUNDS)) "$SMALL" $((b / ROUNDS)) "$(pct "$b" "$a")" $((c / ROUNDS)) "$SMALL" $((d / ROUNDS)) "$(pct "$d" "$c")"
