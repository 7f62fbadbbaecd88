#!/usr/bin/env bash
# Compares Switchboard with moto_server on the Connect operations both
# implement (DescribeInstance, ListInstances, TagResource/ListTagsForResource/
# UntagResource), at equal concurrency, in one run of switchboard-bench, and
# prints the ratio of each. Both servers listen on 127.0.0.1 only and are
# stopped on exit. See docs/PERFORMANCE.md.
#
#   bash bench/compare.sh                    # 16 workers, 10 s per workload
#   WORKERS=16 DURATION=5s bash bench/compare.sh --json /tmp/compare.json
#   SB_PORT=4631 MOTO_PORT=4632 bash bench/compare.sh   # fixed ports instead of free ones
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-16}
DURATION=${DURATION:-10s}
MOTO=${MOTO:-moto_server}
. bench/lib.sh
bench_setup

sb_port=${SB_PORT:-$(freeport)}
"$work/switchboard" --addr "127.0.0.1:$sb_port" --data-dir "$work/data" --quiet 2>"$work/switchboard.log" &
pids+=($!)
moto_port=${MOTO_PORT:-$(freeport)}
"$MOTO" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
waitport "$sb_port"
waitport "$moto_port"

"$work/switchboard-bench" run \
  --targets "switchboard=http://127.0.0.1:$sb_port,moto=http://127.0.0.1:$moto_port" \
  --workloads baseline,describe-instance,list-instances,tag-roundtrip \
  --workers "$WORKERS" --duration "$DURATION" "$@"
