#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded budget each
# (FUZZTIME, default 100000x; any value `go test -fuzztime` takes, such as
# 50000x or 30s).
#
# Budgets are counted in executions, not seconds, because Go before 1.27
# (this module builds with 1.26) can fail a duration-bounded run with a
# bare "context deadline exceeded" and no failing input when the deadline
# falls while a worker is mid-call (golang/go#75804, fixed in Go 1.27): on a
# busy machine that failed CI on nothing. A count has no deadline to race.
#
# Exits non-zero as soon as one target fails. A real finding prints
# "Failing input written to" and saves the input under that package's
# testdata/fuzz/<Target>/, where plain `go test` replays it from then on,
# so committing it makes it a regression test.
#
#   bash scripts/fuzz.sh                 # all targets, 100000 execs each
#   FUZZTIME=2000000x bash scripts/fuzz.sh  # longer
#   bash scripts/fuzz.sh ./api           # only the targets of some packages
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-100000x}
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(./...)
fi

targets=0
for pkg in $(go list "${pkgs[@]}"); do
  # go test -list prints the matching names, then "ok <pkg> ..."; only the
  # names are wanted. It fails (and so this script) if the package does
  # not build.
  names=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  for name in $names; do
    echo "== $pkg $name ($fuzztime)"
    # -run '^$' skips the unit tests, already run by scripts/test.sh;
    # the seed corpus is still run first by the fuzzer itself.
    if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"; then
      echo "fuzz: $pkg $name failed; the input is in $(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$name/" >&2
      exit 1
    fi
    targets=$((targets + 1))
  done
done
if [ "$targets" -eq 0 ]; then
  echo "fuzz: no fuzz targets found in ${pkgs[*]}" >&2
  exit 1
fi
echo "fuzz: $targets targets passed, $fuzztime each"
