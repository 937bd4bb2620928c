"""A persistent database connection serves one county after another without ever answering in the wrong schema.

Production keeps connections open between requests (CONN_MAX_AGE). django-tenants sets the search
path at the start of every request; the search path is a setting of the server session and outlives
the request, which is why a pooler between Django and PostgreSQL must run in session mode: in
transaction mode it would hand this server session, still pointing at one county, to a client
serving another (django-tenants issue #732; deploy/compose.yaml, deploy/k8s/pgbouncer.yaml).

The requests go through Django's WSGI handler with the request signals connected, as under gunicorn,
in one thread of their own (one thread, one connection, as in a sync worker) on committed records.
"""

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from tenants.models import County
from tests.conftest import in_county

ROOT_NAMES = {"alpha": "甲县", "beta": "乙县"}  # the counties' root organizations (tests/conftest.py)


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker) -> Iterator[dict[str, str]]:
    """An API token for each county's first admin, committed, and removed again afterwards."""
    created: dict[str, str] = {}
    with django_db_blocker.unblock():
        for slug in ROOT_NAMES:
            with in_county(County.objects.get(slug=slug)):
                created[slug] = Token.objects.create(user=get_user_model().objects.get(username="admin")).key
        connection.set_schema_to_public()
    yield created
    with django_db_blocker.unblock():
        for slug, key in created.items():
            with in_county(County.objects.get(slug=slug)):
                Token.objects.filter(key=key).delete()
        connection.set_schema_to_public()


class Worker:
    """A sync worker: one thread serving requests one after another, its connection kept (CONN_MAX_AGE)."""

    def __init__(self):
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.handler = WSGIHandler()

    def run(self, function: Callable, *args):
        return self.thread.submit(function, *args).result(timeout=60)

    def get(self, slug: str, path: str, token: str) -> tuple[int, dict]:
        return self.run(serve, self.handler, slug, path, token)

    def backend_pid(self) -> int:
        return self.run(lambda: connection.connection.info.backend_pid)

    def search_path(self) -> str:
        def show() -> str:
            with connection.connection.cursor() as raw:  # the server session itself, bypassing django-tenants
                raw.execute("SHOW search_path")
                return raw.fetchone()[0]

        return self.run(show)


@pytest.fixture
def worker() -> Iterator[Worker]:
    settings_dict = connection.settings_dict  # shared with the worker thread's connection
    previous = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = 60
    worker = Worker()
    try:
        yield worker
    finally:
        worker.run(lambda: connection.close())
        worker.thread.shutdown()
        settings_dict["CONN_MAX_AGE"] = previous


def serve(handler: WSGIHandler, slug: str, path: str, token: str) -> tuple[int, dict]:
    environ = RequestFactory().get(path, HTTP_HOST=f"{slug}.localhost", HTTP_AUTHORIZATION=f"Token {token}").environ
    statuses = []
    response = handler(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: the connection is kept, not closed (CONN_MAX_AGE)
    return int(statuses[0].split()[0]), json.loads(body)


def test_alternating_counties_on_one_reused_connection_each_see_only_their_own_records(tokens, worker):
    backends = set()
    for slug in ["alpha", "beta", "alpha", "alpha", "beta", "beta", "alpha", "beta"]:
        status, body = worker.get(slug, "/api/orgs/", tokens[slug])

        assert status == 200, body  # the token exists only in its own county's schema
        names = {org["name"] for org in body["results"]}
        assert ROOT_NAMES[slug] in names
        assert not names & (set(ROOT_NAMES.values()) - {ROOT_NAMES[slug]})
        backends.add(worker.backend_pid())

    assert len(backends) == 1  # one server session served all eight requests


def test_a_token_of_one_county_is_refused_on_the_other_over_the_same_connection(tokens, worker):
    assert worker.get("alpha", "/api/orgs/", tokens["alpha"])[0] == 200
    assert worker.get("beta", "/api/orgs/", tokens["alpha"])[0] == 401
    assert worker.get("alpha", "/api/orgs/", tokens["alpha"])[0] == 200


def test_the_search_path_outlives_the_request_on_the_server_session(tokens, worker):
    """Why session pooling only: the next client of this server session would start in beta."""
    worker.get("beta", "/api/orgs/", tokens["beta"])

    assert worker.search_path().split(",")[0].strip() == "beta"
