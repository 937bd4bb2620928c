"""Headless Chromium against a real server thread, in a county of its own whose records are committed.

pytest-django's live_server would need transactional tests, which flush every table at teardown and
so would wipe the counties the rest of the suite shares. Instead, a session fixture commits one
county ("browser") with its people and processes, a Django LiveServerThread serves it, and the county
is dropped again at the end. Because committed records would be seen by the other tests, these tests
run in their own pytest invocation (`pytest -m browser`, with its own TEST_DB_SUFFIX — see the
Makefile's `test` target) and are deselected from any run that does not ask for them.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

from tenants.models import County

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SLUG = "browser"
PASSWORD = "Browser-pass-2026"


def pytest_collection_modifyitems(config, items):
    if "browser" in (config.getoption("markexpr") or ""):
        return
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if browser_tests:
        config.hook.pytest_deselected(items=browser_tests)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


@dataclass
class Scene:
    applicant_username: str
    reviewer_username: str
    applicant_process: int
    filing_process: int
    filing_task: int


def _days_ago(days: int) -> datetime.date:
    from core.dates import today

    return today() - datetime.timedelta(days=days)


def _build_scene() -> Scene:
    """A township committee, a branch, its secretary, a reviewer, and two applicants under way."""
    from members.models import Stage
    from orgs.models import OrgKind, Role, RoleAssignment
    from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number
    from workflows.services.admission import start_admission
    from workflows.services.tasks import complete_task

    committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name="城关镇党委")
    branch = OrganizationFactory(parent=committee, name="东街社区党支部")
    secretary = UserFactory(username="secretary", password=PASSWORD)
    reviewer = UserFactory(username="reviewer", password=PASSWORD)
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    RoleAssignment.objects.create(user=reviewer, org=committee, role=Role.COMMITTEE_REVIEWER)

    def applicant(username: str):
        return PersonFactory(
            name=f"申请人{username[-1]}",
            org=branch,
            stage=Stage.APPLICANT,
            id_number=make_id_number(birth=datetime.date(1996, 4, 2)),
            user=UserFactory(username=username, password=PASSWORD),
        )

    def step(process, code: str, days_ago: int, data: dict | None = None):
        task = process.step_tasks.get(step=code, task__status="NEW")
        actor = reviewer if task.actor == "committee" else secretary
        complete_task(actor=actor, step_task=task, date=_days_ago(days_ago), data=data or {})

    first = applicant("applicant1")
    own = start_admission(actor=first.user, branch=branch, date=_days_ago(20), person=first)
    step(own, "talk", 15, {"talker": "王书记"})

    second = applicant("applicant2")
    other = start_admission(actor=secretary, branch=branch, date=_days_ago(20), person=second)
    step(other, "talk", 15, {"talker": "王书记"})
    step(other, "activist_decision", 10, {"recommended_by": ["members"]})
    filing = other.step_tasks.get(step="activist_filing")
    return Scene("applicant1", "reviewer", own.pk, other.pk, filing.task_id)


def _drop_county() -> None:
    connection.set_schema_to_public()
    for county in County.objects.filter(slug=SLUG):
        county.delete(force_drop=True)


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: run `make browser-deps` (as root) to install it.")
    return CHROMIUM


@pytest.fixture(scope="session")
def scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    from tenants.services import create_county
    from tests.conftest import in_county

    with django_db_blocker.unblock():
        _drop_county()
        county = create_county(slug=SLUG, name="浏览器县", admin_username="admin", admin_password=PASSWORD)
        with in_county(county):
            built = _build_scene()
        connection.set_schema_to_public()
    yield built
    with django_db_blocker.unblock():
        _drop_county()


@pytest.fixture(scope="session")
def base_url(scene, django_db_blocker) -> Iterator[str]:
    """A real server thread; its requests reach the database while a test holds `open_db`."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://{SLUG}.localhost:{server.port}"
    server.terminate()


@pytest.fixture
def open_db(django_db_blocker) -> Iterator[None]:
    """The server thread and the test's own checks use committed records, outside any test transaction."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def county(open_db) -> Iterator[County]:
    from tests.conftest import in_county

    with in_county(County.objects.get(slug=SLUG)) as entered:
        yield entered
