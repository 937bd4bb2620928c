"""Headless Chromium against a real server thread, in a county of its own whose records are committed.

pytest-django's live_server would need transactional tests, which flush every table at teardown and
so would wipe the counties the rest of the suite shares. Instead, a session fixture commits one
county ("browser") with its people and processes, a Django LiveServerThread serves it, and the county
is dropped again at the end. Because committed records would be seen by the other tests, these tests
run in their own pytest invocation (`pytest -m browser`, with its own TEST_DB_SUFFIX — see the
Makefile's `test` target) and are deselected from any run that does not ask for them.

One Chromium serves the whole run; each test opens its own context (its own sign-in and viewport). The
role journeys (test_journey_*.py) each work on records of their own in the one scene, so the files pass in
any order, and take the user guide's pictures: into .var/screenshots/ on an ordinary run, so that
`make test` leaves the checkout as it found it, and over docs/guide/images/ with `make guide`.
"""

import datetime
import os
from collections.abc import Callable, Iterator
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
# The user guide's pictures (docs/guide/), refreshed under the same names by `make guide` (UPDATE_GUIDE=1).
ROOT = Path(__file__).resolve().parents[2]
GUIDE_IMAGES = ROOT / "docs" / "guide" / "images" if os.environ.get("UPDATE_GUIDE") else ROOT / ".var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


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
    # The role journeys (test_journey_*.py): each works on records of its own, so the files run in any order.
    member_username: str = "member"
    member_process: int = 0
    secretary_username: str = "secretary"
    branch: int = 0
    talk_process: int = 0
    township_username: str = "township"
    township_committee: int = 0
    township_processes: tuple[int, ...] = ()
    admin_username: str = "admin"


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
    scene = Scene("applicant1", "reviewer", own.pk, other.pk, filing.task_id)
    _build_journeys(scene, branch, secretary)
    return scene


# The branch's full members: the attendance grid of the secretary's meeting.
MEMBER_NAMES = ("张伟", "李娜", "王芳", "刘洋", "陈静")


def _import_admission(actor, person, **dates: datetime.date | str) -> int:
    """An admission under way, brought in as a county would on its first day: through the spreadsheet import."""
    import io

    from openpyxl import Workbook

    from workflows.models import AdmissionRecord
    from workflows.services.admission_import import import_admissions

    values = {
        "name": person.name,
        "id_number": person.id_number,
        "branch": str(person.org_id),
        **{field: value.isoformat() if isinstance(value, datetime.date) else value for field, value in dates.items()},
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(values))
    sheet.append(list(values.values()))
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    report = import_admissions(actor=actor, file=file)
    assert report["created"] == 1, report["rejected"]
    return AdmissionRecord.objects.get(person=person).process_id


def _dues(secretary, members) -> None:
    """Salaried members on a base of 4,000 a month; three have paid every month of the year fallen due, two have not."""
    from decimal import Decimal

    from core.dates import today
    from dues.models import BaseKind
    from dues.services import record_base
    from tests.dues.factories import pay

    year = today().year
    months = [datetime.date(year, month, 1) for month in range(1, today().month)] or [datetime.date(year, 1, 1)]
    for number, person in enumerate(members):
        record_base(actor=secretary, person=person, year=year, kind=BaseKind.SALARIED, monthly_base=Decimal("4000.00"))
        for month in months if number < 3 else ():
            # Each month paid in its month: a payment reaches back 6 months at most.
            pay(person, [month], actor=secretary, paid_on=min(month + datetime.timedelta(days=9), today()))


def _build_journeys(scene: Scene, branch, secretary) -> None:
    """A member due to apply for conversion, an applicant waiting for their talk, and a second township's inbox."""
    from django.contrib.auth import get_user_model

    from core.dates import today
    from members.mobile.services import register_outflow
    from members.models import Stage
    from orgs.models import OrgKind, Role, RoleAssignment
    from scoring.services import create_scheme
    from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number
    from workflows.services.admission import start_admission
    from workflows.services.tasks import complete_task

    members = [
        PersonFactory(name=name, org=branch, stage=Stage.FULL, id_number=make_id_number(birth=datetime.date(1970 + number, 3, 1)))
        for number, name in enumerate(MEMBER_NAMES)
    ]
    _dues(secretary, members)
    # One of them works away: the dashboard's mobile members, the branch's contact person looking after him.
    register_outflow(
        actor=secretary, person=members[3], destination="广东省深圳市", left_on=_days_ago(60), contact_person=members[0]
    )

    # The member: a probationary member whose probation ends in two weeks, so the conversion application is hers to write.
    member = PersonFactory(
        name="赵敏",
        org=branch,
        stage=Stage.APPLICANT,
        id_number=make_id_number(birth=datetime.date(1995, 6, 12)),
        user=UserFactory(username=scene.member_username, password=PASSWORD),
    )
    vote = _days_ago(365 - 14)
    candidate = vote - datetime.timedelta(days=120)
    activist = candidate - datetime.timedelta(days=400)
    talk = activist - datetime.timedelta(days=30)
    scene.member_process = _import_admission(
        secretary,
        member,
        application=talk - datetime.timedelta(days=20),
        talk=talk,
        activist_decision=activist,
        candidate_decision=candidate,
        admission_vote=vote,
        admission_approval=vote + datetime.timedelta(days=20),
        probation_assessments="3",
        current_step="conversion_application",
    )

    # The secretary's step: the talk with a new applicant.
    newcomer = PersonFactory(
        name="黄磊",
        org=branch,
        stage=Stage.APPLICANT,
        id_number=make_id_number(birth=datetime.date(1999, 5, 4)),
        user=UserFactory(username="applicant3", password=PASSWORD),
    )
    scene.branch = branch.pk
    scene.talk_process = start_admission(actor=secretary, branch=branch, date=_days_ago(5), person=newcomer).pk

    # A second township whose reviewer has four steps waiting: two activists to file, a talk and an approval to follow.
    township = OrganizationFactory(kind=OrgKind.COMMITTEE, name="青山乡党委")
    village = OrganizationFactory(parent=township, name="青山村党支部")
    village_secretary = UserFactory(username="village", password=PASSWORD)
    RoleAssignment.objects.create(user=village_secretary, org=village, role=Role.BRANCH_SECRETARY)
    RoleAssignment.objects.create(
        user=UserFactory(username=scene.township_username, password=PASSWORD), org=township, role=Role.COMMITTEE_REVIEWER
    )
    scene.township_committee = township.pk
    processes = []
    for number, name in enumerate(("孙丽", "周强")):
        person = PersonFactory(
            name=name, org=village, stage=Stage.APPLICANT, id_number=make_id_number(birth=datetime.date(1990 + number, 8, 8))
        )
        process = start_admission(actor=village_secretary, branch=village, date=_days_ago(40), person=person)
        for code, days_ago, data in (("talk", 30, {"talker": "吴书记"}), ("activist_decision", 12, {"recommended_by": ["members"]})):
            task = process.step_tasks.get(step=code, task__status="NEW")
            complete_task(actor=village_secretary, step_task=task, date=_days_ago(days_ago), data=data)
        processes.append(process.pk)
    candidate = PersonFactory(
        name="郑华", org=village, stage=Stage.APPLICANT, id_number=make_id_number(birth=datetime.date(1992, 11, 20))
    )
    voted = _days_ago(15)
    processes.append(
        _import_admission(
            village_secretary,
            candidate,
            application=voted - datetime.timedelta(days=900),
            talk=voted - datetime.timedelta(days=880),
            activist_decision=voted - datetime.timedelta(days=800),
            candidate_decision=voted - datetime.timedelta(days=300),
            admission_vote=voted,
        )
    )
    scene.township_processes = tuple(processes)
    # An application whose talk is past its month: an overdue task of the village branch, on the dashboard.
    late = PersonFactory(
        name="吴芳", org=village, stage=Stage.APPLICANT, id_number=make_id_number(birth=datetime.date(1994, 2, 14))
    )
    start_admission(actor=village_secretary, branch=village, date=_days_ago(45), person=late)

    # Last, once everyone is on the roll: the county's scoring scheme of the year computes every member's result.
    admin = get_user_model().objects.get(username=scene.admin_username)
    create_scheme(actor=admin, year=today().year, name="党员积分管理办法", preset="deduction_base100")


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


@pytest.fixture(scope="session")
def browser(chromium) -> Iterator:
    """One headless Chromium for the whole run; each test opens its own context (cookies, viewport)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread for as long as it runs, and Django refuses
    # ORM calls when it sees one. The tests' ORM calls are plain synchronous ones between browser calls,
    # made by this one thread while no coroutine runs, which is the case the flag is there for.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            try:
                yield launched
            finally:
                launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser, base_url) -> Iterator[Callable[..., object]]:
    """open_page(viewport) -> a fresh page in its own context (no session shared with another test)."""
    contexts = []

    def opener(viewport: dict = DESKTOP):
        # The browser asks for Chinese (Accept-Language), as county users' browsers do: the pages and their pictures are Chinese.
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=base_url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def sign_in(page, username: str, then: str) -> None:
    """Sign in through the login form and land on `then` (a path)."""
    page.goto(f"/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{then}")


def shoot(page, name: str) -> Path:
    """Save the whole page as <name>.png, the picture the user guide embeds (GUIDE_IMAGES)."""
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    path = GUIDE_IMAGES / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path
