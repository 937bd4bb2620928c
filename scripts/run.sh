#!/usr/bin/env bash
# `make run`: the embedded PostgreSQL, every schema migrated, the demo county, then gunicorn, a Celery
# worker and Celery beat. Ctrl-C (or SIGTERM) stops every process this script started, PostgreSQL
# included when this script started it; the data stays under .var/ for the next run.
# Environment: PORT (8000), BIND (0.0.0.0), WEB_CONCURRENCY (3 web workers), REDIS_URL (a Redis broker
# instead of the filesystem one under .var/broker), PGPORT (see scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
BIND=${BIND:-0.0.0.0}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
LOGS=.var/log
# kombu's filesystem transport needs its folder to exist before the first message.
mkdir -p .var/broker "$LOGS"

if ! "$PY" -c 'import socket, sys; socket.create_server((sys.argv[1], int(sys.argv[2]))).close()' "$BIND" "$PORT" 2>/dev/null; then
  echo "Port $PORT is taken on $BIND: stop what uses it, or run PORT=8001 make run" >&2
  exit 1
fi

started_postgres=0
scripts/postgres.sh status >/dev/null 2>&1 || started_postgres=1
scripts/postgres.sh start

pids=()
stop_all() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    echo "Stopping the web server, the worker and beat..."
    local pid
    # Each leader stops its own children: gunicorn its workers, Celery its pool, after the task in
    # hand (tasks that write are idempotent anyway). Whatever is left after 15 seconds is killed.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 150); do
      local alive=0
      for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
      ((alive)) || break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  fi
  if ((started_postgres)); then
    echo "Stopping PostgreSQL (data kept in .var/pgdata)"
    scripts/postgres.sh stop
  fi
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Static files are collected beside the migrations: neither needs the other.
"$PY" manage.py collectstatic --noinput -v 0 &
collecting=$!
echo "Migrating the public schema, the county template and every county..."
"$PY" manage.py migrate_all -v 0 >/dev/null
echo "Preparing the demo county..."
sign_ins=$("$PY" manage.py seed_demo)
wait "$collecting"

# Each server leads its own process group (setsid), so stopping it reaches its children too.
launch() {
  local log=$1
  shift
  if [ "$log" = - ]; then setsid "$@" & else setsid "$@" >>"$log" 2>&1 & fi
  pids+=("$!")
}
launch - .venv/bin/gunicorn config.wsgi:application --bind "$BIND:$PORT" --workers "${WEB_CONCURRENCY:-3}" \
  --access-logfile - --error-logfile - --timeout 60 --no-control-socket
launch "$LOGS/worker.log" .venv/bin/celery -A config worker --loglevel INFO --concurrency 2 --hostname "worker@%h"
launch "$LOGS/beat.log" .venv/bin/celery -A config beat --loglevel INFO --schedule .var/celerybeat-schedule

health() {
  "$PY" - "$PORT" <<'EOF'
import sys, urllib.request
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/health/", headers={"Host": "demo.localhost"})
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        healthy = response.status == 200
except BaseException:  # refused, timed out, or interrupted by Ctrl-C: not (yet) healthy
    healthy = False
sys.exit(0 if healthy else 1)
EOF
}
for _ in $(seq 120); do
  health && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server stopped while starting: see the output above and $LOGS/" >&2; exit 1; }
  done
  sleep 0.5
done
health || { echo "The web server does not answer /api/health/ after 60 seconds" >&2; exit 1; }

cat <<EOF

  先锋 Xianfeng is running.
    Demo county (示范县):   http://demo.localhost:$PORT/
    API docs:              http://demo.localhost:$PORT/api/docs/
    Platform:              http://localhost:$PORT/
    Health:                curl -H 'Host: demo.localhost' http://127.0.0.1:$PORT/api/health/
    Worker and beat logs:  $LOGS/worker.log, $LOGS/beat.log

$sign_ins

  Ctrl-C stops everything; the data stays in .var/.

EOF

# Run until Ctrl-C, or until one server stops by itself (then stop the others too).
set +e
wait -n "${pids[@]}"
echo "A server stopped by itself: see the output above and $LOGS/" >&2
exit 1
