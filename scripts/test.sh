#!/usr/bin/env bash
# The project's one test command (README, .ci/run): static checks, then every
# Go test, including the end-to-end tests that drive a real server over
# loopback with aws-sdk-go-v2.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi
go vet ./...
go test -count=1 ./... "$@"
