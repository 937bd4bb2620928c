"""Liveness and readiness on any host name: the database, the broker and every schema's migrations."""

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import in_county


@pytest.fixture
def pod(db) -> Client:
    """A caller that reaches the pod by its address, as the kubelet does: no county in the host name."""
    return Client(HTTP_HOST="10.1.2.3:8000")


def test_liveness_answers_on_any_host_without_the_database(pod, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = pod.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_is_ok_when_the_database_broker_and_every_schema_are_migrated(pod):
    response = pod.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "migrations": "ok"}


def test_readiness_names_a_county_that_misses_a_migration(pod, county_a):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM alpha.django_migrations WHERE id = (SELECT max(id) FROM alpha.django_migrations)")

    response = pod.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["migrations"]) == ("unavailable", "ok", "pending")
    assert body["unmigrated"] == {"count": 1, "schemas": ["alpha"]}


def test_readiness_names_a_county_whose_schema_has_no_migration_table(pod, county_b):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE beta.django_migrations RENAME TO django_migrations_gone")

    body = pod.get("/readyz").json()

    assert body["migrations"] == "pending"
    assert body["unmigrated"]["schemas"] == ["beta"]


def test_readiness_reports_an_unreachable_broker(pod, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = pod.get("/readyz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error: ")


def test_probes_run_in_the_public_schema_whatever_the_last_request_left(pod, county_a):
    with in_county(county_a):
        assert pod.get("/readyz").status_code == 200
        assert connection.schema_name == "public"


def test_the_county_health_endpoint_still_answers_in_its_county(api_a):
    response = api_a.get("/api/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
