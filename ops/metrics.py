"""Prometheus metrics: requests by status, task durations, queue depth and each county's size.

Requests and tasks are counted in the process that serves them. With several processes per pod
(gunicorn workers, Celery's prefork children) set PROMETHEUS_MULTIPROC_DIR to an empty folder, and
each scrape adds up every process's files (deploy/gunicorn.conf.py, serve_worker_metrics).
Queue depth and county sizes are read on scrape by the web processes; county sizes are cached for
COUNTY_METRICS_SECONDS, since counting every county on every scrape would load the database.

/metrics answers callers on the loopback interface, and others that send
`Authorization: Bearer <METRICS_TOKEN>`; a request that came through a proxy is never loopback.
"""

import hmac
import ipaddress
import os
import threading
import time
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import ThreadingWSGIServer
from prometheus_client.registry import Collector

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Each process writes its counters here from the first metric on (an emptyDir starts empty).
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

REQUESTS = Counter("xianfeng_http_requests", "HTTP requests answered, by method and status code.", ["method", "status"])
REQUEST_SECONDS = Histogram("xianfeng_http_request_duration_seconds", "Time to answer an HTTP request.")
TASK_SECONDS = Histogram(
    "xianfeng_celery_task_duration_seconds", "Time a Celery task ran, by task and final state.", ["task", "state"]
)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
COUNTY_COUNTS_KEY = "ops:county-counts"


def observe_request(method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method if method in KNOWN_METHODS else "other", status=str(status)).inc()
    REQUEST_SECONDS.observe(seconds)


_task_started: dict[str, float] = {}


def _task_prerun(task_id=None, **kwargs) -> None:
    _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _task_started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task=task.name, state=state or "UNKNOWN").observe(time.perf_counter() - started)


def connect_task_signals() -> None:
    from celery.signals import task_postrun, task_prerun, worker_init

    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="ops.metrics.prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="ops.metrics.postrun")
    worker_init.connect(_serve_worker_metrics, weak=False, dispatch_uid="ops.metrics.worker")


class QueueDepthCollector(Collector):
    """Messages waiting in each Celery queue, asked of the broker on scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from config.celery import app

        up = GaugeMetricFamily("xianfeng_broker_up", "1 when the broker answered this scrape.")
        depth = GaugeMetricFamily("xianfeng_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"])
        try:
            with app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
                channel = conn.default_channel
                for queue in queue_names():
                    depth.add_metric([queue], channel.queue_declare(queue=queue, passive=True).message_count)
            up.add_metric([], 1)
        except Exception:  # an unreachable broker is what xianfeng_broker_up reports
            up.add_metric([], 0)
        yield up
        yield depth


def queue_names() -> list[str]:
    from config.celery import app

    declared = [queue.name for queue in app.conf.task_queues or []]
    return declared or [app.conf.task_default_queue]


def county_counts() -> list[tuple[str, str, int]]:
    """(county, kind, count) for every county, in one query over every county's schema."""
    from django.contrib.auth import get_user_model
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from members.models import Person
    from orgs.models import Organization
    from tenants.selectors import counties

    slugs = dict(counties().values_list("schema_name", "slug"))
    if not slugs:
        return []
    quote = connection.ops.quote_name
    closed = [STATUS.DONE.value, STATUS.CANCELED.value]
    parts, params = [], []
    for schema in slugs:
        s = quote(schema)
        parts.append(
            f"SELECT %s, (SELECT count(*) FROM {s}.{quote(Person._meta.db_table)}),"
            f" (SELECT count(*) FROM {s}.{quote(Organization._meta.db_table)}),"
            f" (SELECT count(*) FROM {s}.{quote(get_user_model()._meta.db_table)}),"
            f" (SELECT count(*) FROM {s}.{quote(Task._meta.db_table)} WHERE status <> ALL(%s))"
        )
        params += [schema, closed]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    kinds = ("people", "organizations", "users", "open_tasks")
    return [(slugs[schema], kind, count) for schema, *counts in rows for kind, count in zip(kinds, counts, strict=True)]


class CountyCollector(Collector):
    """The size of every county: people, organizations, users and open tasks."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        seconds = getattr(settings, "COUNTY_METRICS_SECONDS", 300)
        rows = cache.get(COUNTY_COUNTS_KEY) if seconds else None
        if rows is None:
            rows = county_counts()
            if seconds:
                cache.set(COUNTY_COUNTS_KEY, rows, seconds)
        counties = GaugeMetricFamily("xianfeng_counties", "Counties on the platform.")
        counties.add_metric([], len({county for county, _kind, _count in rows}))
        records = GaugeMetricFamily("xianfeng_county_records", "Records in a county, by kind.", labels=["county", "kind"])
        for county, kind, count in rows:
            records.add_metric([county, kind], count)
        yield counties
        yield records


def process_registry() -> CollectorRegistry:
    """This process's counters, or every process's when they share PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def exposition(platform: bool = True) -> bytes:
    """The scrape's text: the counters, and (in web processes) queue depth and county sizes."""
    text = generate_latest(process_registry())
    if platform:
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(QueueDepthCollector())
        scrape.register(CountyCollector())
        text += generate_latest(scrape)
    return text


def allowed(remote_addr: str, forwarded_for: str | None, authorization: str) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    if forwarded_for:
        return False
    try:
        return ipaddress.ip_address(remote_addr).is_loopback
    except ValueError:
        return False


def worker_metrics_app(environ, start_response):
    """The worker's own /metrics (task durations), behind the same rule as the web's, and /healthz
    for the liveness probe (the worker's main process answers)."""
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok\n"]
    if not allowed(environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR"), environ.get("HTTP_AUTHORIZATION", "")):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"Forbidden\n"]
    from prometheus_client import CONTENT_TYPE_LATEST

    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [exposition(platform=False)]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        """Scrapes every few seconds would drown the worker's log."""


def serve_worker_metrics(address: str, port: int) -> ThreadingWSGIServer:
    server = make_server(address, port, worker_metrics_app, ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    return server


def _serve_worker_metrics(**kwargs) -> None:
    """A Celery worker serves its metrics on WORKER_METRICS_PORT when that is set."""
    port = os.environ.get("WORKER_METRICS_PORT")
    if port:
        serve_worker_metrics(os.environ.get("WORKER_METRICS_ADDRESS", "0.0.0.0"), int(port))
