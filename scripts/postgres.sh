#!/usr/bin/env bash
# The project-local PostgreSQL cluster under .var/: listens on 127.0.0.1 and on a socket in
# .var/pgrun, on the port in .var/pgport (PGPORT, or a free one picked on first start).
# Usage: scripts/postgres.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
VAR="$PWD/.var"
mkdir -p "$VAR"

find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then pg_config --bindir; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL server not found: installing Debian's postgresql package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BINDIR=$(find_bindir)
  else
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL 15 or newer (Debian: apt-get install postgresql)" >&2
    exit 1
  fi
fi

# initdb and pg_ctl refuse to run as root: run the cluster as the postgres system user.
as_owner() {
  # From /: the postgres user may not be able to enter the checkout (every path here is absolute).
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster lives in .var/. When root's checkout sits where the postgres user cannot reach
# (a clone under /root), it lives in the postgres user's home instead, one folder per checkout,
# and .var/ links to it.
CLUSTER="$VAR"
if [ "$(id -u)" = 0 ] && ! (cd / && runuser -u postgres -- test -x "$VAR") 2>/dev/null; then
  CLUSTER="$(getent passwd postgres | cut -d: -f6)/xianfeng/$(printf %s "$PWD" | sha256sum | cut -c1-12)"
  mkdir -p "$CLUSTER" && chown postgres: "$CLUSTER"
  for name in pgdata pgrun postgres.log; do ln -sfn "$CLUSTER/$name" "$VAR/$name"; done
fi
DATA="$CLUSTER/pgdata"
RUN="$CLUSTER/pgrun"
LOG="$CLUSTER/postgres.log"

pick_port() {
  if [ -n "${PGPORT:-}" ]; then echo "$PGPORT"; return; fi
  if [ -s "$VAR/pgport" ]; then cat "$VAR/pgport"; return; fi
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() { [ -f "$DATA/postmaster.pid" ] && as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA" "$RUN"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$DATA" "$RUN"
    as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  mkdir -p "$RUN"; [ "$(id -u)" = 0 ] && chown postgres: "$RUN"
  local port; port=$(pick_port)
  echo "$port" > "$VAR/pgport"
  # A Unix socket path is limited to 107 bytes: in a deeply nested checkout, TCP alone.
  local socket_dir="$RUN"
  [ ${#RUN} -le 90 ] || socket_dir=""
  if ! running; then
    touch "$LOG"; [ "$(id -u)" = 0 ] && chown postgres: "$LOG"
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$socket_dir' -c max_connections=200 -c fsync=${PG_FSYNC:-on}" \
      start >/dev/null || { echo "PostgreSQL did not start; see $LOG" >&2; tail -n 5 "$LOG" >&2; exit 1; }
  fi
  "$BINDIR/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='xianfeng'" | grep -q 1 \
    || "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U postgres xianfeng
}

stop() { if running; then as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast stop >/dev/null; fi; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on port $(cat "$VAR/pgport")"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
