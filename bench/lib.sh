# Shell helpers shared by the bench scripts (sourced, not run).

# freeport prints a TCP port on 127.0.0.1 that nothing listens on.
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# waitport waits up to 10 s for something to listen on 127.0.0.1:$1.
waitport() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# bench_setup makes $work, a temporary directory removed on exit, and the
# array pids, whose processes are stopped on exit, and builds switchboard
# and switchboard-bench into $work.
bench_setup() {
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
  go build -o "$work/switchboard" ./cmd/switchboard
  go build -o "$work/switchboard-bench" ./cmd/switchboard-bench
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
