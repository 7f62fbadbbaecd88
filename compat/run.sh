#!/usr/bin/env bash
# compat/run.sh: the real-client compatibility suite (issue 6).
#
# Builds Switchboard, starts it on a free loopback port with an ephemeral
# store, installs what a clean machine lacks (npm packages from
# compat/js/package-lock.json, boto3 or Debian's awscli v2 where missing),
# runs every runner (JS SDK v3, boto3, AWS CLI v1, AWS CLI v2, Go SDK),
# stops the server, runs compat/selftest.sh (a deliberately broken server
# must make the runners fail), prints a per-client summary and a final
# "N passed, N failed", and exits non-zero if any check failed.
#
# To run the runners against another endpoint (e.g. real AWS) instead, see
# docs/COMPATIBILITY.md: each runner only reads SWITCHBOARD_ENDPOINT,
# AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
#
# Environment: COMPAT_SKIP_SELFTEST=1 skips the self-test; COMPAT_NO_INSTALL=1
# installs nothing (runners whose client is missing are reported as failed).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$(date +%s)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "compat: $*" >&2; }

log "building the server and the Go runner"
go build -o "$work/switchboard" ./cmd/switchboard || { log "build failed"; echo "0 passed, 1 failed"; exit 1; }
go build -o "$work/brokenproxy" ./compat/brokenproxy || { log "build of brokenproxy failed"; echo "0 passed, 1 failed"; exit 1; }
go test -c -o "$work/compat-go.test" ./compat/go || { log "build of the Go runner failed"; echo "0 passed, 1 failed"; exit 1; }

# A small users quota lets the runners reach LimitExceededException; more
# instances than AWS's default 2 let every runner have its own.
cat >"$work/config.json" <<'EOF'
{"quotas": {"instancesPerAccount": 100, "usersPerInstance": 20}}
EOF

# start_server NAME: starts Switchboard on a free loopback port (the kernel
# picks it: --addr 127.0.0.1:0) and sets ENDPOINT from its start-up line.
start_server() {
  local log=$work/server-$1.log
  "$work/switchboard" --ephemeral --quiet --addr 127.0.0.1:0 --config "$work/config.json" >"$log" 2>&1 &
  pids+=($!)
  local addr=
  for _ in $(seq 1 100); do
    addr=$(sed -n 's/.*switchboard listening.* addr=\([0-9.:]*\).*/\1/p' "$log" 2>/dev/null | head -n1)
    [ -n "$addr" ] && break
    sleep 0.1
  done
  if [ -z "$addr" ]; then log "server did not start:"; cat "$log" >&2; return 1; fi
  ENDPOINT=http://$addr
}

export AWS_REGION=${AWS_REGION:-us-east-1} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CONNECT
export NODE_NO_WARNINGS=1 AWS_EC2_METADATA_DISABLED=true
can_install() { [ -z "${COMPAT_NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=
apt_install() {
  can_install || return 1
  if [ -z "$apt_updated" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---- What each runner needs.
if [ ! -d compat/js/node_modules/@aws-sdk/client-connect ] && command -v npm >/dev/null && [ -z "${COMPAT_NO_INSTALL:-}" ]; then
  log "npm ci in compat/js"
  (cd compat/js && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
PYTHON=python3
if ! "$PYTHON" -c 'import boto3' 2>/dev/null; then
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import boto3' 2>/dev/null; then PYTHON=/usr/bin/python3
  elif apt_install python3-boto3; then PYTHON=/usr/bin/python3
  fi
fi
# AWS CLI v1: the aws on PATH when it is v1 (the image's, from pip).
CLI_V1=
if command -v aws >/dev/null && [[ "$(aws --version 2>&1)" == aws-cli/1.* ]]; then CLI_V1=$(command -v aws); fi
# AWS CLI v2: Debian's awscli package (2.x since bookworm) installs
# /usr/bin/aws, which comes after the pip v1 on PATH and so shadows nothing;
# it is always run by its full path.
CLI_V2=
v2_candidates() { for b in /usr/bin/aws /usr/local/bin/aws "$(command -v aws 2>/dev/null)"; do [ -x "$b" ] && echo "$b"; done; }
find_v2() { for b in $(v2_candidates); do [[ "$("$b" --version 2>&1)" == aws-cli/2.* ]] && { echo "$b"; return; }; done; }
CLI_V2=$(find_v2)
if [ -z "$CLI_V2" ] && can_install; then
  apt_updated=1
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  # (captured first: with pipefail, grep -q closing the pipe early would fail it)
  policy=$(apt-cache policy awscli 2>/dev/null)
  if [[ "$policy" == *"Candidate: 2."* ]]; then
    log "installing Debian's awscli (v2)"
    apt_install awscli
    CLI_V2=$(find_v2)
  else
    log "Debian's awscli candidate is not v2: AWS CLI v2 not run"
  fi
fi

# ---- Run. The two CLI runs each start the README's quick start, whose
# instance alias is fixed, so CLI v2 gets a server of its own and runs beside
# the others (the CLIs spend most of their time starting Python).
results=$work/results
mkdir -p "$results"
run_runner() { # name command... ; output in $results/name.out
  local name=$1; shift
  log "running $name"
  "$@" >"$results/$name.out" 2>"$results/$name.err"
  echo $? >"$results/$name.rc"
}
runners=()
start_server main || { echo "0 passed, 1 failed"; exit 1; }
MAIN=$ENDPOINT
if [ -n "$CLI_V2" ]; then
  start_server cli2 || { echo "0 passed, 1 failed"; exit 1; }
  runners+=(awscli-v2)
  # Debian's CLI v2 bundles a model from early 2023, without the operations
  # added since (SearchAgentStatuses, predefined attributes, proficiencies,
  # the per-channel user settings). Where the current model lies beside the
  # repository (../shared, as for the generator), it is given to that CLI
  # through botocore's AWS_DATA_PATH, as `aws configure add-model` would,
  # without touching ~/.aws; its own serializer still does the work.
  # A clone elsewhere (no ../shared) takes the model of the botocore that
  # boto3 uses, when that one has one (decompressed: the CLI's own botocore
  # predates gzipped models).
  model=$ROOT/../shared/model/connect
  if [ -f "$model/service-2.json" ]; then
    mkdir -p "$work/awsdata/connect/2017-08-08"
    cp "$model/service-2.json" "$model/paginators-1.json" "$work/awsdata/connect/2017-08-08/"
  else
    "$PYTHON" - "$work/awsdata/connect/2017-08-08" <<'PY' 2>/dev/null && log "CLI v2: the Connect model of boto3's botocore" || true
import gzip, os, shutil, sys, botocore
src = os.path.join(os.path.dirname(botocore.__file__), "data", "connect", "2017-08-08")
dst = sys.argv[1]
os.makedirs(dst, exist_ok=True)
for name in ("service-2.json", "paginators-1.json"):
    path = os.path.join(src, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz") as f, open(os.path.join(dst, name), "wb") as out:
            shutil.copyfileobj(f, out)
    else:
        shutil.copy(path, dst)
PY
  fi
  (
    [ -d "$work/awsdata" ] && export AWS_DATA_PATH=$work/awsdata
    SWITCHBOARD_ENDPOINT=$ENDPOINT AWS_CLI=$CLI_V2 CLIENT=awscli-v2 run_runner awscli-v2 bash compat/cli/run.sh
  ) &
  cli2_pid=$!
fi
export SWITCHBOARD_ENDPOINT=$MAIN
runners+=(js-sdk-v3 boto3 go-sdk-v2)
run_runner js-sdk-v3 node compat/js/run.mjs
run_runner boto3 "$PYTHON" compat/python/run.py
(cd compat/go && run_runner go-sdk-v2 "$work/compat-go.test" -test.count=1 -test.v)
if [ -n "$CLI_V1" ]; then
  runners+=(awscli-v1)
  AWS_CLI=$CLI_V1 CLIENT=awscli-v1 run_runner awscli-v1 bash compat/cli/run.sh
fi
[ -n "${cli2_pid:-}" ] && wait "$cli2_pid"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()

# ---- Report: every JSON line, then one summary per client.
total_p=0 total_f=0
for r in "${runners[@]}"; do
  grep '^{' "$results/$r.out"
done
echo
printf '%-12s %7s %7s  %s\n' client passed failed note
for r in "${runners[@]}"; do
  p=$(grep -c '"status": *"PASS"' "$results/$r.out")
  f=$(grep -c '"status": *"FAIL"' "$results/$r.out")
  note=$(grep -m1 '^# ' "$results/$r.err" | sed 's/^# //')
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$results/$r.out" | tail -n1)
  rc=$(cat "$results/$r.rc")
  if [ -z "$summary" ] || { [ "$rc" != 0 ] && [ "$f" = 0 ]; }; then
    # A runner that died or printed no summary counts as one failure.
    f=$((f + 1)); note="runner exit $rc, no clean summary: $(tail -n3 "$results/$r.err" | tr '\n' ' ')"
  fi
  printf '%-12s %7d %7d  %s\n' "$r" "$p" "$f" "$note"
  total_p=$((total_p + p)) total_f=$((total_f + f))
done
[ -z "$CLI_V1" ] && { echo "awscli-v1    not run: no AWS CLI v1 on PATH"; }
[ -z "$CLI_V2" ] && { echo "awscli-v2    not run: no AWS CLI v2 available (Debian's awscli is not v2 here)"; }

# ---- The suite's own test: a broken server must make it fail.
if [ -z "${COMPAT_SKIP_SELFTEST:-}" ]; then
  if SWITCHBOARD_BIN=$work/switchboard BROKENPROXY_BIN=$work/brokenproxy PYTHON=$PYTHON bash compat/selftest.sh; then
    echo "selftest     passed: broken responses make the runners fail"
    total_p=$((total_p + 1))
  else
    echo "selftest     FAILED: a broken server response went unnoticed"
    total_f=$((total_f + 1))
  fi
fi
echo "compat: took $(( $(date +%s) - start ))s" >&2
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
