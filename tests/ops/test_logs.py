"""Structured logs: one JSON object per line, with the county and the request id."""

import io
import json
import logging
from collections.abc import Iterator

import pytest

from ops.logs import ContextFilter, json_formatter
from tenants.tasks import county_census


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the production handler writes (ops.logs.json_logging), caught from the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def records(stream: io.StringIO, logger: str) -> list[dict]:
    return [line for line in map(json.loads, stream.getvalue().splitlines()) if line["logger"] == logger]


def test_a_request_is_logged_as_json_with_its_county_and_the_proxys_request_id(api_a, json_lines):
    response = api_a.get("/api/health/?q=110101199001011234", HTTP_X_REQUEST_ID="3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b")

    assert response["X-Request-ID"] == "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b"
    [line] = records(json_lines, "xianfeng.request")
    assert line["county"] == "alpha"
    assert line["request_id"] == "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b"
    assert (line["method"], line["path"], line["status"], line["level"]) == ("GET", "/api/health/", 200, "INFO")
    assert "110101199001011234" not in json_lines.getvalue()  # query strings stay out of the log
    assert line["duration_ms"] >= 0 and line["time"]


def test_a_request_without_an_id_gets_a_new_one_and_a_bad_one_is_replaced(api_a, json_lines):
    first = api_a.get("/api/health/")
    second = api_a.get("/api/health/", HTTP_X_REQUEST_ID="bad id\nwith a line break")

    ids = [line["request_id"] for line in records(json_lines, "xianfeng.request")]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]
    assert len(set(ids)) == 2 and all(len(request_id) == 32 for request_id in ids)


def test_logs_written_inside_a_view_carry_the_county_of_the_request(api_b, json_lines):
    response = api_b.get("/api/no-such-endpoint/")  # Django logs the 404 from inside the request

    [warning] = records(json_lines, "django.request")
    assert (warning["county"], warning["request_id"], warning["level"]) == ("beta", response["X-Request-ID"], "WARNING")


def test_a_request_on_an_unknown_host_is_logged_without_a_county(db, client, json_lines):
    client.get("/api/health/", HTTP_HOST="nowhere.localhost")

    [line] = records(json_lines, "xianfeng.request")
    assert line["county"] is None
    assert line["status"] == 404


def test_logs_inside_a_celery_task_carry_its_county_and_task_id(county_a, json_lines):
    county_census.apply(task_id="census-task-1")  # Celery logs the task's success from inside it

    [line] = records(json_lines, "celery.app.trace")
    assert (line["county"], line["request_id"]) == ("alpha", "census-task-1")
