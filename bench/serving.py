"""A real server and concurrent clients: the list APIs against bare views, and completing steps.

The server is gunicorn from the venv on a free loopback port, with the bench settings (the bench
database, the bare views' URLconf), run as production runs it: sync workers keeping their database
connections. Clients are processes (no shared GIL with each other) sending requests back to back
(a sync worker closes the HTTP connection after each response: every request connects anew); a
run's throughput is its requests over its wall time, its latencies are each request's own.
"""

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection as database

from .forking import fork_pool
from .middleware import BEFORE_VIEW_HEADER, TOTAL_HEADER

CLIENTS = 8
WORKERS = 5  # gunicorn's (2 × cores) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None = None


@dataclass
class Run:
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    queries: list[int] = field(default_factory=list)
    before_view: list[int] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


@contextmanager
def server() -> Iterator[str]:
    """gunicorn serving the bench settings, with sync workers and persistent database connections as in
    production (deploy/gunicorn.conf.py, config/settings/production.py); yields its address once it answers."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(settings.BASE_DIR)}
    server_log = settings.VAR_DIR / "bench-gunicorn.log"
    process = subprocess.Popen(
        [str(settings.BASE_DIR / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "120",
         "--log-level", "warning", "--preload"],
        cwd=settings.BASE_DIR, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
        stdout=server_log.open("ab"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                # Asked of the platform, not the county: no worker has looked the county up before the benchmarks.
                connection.request("GET", "/api/health/", headers={"Host": settings.BASE_DOMAIN})
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield f"127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _client(args: tuple[str, list[Request]]) -> tuple[list[float], dict[int, int], list[int], list[int]]:
    address, requests = args
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    latencies, statuses, queries, before = [], {}, [], []
    for request in requests:
        started = time.perf_counter()
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        queries.append(int(response.getheader(TOTAL_HEADER, "-1")))
        before.append(int(response.getheader(BEFORE_VIEW_HEADER, "-1")))
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
    connection.close()
    return latencies, statuses, queries, before


def load(address: str, plans: list[list[Request]]) -> Run:
    """Each client sends its plan back to back; all start together."""
    database.close()  # the forked clients must not share the parent's database connection
    with fork_pool(len(plans)) as pool:
        started = time.perf_counter()
        results = pool.map(_client, [(address, plan) for plan in plans], chunksize=1)
        seconds = time.perf_counter() - started
    run = Run(seconds, [], {})
    for latencies, statuses, queries, before in results:
        run.latencies += latencies
        run.queries += queries
        run.before_view += before
        for status, count in statuses.items():
            run.statuses[status] = run.statuses.get(status, 0) + count
    return run


def fetch(address: str, request: Request) -> tuple[int, dict, dict]:
    """One request; its status, JSON body and headers."""
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    response = connection.getresponse()
    body = response.read()
    headers = {name.lower(): value for name, value in response.getheaders()}
    connection.close()
    return response.status, json.loads(body) if body and body[:1] in b"[{" else {}, headers


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
