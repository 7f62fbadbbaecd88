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
