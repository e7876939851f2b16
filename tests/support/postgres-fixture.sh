#!/usr/bin/env bash
# Starts or stops the one PostgreSQL server that the store and replica tests
# of a ctest run share (the ctest fixture "postgres", tests/CMakeLists.txt):
# one initdb per run instead of one per test process. Each test still gets
# databases of its own (tests/support/postgres_server.cc).
#
#   postgres-fixture.sh start DIR   # initdb in DIR, start on a free port, write DIR/port
#   postgres-fixture.sh stop DIR    # stop the server and remove DIR
#
# DIR is under /tmp, as the postgres user must reach it: as root, the server
# runs as that user, since PostgreSQL refuses to run as root. A server left
# by a run that was killed is stopped by the next start in the same DIR.
set -euo pipefail

action="${1:-}" dir="${2:-}"
if [ -z "$dir" ] || { [ "$action" != start ] && [ "$action" != stop ]; }; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

# Debian installs each major version side by side; the newest wins.
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "postgres-fixture: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)" >&2
  exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

stop_server() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "$action" = stop ]; then
  stop_server
  rm -rf "$dir"
  exit 0
fi

stop_server
rm -rf "$dir"
mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
# The tests check behaviour, not the disk: no fsync (initdb -N, the server's
# fsync=off). Sessions still commit synchronously.
if ! "${as_owner[@]}" "$bin/initdb" -N -D "$dir/data" -U inrapport --auth=trust --no-locale \
       -E UTF8 >"$dir/initdb.log" 2>&1; then
  echo "postgres-fixture: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
for attempt in 1 2 3 4 5; do
  port="$(free_port)"
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
       -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=200" \
       start >/dev/null 2>&1; then
    echo "$port" >"$dir/port"
    echo "postgres-fixture: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, in $dir"
    exit 0
  fi
  # The port was taken meanwhile, or the start was too slow: stop whatever
  # postmaster pg_ctl launched before trying again.
  stop_server
done
echo "postgres-fixture: the server did not start:" >&2
cat "$dir/server.log" >&2 || true
exit 1
