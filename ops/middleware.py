"""Request ids, access logs and request metrics; probes and metrics on any host name."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from . import metrics
from .context import current_request
from .readiness import readiness

# nginx sends its $request_id (32 hex digits); anything odd is replaced rather than logged.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
access_log = logging.getLogger("xianfeng.request")


class RequestMiddleware:
    """First in line: gives each request an id (the proxy's X-Request-ID or a new one), answers with it
    in X-Request-ID, and counts, times and logs the request once it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Left set until request_finished (ops.apps): Django logs a 4xx or 5xx answer after the
        # middleware has returned, and that line needs the request id too.
        current_request.set(request)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        metrics.observe_request(request.method, response.status_code, seconds)
        # The path without its query string: searches may carry names or ID numbers.
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )
        return response


def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. It asks nothing of the database, so an outage there makes
    pods unready instead of restarting them all."""
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> HttpResponse:
    body = readiness()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def scrape(request: HttpRequest) -> HttpResponse:
    if not metrics.allowed(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        request.META.get("HTTP_AUTHORIZATION", ""),
    ):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics on any host name, before the county is resolved: the
    kubelet and Prometheus reach a pod by its address, which names no county."""

    views = {"/healthz": live, "/readyz": ready, "/metrics": scrape}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        # A reused connection may still point at the last request's county.
        connection.set_schema_to_public()
        return view(request)
