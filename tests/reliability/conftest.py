"""Reliability tests: the tamper-evident history, the outbox, and faults (issue 10, part B).

Most tests run in a test transaction in county A, like the rest of the suite. Tests that need other
connections to see their records (threads, a live server, a real Celery worker) work in a county of
their own, "reliab", whose records are committed: it is created before the first such test and
dropped after the last test of this folder, so no other test ever sees it.
"""

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.client import HTTPConnection
from typing import TypeVar

import psycopg
import pytest
from django.db import connection
from django.test.testcases import LiveServerThread

from orgs.models import Organization, OrgKind, Role, RoleAssignment
from tenants.models import County
from tests.conftest import in_county
from tests.workflows.conftest import applicant, days_ago, make_applicant, reviewer, secretary, tree  # noqa: F401

SLUG = "reliab"
PASSWORD = "Reliab-pass-2026"
_names = itertools.count(1)
T = TypeVar("T")


def _drop_county() -> None:
    connection.set_schema_to_public()
    for county in County.objects.filter(slug=SLUG):
        county.delete(force_drop=True)


@pytest.fixture(scope="package")
def committed_county(django_db_setup, django_db_blocker) -> Iterator[County]:
    from tenants.services import create_county

    with django_db_blocker.unblock():
        _drop_county()
        county = create_county(slug=SLUG, name="可靠县", admin_username="admin", admin_password=PASSWORD)
        connection.set_schema_to_public()
    yield county
    with django_db_blocker.unblock():
        _drop_county()


class Committed:
    """The committed county, seen from a test.

    The test itself runs in its usual (rolled back) transaction, inside this county's schema, and reads
    what others committed. Writes that others must see go through `commit`, which runs them on a
    connection of their own, in a thread of their own, where each write commits at once.
    """

    def __init__(self, county: County):
        self.county = county
        self.schema_name = county.schema_name

    def commit(self, work: Callable[..., T], *args, **kwargs) -> T:
        outcome: dict = {}

        def run():
            connection.set_tenant(self.county)
            try:
                outcome["value"] = work(*args, **kwargs)
            except BaseException as error:
                outcome["error"] = error
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]


@pytest.fixture
def committed(committed_county, db) -> Iterator[Committed]:
    with in_county(committed_county):
        yield Committed(committed_county)


@dataclass
class Branch:
    """A branch of the committed county with two secretaries who may both record its steps."""

    org: Organization
    secretaries: list
    committed: Committed

    def talks(self, count: int) -> list:
        """`count` admissions waiting for their talk, committed: their talk StepTasks."""
        return self.committed.commit(self._start, count)

    def _start(self, count: int) -> list:
        from workflows.services.admission import start_admission

        tasks = []
        for _ in range(count):
            person = make_applicant(self.org)
            process = start_admission(actor=self.secretaries[0], branch=self.org, date=days_ago(20), person=person)
            tasks.append(process.step_tasks.get(step="talk"))
        return tasks


def _make_branch(committed: Committed) -> Branch:
    from tests.factories import OrganizationFactory, UserFactory

    number = next(_names)
    committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name=f"第{number}镇党委")
    org = OrganizationFactory(parent=committee, name=f"第{number}村党支部")
    secretaries = []
    for role in (Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE):
        user = UserFactory(password=PASSWORD)
        RoleAssignment.objects.create(user=user, org=org, role=role)
        secretaries.append(user)
    return Branch(org=org, secretaries=secretaries, committed=committed)


@pytest.fixture
def branch(committed) -> Branch:
    """A new branch of the committed county, committed."""
    return committed.commit(_make_branch, committed)


class Server:
    """A live server thread answering for the committed county; each request has its own connection."""

    def __init__(self, port: int, committed_county: County):
        self.port = port
        self.county = committed_county

    def token(self, user) -> str:
        """The user's API token, committed so the server sees it."""
        from rest_framework.authtoken.models import Token

        return Committed(self.county).commit(lambda: Token.objects.get_or_create(user=user)[0].key)

    def post(self, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
        client = HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            client.request(
                "POST",
                path,
                body=json.dumps(body or {}),
                headers={
                    "Host": f"{SLUG}.localhost",
                    "Authorization": f"Token {token}",
                    "Content-Type": "application/json",
                    "Accept-Language": "en",
                },
            )
            response = client.getresponse()
            payload = response.read()
        finally:
            client.close()
        try:
            return response.status, json.loads(payload or b"{}")
        except ValueError:
            return response.status, {"body": payload.decode(errors="replace")[:500]}


@pytest.fixture(scope="package")
def live_server_thread(committed_county) -> Iterator[Server]:
    server = LiveServerThread("127.0.0.1", lambda handler: handler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    # The first request loads the URLconf and every view module: do it before any test times a request.
    warm_up = HTTPConnection("127.0.0.1", server.port, timeout=300)
    warm_up.request("GET", "/api/tasks/", headers={"Host": f"{SLUG}.localhost"})
    warm_up.getresponse().read()
    warm_up.close()
    yield Server(server.port, committed_county)
    server.terminate()


@pytest.fixture
def server(live_server_thread, committed) -> Server:
    return live_server_thread


def talk_body() -> dict:
    return {"date": days_ago(10).isoformat(), "data": {"talker": "王书记"}}


@pytest.fixture
def raw_connection(committed):
    """Open a connection of our own to the test database, outside Django (as another client would)."""

    def connect() -> psycopg.Connection:
        db = connection.settings_dict
        return psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
        )

    return connect
