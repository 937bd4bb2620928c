"""Prometheus metrics: requests by status, task durations, queue depth and each county's size;
served to loopback callers or with the token, never through the proxy."""

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app
from members.models import Person
from ops import metrics
from tenants.tasks import county_census
from tests.conftest import in_county
from tests.factories import PersonFactory

TOKEN = "metrics-token-for-tests-0123456789"


def labels(**values: str) -> frozenset:
    return frozenset(values.items())


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def scraper(db, settings) -> Client:
    settings.METRICS_TOKEN = TOKEN
    settings.COUNTY_METRICS_SECONDS = 0  # count on every scrape
    return Client(HTTP_HOST="10.1.2.3:8000")


@pytest.fixture
def empty_queue() -> Iterator[None]:
    def purge():
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)

    purge()
    yield
    purge()


def test_metrics_answer_a_loopback_caller(scraper):
    response = scraper.get("/metrics")  # the test client calls from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_metrics_refuse_another_address_without_the_token(scraper):
    assert scraper.get("/metrics", REMOTE_ADDR="10.9.8.7").status_code == 403
    assert scraper.get("/metrics", REMOTE_ADDR="10.9.8.7", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_metrics_answer_another_address_with_the_token(scraper):
    response = scraper.get("/metrics", REMOTE_ADDR="10.9.8.7", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200


def test_metrics_refuse_a_loopback_request_that_came_through_a_proxy(scraper):
    assert scraper.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403


def test_requests_are_counted_by_status(scraper, api_a):
    def count(status: str) -> float:
        text = scraper.get("/metrics").content.decode()
        return samples(text).get(("xianfeng_http_requests_total", labels(method="GET", status=status)), 0)

    ok, missing = count("200"), count("404")
    api_a.get("/api/health/")
    api_a.get("/api/no-such-endpoint/")

    assert count("200") >= ok + 1  # the scrapes themselves are 200s too
    assert count("404") == missing + 1


def test_task_durations_are_recorded_by_task_and_state(scraper, county_a):
    key = ("xianfeng_celery_task_duration_seconds_count", labels(task=county_census.name, state="SUCCESS"))
    before = samples(scraper.get("/metrics").content.decode()).get(key, 0)

    with in_county(county_a):  # a scrape leaves the connection in the public schema
        county_census.apply()

    assert samples(scraper.get("/metrics").content.decode())[key] == before + 1


def test_queue_depth_counts_the_messages_waiting(scraper, county_a, empty_queue):
    queue = app.conf.task_default_queue
    with in_county(county_a):
        county_census.delay()
        county_census.delay()

    found = samples(scraper.get("/metrics").content.decode())

    assert found[("xianfeng_broker_up", labels())] == 1
    assert found[("xianfeng_celery_queue_length", labels(queue=queue))] == 2


def test_each_county_is_counted_by_kind(scraper, county_a):
    with in_county(county_a):
        PersonFactory.create_batch(3)
        alpha_people = Person.objects.count()

    found = samples(scraper.get("/metrics").content.decode())

    assert found[("xianfeng_county_records", labels(county="alpha", kind="people"))] == alpha_people
    assert found[("xianfeng_county_records", labels(county="alpha", kind="organizations"))] >= 1
    assert found[("xianfeng_county_records", labels(county="beta", kind="users"))] >= 1
    assert ("xianfeng_county_records", labels(county="beta", kind="open_tasks")) in found
    assert found[("xianfeng_counties", labels())] >= 2


def test_county_counts_are_cached_between_scrapes(scraper, settings, county_a):
    from django.core.cache import cache

    settings.COUNTY_METRICS_SECONDS = 300
    cache.delete(metrics.COUNTY_COUNTS_KEY)
    key = ("xianfeng_county_records", labels(county="alpha", kind="people"))
    first = samples(scraper.get("/metrics").content.decode())[key]
    with in_county(county_a):
        PersonFactory()

    assert samples(scraper.get("/metrics").content.decode())[key] == first
    cache.delete(metrics.COUNTY_COUNTS_KEY)


def test_a_worker_serves_its_task_metrics_to_loopback_and_to_the_token(settings, county_a):
    settings.METRICS_TOKEN = TOKEN
    server = metrics.serve_worker_metrics("127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_port}/metrics"
    try:
        county_census.apply()
        text = urllib.request.urlopen(url, timeout=5).read().decode()
        key = ("xianfeng_celery_task_duration_seconds_count", labels(task=county_census.name, state="SUCCESS"))
        assert samples(text)[key] >= 1
        assert "xianfeng_county_records" not in text  # county sizes are the web's to report

        assert urllib.request.urlopen(url.replace("/metrics", "/healthz"), timeout=5).read() == b"ok\n"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.9"}), timeout=5)
        assert refused.value.code == 403
    finally:
        server.shutdown()
        server.server_close()
