#!/usr/bin/env bash
# compat/selftest.sh: the compatibility suite's test of itself. A runner that
# passes against a server which is wrong on the wire proves nothing, so this
# puts compat/brokenproxy between the runners and a healthy Switchboard and
# asserts the runners report failures:
#   - timestamps sent as strings   -> the JS SDK runner and the boto3 runner fail
#   - no X-Amzn-ErrorType header   -> the boto3 runner and the JS SDK runner fail
#   - empty lists and maps left out -> the boto3 runner and the JS SDK runner fail
# It exits 0 when every broken server was caught. Called by compat/run.sh;
# SWITCHBOARD_BIN and BROKENPROXY_BIN may name prebuilt binaries.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
PYTHON=${PYTHON:-python3}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-}
BROKENPROXY_BIN=${BROKENPROXY_BIN:-}
if [ -z "$SWITCHBOARD_BIN" ]; then go build -o "$work/switchboard" ./cmd/switchboard || exit 1; SWITCHBOARD_BIN=$work/switchboard; fi
if [ -z "$BROKENPROXY_BIN" ]; then go build -o "$work/brokenproxy" ./compat/brokenproxy || exit 1; BROKENPROXY_BIN=$work/brokenproxy; fi
echo '{"quotas": {"instancesPerAccount": 100, "usersPerInstance": 20}}' >"$work/config.json"

wait_for() { # file sed-expression -> prints the address once it appears
  local a
  for _ in $(seq 1 100); do
    a=$(sed -n "$2" "$1" 2>/dev/null | head -n1)
    [ -n "$a" ] && { echo "$a"; return 0; }
    sleep 0.1
  done
  return 1
}
"$SWITCHBOARD_BIN" --ephemeral --quiet --addr 127.0.0.1:0 --config "$work/config.json" >"$work/server.log" 2>&1 &
pids+=($!)
server=$(wait_for "$work/server.log" 's/.*switchboard listening.* addr=\([0-9.:]*\).*/\1/p') || { echo "selftest: server did not start" >&2; exit 1; }
# start_proxy MODE: starts brokenproxy in this shell (not in a $(...)
# subshell, so its pid is kept for cleanup) and sets PROXY to its URL.
start_proxy() {
  "$BROKENPROXY_BIN" -listen 127.0.0.1:0 -target "http://$server" -break "$1" >"$work/proxy-$1.log" 2>&1 &
  pids+=($!)
  local a; a=$(wait_for "$work/proxy-$1.log" 's/^listening on //p') || return 1
  PROXY=http://$a
}
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test NODE_NO_WARNINGS=1
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CONNECT AWS_PROFILE AWS_SESSION_TOKEN

ok=0 bad=0
# expect_caught description endpoint case-pattern runner...: the runner must
# exit non-zero, print a FAIL line matching case-pattern, and still end with
# its "N passed, N failed" line (a crash is not a detection).
expect_caught() {
  local what=$1 endpoint=$2 pattern=$3; shift 3
  local out=$work/out.$ok.$bad
  SWITCHBOARD_ENDPOINT=$endpoint "$@" >"$out" 2>"$out.err"
  local rc=$?
  local fails; fails=$(grep -c '"status": *"FAIL"' "$out")
  local matched; matched=$(grep '"status": *"FAIL"' "$out" | grep -E "$pattern")
  if [ $rc -ne 0 ] && [ -n "$matched" ] && grep -qE '^[0-9]+ passed, [1-9][0-9]* failed$' "$out"; then
    echo "selftest: caught ($what): $fails failing checks, e.g. $(printf '%s\n' "$matched" | sed -n 1p | cut -c1-200)" >&2
    ok=$((ok + 1))
  else
    echo "selftest: NOT caught ($what): exit $rc, $fails failing checks; last lines:" >&2
    tail -n3 "$out" >&2
    bad=$((bad + 1))
  fi
}
start_proxy timestamp || { echo "selftest: proxy did not start" >&2; exit 1; }
ts=$PROXY
start_proxy errortype || { echo "selftest: proxy did not start" >&2; exit 1; }
et=$PROXY
start_proxy empty || { echo "selftest: proxy did not start" >&2; exit 1; }
em=$PROXY
expect_caught "timestamp as a string, JS SDK" "$ts" '"operation":"DescribeInstance"' node compat/js/run.mjs
expect_caught "timestamp as a string, boto3" "$ts" '"operation": "DescribeInstance"' "$PYTHON" compat/python/run.py
expect_caught "no X-Amzn-ErrorType, boto3" "$et" 'Exception' "$PYTHON" compat/python/run.py
expect_caught "no X-Amzn-ErrorType, JS SDK" "$et" 'instanceof' node compat/js/run.mjs
expect_caught "empty lists and maps left out, boto3" "$em" 'InstanceSummaryList \[\]' "$PYTHON" compat/python/run.py
expect_caught "empty lists and maps left out, JS SDK" "$em" 'InstanceSummaryList \[\]' node compat/js/run.mjs
# The healthy server through no proxy must still pass, or the above proves
# nothing about the proxy.
SWITCHBOARD_ENDPOINT=http://$server "$PYTHON" compat/python/run.py >"$work/healthy.out" 2>&1 && ok=$((ok + 1)) || {
  echo "selftest: the healthy server failed the boto3 runner" >&2; tail -n3 "$work/healthy.out" >&2; bad=$((bad + 1)); }
echo "selftest: $ok passed, $bad failed" >&2
[ "$bad" -eq 0 ]
