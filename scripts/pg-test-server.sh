#!/usr/bin/env bash
# pg-test-server.sh — a throwaway PostgreSQL on loopback for the storage tests.
#
#   eval "$(scripts/pg-test-server.sh)"     # start (or reuse) it; prints the export line
#   go test ./storage/postgres/ -count=1
#   scripts/pg-test-server.sh stop          # stop it and delete its files
#
# It uses the Debian server binaries (/usr/lib/postgresql/N/bin), installing
# the postgresql package first when initdb is missing, so it works on a clean
# Debian machine as well as on one that has them. The cluster lives in
# $SWITCHBOARD_PG_DIR (default: $TMPDIR/switchboard-pg-test), listens only on
# 127.0.0.1 on a free port, trusts local connections (it holds nothing but
# test data) and runs with fsync off, because durability of a cluster that is
# deleted after the run buys nothing and costs the tests time.
#
# Everything but the export line goes to stderr, so that eval "$(...)" works.
set -euo pipefail

dir="${SWITCHBOARD_PG_DIR:-${TMPDIR:-/tmp}/switchboard-pg-test}"
db=switchboard_test
log() { echo "pg-test-server: $*" >&2; }

# find_bindir prints the highest-versioned /usr/lib/postgresql/N/bin that has
# initdb, or nothing. sort -V: a plain glob would put 10 before 9.
find_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then echo "$d"; fi
	done | sort -V | tail -n 1
}

# as_owner runs a command as the cluster's owner: PostgreSQL refuses to run
# as root, so as root we use the unprivileged "postgres" account (created by
# the Debian package, or here if it is missing).
owner=""
as_owner() {
	if [ -n "$owner" ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" = 0 ]; then
	owner=postgres
fi

ensure_owner() {
	[ -z "$owner" ] && return 0
	if ! id -u "$owner" >/dev/null 2>&1; then
		log "creating system user $owner"
		useradd --system --user-group --home-dir /var/lib/postgresql --shell /usr/sbin/nologin "$owner"
	fi
}

stop() {
	if [ ! -d "$dir" ]; then
		log "nothing to stop in $dir"
		return 0
	fi
	local bindir
	bindir="$(cat "$dir/bindir" 2>/dev/null || find_bindir)"
	if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
	fi
	rm -rf "$dir"
	log "stopped and removed $dir"
}

# port_free reports whether nothing listens on 127.0.0.1:$1.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
	if [ -f "$dir/env" ] && [ -f "$dir/data/postmaster.pid" ]; then
		local bindir
		bindir="$(cat "$dir/bindir")"
		if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
			log "already running ($dir)"
			cat "$dir/env"
			return 0
		fi
		log "stale cluster in $dir; recreating it"
		stop
	elif [ -e "$dir" ]; then
		stop
	fi

	local bindir
	bindir="$(find_bindir)"
	if [ -z "$bindir" ]; then
		# initdb comes from postgresql-N (dpkg -S .../initdb); the
		# "postgresql" metapackage pulls in Debian's current one.
		log "initdb not found; installing postgresql"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq postgresql >&2
		bindir="$(find_bindir)"
		[ -n "$bindir" ] || { log "initdb still missing after installing postgresql"; exit 1; }
	fi
	ensure_owner

	mkdir -p "$dir"
	if [ -n "$owner" ] && ! runuser -u "$owner" -- test -x "$(dirname "$dir")"; then
		log "$owner cannot reach $(dirname "$dir"); set SWITCHBOARD_PG_DIR to a path under a world-searchable directory such as /tmp"
		rm -rf "$dir"
		exit 1
	fi
	echo "$bindir" >"$dir/bindir"
	[ -n "$owner" ] && chown "$owner" "$dir"
	chmod 700 "$dir"

	log "initdb with $bindir"
	as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }

	local port tries=0
	while :; do
		port=$((20000 + RANDOM % 20000))
		port_free "$port" && break
		tries=$((tries + 1))
		[ "$tries" -lt 50 ] || { log "no free port found"; exit 1; }
	done

	# The socket goes in our own directory: /var/run/postgresql may not
	# exist (or be writable by the owner) on a machine with no cluster.
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	log "starting on 127.0.0.1:$port"
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >&2 ||
		{ cat "$dir/postgres.log" >&2; exit 1; }
	as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"

	echo "export SWITCHBOARD_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/$db?sslmode=disable" >"$dir/env"
	cat "$dir/env"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 [start|stop]" >&2
	exit 2
	;;
esac
