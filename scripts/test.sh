#!/usr/bin/env bash
# The project's one test command (README, .ci/run):
#   1. static checks (gofmt, go vet);
#   2. every Go test, including the end-to-end tests that drive a real server
#      over loopback with aws-sdk-go-v2, and the PostgreSQL store's tests
#      against a throwaway PostgreSQL this script starts (and stops);
#   3. a short run of every fuzz target (scripts/fuzz.sh), and a smoke run
#      of the benchmarks' harness (micro-benchmarks once, bench/ab.sh and
#      bench/scale.sh for one short round, bench/compare.sh against
#      moto_server for a fraction of a second);
#   4. the real-client compatibility suite (compat/run.sh: JS SDK v3, boto3,
#      AWS CLI v1 and v2, Go SDK), which installs the clients it lacks.
#
# Environment:
#   SWITCHBOARD_TEST_POSTGRES=URL  use that PostgreSQL instead of starting one
#   SWITCHBOARD_TEST_POSTGRES=off  run without PostgreSQL (its tests skip)
#   FUZZTIME=50000x                budget per fuzz target, in executions
#                                  (default 10000x; 0 skips); see scripts/fuzz.sh
#   SKIP_COMPAT=1                  leave out the compatibility suite
#   CHROMIUM=PATH                  the browser for e2e/console_browser_test.go
#                                  (default: Debian's chromium, installed as
#                                  root when missing)
#   SWITCHBOARD_SCREENSHOTS=DIR    where that test saves its screenshots
#                                  (default artifacts/screenshots/)
# Extra arguments go to `go test` (e.g. -run TestUsers ./e2e/).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - start ))s)" >&2; }

step "gofmt, go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi
go vet ./...

started_pg=
cleanup() {
  if [ -n "$started_pg" ]; then bash scripts/pg-test-server.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
case "${SWITCHBOARD_TEST_POSTGRES:-}" in
off)
  echo "SWITCHBOARD_TEST_POSTGRES=off: the PostgreSQL tests skip" >&2
  unset SWITCHBOARD_TEST_POSTGRES
  ;;
"")
  step "starting a throwaway PostgreSQL (scripts/pg-test-server.sh)"
  if ! pgenv=$(bash scripts/pg-test-server.sh); then
    echo "could not start PostgreSQL for the tests; set SWITCHBOARD_TEST_POSTGRES to a server's URL, or to off to skip those tests" >&2
    exit 1
  fi
  started_pg=1
  eval "$pgenv"
  ;;
esac

# e2e/throttle_test.go drives boto3 too, and e2e/console_browser_test.go
# drives headless Chromium (it fails under CI=true without one): a clean
# Debian machine gets Debian's python3-boto3 (which compat/run.sh installs
# anyway) and chromium first, with one apt-get update.
apt_packages=()
if ! python3 -c 'import boto3' 2>/dev/null && ! /usr/bin/python3 -c 'import boto3' 2>/dev/null; then
  apt_packages+=(python3-boto3)
fi
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  apt_packages+=(chromium fonts-liberation) # the fonts: legible screenshots
fi
if [ ${#apt_packages[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  step "installing ${apt_packages[*]} (apt-get)"
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"; } >/dev/null 2>&1 ||
    echo "could not install ${apt_packages[*]}: the boto3 throttling test skips without boto3, the browser test skips (fails under CI=true) without Chromium" >&2
fi

# The browser test saves a screenshot of each page it visits here (CI keeps
# artifacts/ as the run's artifacts).
export SWITCHBOARD_SCREENSHOTS="${SWITCHBOARD_SCREENSHOTS:-$PWD/artifacts/screenshots}"

step "go test"
go test -count=1 ./... "$@"
if [ $# -gt 0 ]; then
  exit 0 # a narrowed run: just the Go tests asked for
fi

if [ "${FUZZTIME:-10000x}" != 0 ]; then
  step "fuzz targets"
  FUZZTIME=${FUZZTIME:-10000x} bash scripts/fuzz.sh
fi

# The benchmarks' harness, not their speed: every micro-benchmark once, one
# short round of bench/ab.sh and of bench/scale.sh (on a 300-user store),
# and the moto comparison for a fraction of a second (docs/PERFORMANCE.md).
step "benchmark smoke"
quietly() { # runs a command, showing its output only when it fails
  local out
  if ! out=$("$@" 2>&1); then
    echo "$out" >&2
    echo "failed: $*" >&2
    return 1
  fi
}
quietly go test -run '^$' -bench . -benchtime 1x ./...
abdir=$(mktemp -d)
go build -o "$abdir/switchboard" ./cmd/switchboard
ab=$(ROUNDS=1 DURATION=300ms USERS=50 WORKERS=2 bash bench/ab.sh create-users "$abdir/switchboard" 2>&1) &&
  grep -q 'errors 0$' <<<"$ab" || { echo "$ab" >&2; echo "failed: bench/ab.sh" >&2; exit 1; }
go build -o "$abdir/switchboard-bench" ./cmd/switchboard-bench
inst=$("$abdir/switchboard-bench" load-direct --data-dir "$abdir/large" --n 300 --workers 2 2>&1 |
  grep -o 'instance [0-9a-f-]*' | head -1 | cut -d' ' -f2)
sc=$(ROUNDS=1 DURATION=300ms WORKERS=2 SMALL=50 bash bench/scale.sh "$abdir/large" "$inst" 2>&1) &&
  grep -q '^mean ' <<<"$sc" || { echo "$sc" >&2; echo "failed: bench/scale.sh" >&2; exit 1; }
rm -rf "$abdir"
if command -v "${MOTO:-moto_server}" >/dev/null; then
  WORKERS=2 DURATION=300ms quietly bash bench/compare.sh --warmup 0s
else
  echo "no moto_server on PATH: bench/compare.sh not exercised (pip install 'moto[server]')" >&2
fi

if [ -z "${SKIP_COMPAT:-}" ]; then
  step "compatibility suite"
  bash compat/run.sh
fi
step "all tests passed"
