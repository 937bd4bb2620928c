"""The permission matrix (issue 10): roles × capabilities is orgs.access.CAPABILITIES, one table in code.
Here each capability gets one API request that exercises it on a record inside every caller's scope,
and the table is tested in both directions: every role that holds the capability succeeds, every role
that does not (and a member without a role) is refused with 403 or 404 and nothing is written.

A capability new in CAPABILITIES fails `test_every_capability_is_probed_or_says_why_not` until it gets
a probe here, or a line in NOT_PROBED saying where it is tested instead.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.dates import today
from dues.models import ReliefKind
from members import spreadsheets
from members.models import Stage
from orgs.access import CAPABILITIES
from orgs.life.meetings import record_meeting
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.disposition.pipeline import run_case
from tests.dues.factories import ReliefFactory
from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from workflows.engine import OPEN_STATUSES
from workflows.models import Measure, StepTask
from workflows.services.disposition import start_case

from .figures import REPORT

ROLES = (Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER, Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE)
NO_ROLE = "no_role"
REFUSED = {403, 404}


@pytest.fixture
def world(county_a, admin_a) -> SimpleNamespace:
    """county (admin) → committee T1 (reviewer) → branch B1 (secretary, committee member): members."""
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="城关社区党支部", parent=t1)
    users = {Role.COUNTY_ADMIN: admin_a}
    for role, org in (
        (Role.COMMITTEE_REVIEWER, t1),
        (Role.BRANCH_SECRETARY, b1),
        (Role.BRANCH_COMMITTEE, b1),
    ):
        users[role] = UserFactory(username=role)
        RoleAssignment.objects.create(user=users[role], org=org, role=role)
    users[NO_ROLE] = UserFactory(username="plain")
    members = PersonFactory.create_batch(6, org=b1, stage=Stage.FULL)
    PersonFactory(org=b1, user=users[NO_ROLE], stage=Stage.FULL)
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        b1=b1,
        users=users,
        members=members,
        # The names the disposition pipeline of tests/disposition expects.
        admin=admin_a,
        reviewer=users[Role.COMMITTEE_REVIEWER],
        secretary=users[Role.BRANCH_SECRETARY],
        b1_members=members[:2],
    )


def _case_task(w, step: str) -> int:
    """The task id of an open disposition step: investigation (branch), pre_review (committee) or
    higher_pre_review (county), on a removal case run up to the step before."""
    before = {"investigation": None, "pre_review": "investigation", "higher_pre_review": "pre_review"}[step]
    person = w.members[-1]
    if before is None:
        process = start_case(
            actor=w.secretary, person=person, grounds="appraisal_unqualified", measure=Measure.REMOVAL, date=today()
        )
    else:
        start = today() - datetime.timedelta(days=90)
        process = run_case(w, person, Measure.REMOVAL, through=before, start=start)
    return StepTask.objects.get(process=process, step=step, task__status__in=OPEN_STATUSES).task_id


def _xlsx_of_nobody() -> SimpleUploadedFile:
    return SimpleUploadedFile("people.xlsx", spreadsheets.write_people([], lambda person: False))


def _relief(w) -> int:
    return ReliefFactory(
        actor=w.secretary,
        person=w.members[0],
        kind=ReliefKind.WAIVE,
        start_month=today().replace(day=1),
        end_month=today().replace(day=1),
        proposed_on=today(),
    ).pk


def _meeting(w) -> int:
    return record_meeting(
        actor=w.secretary, org=w.b1, kind="committee_meeting", date=today(), topic="研究发展党员工作"
    ).pk


def _case(w) -> int:
    return start_case(
        actor=w.secretary, person=w.members[1], grounds="appraisal_unqualified", measure="rectification", date=today()
    ).pk


# Capability → the request that exercises it (api: a client signed in as the role; w: the world).
Probe = Callable[[CountyClient, SimpleNamespace], object]
PROBES: dict[str, Probe] = {
    "view_org": lambda api, w: api.get(f"/api/orgs/{w.b1.pk}/"),
    "manage_orgs": lambda api, w: api.post("/api/orgs/", {"name": "新党小组", "kind": "group", "parent": w.b1.pk}),
    "view_person": lambda api, w: api.get(f"/api/people/{w.members[0].pk}/"),
    "view_id_number": lambda api, w: api.post(f"/api/people/{w.members[0].pk}/id-number/", {"reason": "核对"}),
    "change_person": lambda api, w: api.patch(f"/api/people/{w.members[0].pk}/", {"phone": "13900001111"}),
    "import_people": lambda api, w: api.post(
        "/api/people/import/?dry_run=1", {"file": _xlsx_of_nobody()}, format="multipart"
    ),
    "manage_users": lambda api, w: api.get("/api/users/"),
    "manage_roles": lambda api, w: api.get("/api/roles/"),
    "act_branch_step": lambda api, w: api.post(f"/api/tasks/{_case_task(w, 'investigation')}/assign/"),
    "act_committee_step": lambda api, w: api.post(f"/api/tasks/{_case_task(w, 'pre_review')}/assign/"),
    "act_county_step": lambda api, w: api.post(f"/api/tasks/{_case_task(w, 'higher_pre_review')}/assign/"),
    "oversee_processes": lambda api, w: api.get(f"/api/processes/{_case(w)}/"),
    "manage_schemes": lambda api, w: api.post(
        "/api/scoring/schemes/", {"year": today().year, "preset": "red_yellow", "name": "红黄榜"}
    ),
    "view_dues": lambda api, w: api.get(f"/api/dues/accounts/{w.members[0].pk}/"),
    "propose_relief": lambda api, w: api.post(
        "/api/dues/reliefs/",
        {
            "person": w.members[0].pk,
            "kind": "waive",
            "start_month": f"{today():%Y-%m}",
            "end_month": f"{today():%Y-%m}",
            "reason": "因病生活困难",
            "proposed_on": today().isoformat(),
        },
    ),
    "approve_relief": lambda api, w: api.post(
        f"/api/dues/reliefs/{_relief(w)}/approve/", {"date": today().isoformat()}
    ),
    "settle_centre_share": lambda api, w: api.post(
        "/api/dues/centre-share/", {"year": today().year - 1, "amount": "0.00", "settled_on": today().isoformat()}
    ),
    "view_org_life": lambda api, w: api.get(f"/api/meetings/{_meeting(w)}/"),
    "record_meeting": lambda api, w: api.post(
        "/api/meetings/",
        {"org": w.b1.pk, "kind": "committee_meeting", "date": today().isoformat(), "topic": "研究发展党员工作"},
    ),
    "run_appraisal": lambda api, w: api.post("/api/appraisals/", {"org": w.b1.pk, "year": today().year}),
    "assign_posts": lambda api, w: api.post(
        "/api/posts/",
        {
            "person": w.members[0].pk,
            "title": "政策宣讲岗",
            "commitment": "每月宣讲",
            "assigned_on": today().isoformat(),
        },
    ),
    "manage_county_settings": lambda api, w: api.post(
        "/api/county-settings/",
        {"key": "care.visits_per_year", "value": 2, "effective_from": today().isoformat()},
    ),
    "view_dispositions": lambda api, w: api.get(f"/api/dispositions/{_case(w)}/"),
    "open_disposition": lambda api, w: api.post(
        "/api/dispositions/",
        {"person": w.members[2].pk, "grounds": "appraisal_unqualified", "measure": "rectification"},
    ),
    "refresh_disposition_proposals": lambda api, w: api.post("/api/dispositions/proposals/refresh/"),
    "view_dashboard": lambda api, w: api.get("/api/dashboard/"),
}

# Capabilities without a probe here, and where both directions are tested instead.
NOT_PROBED: dict[str, str] = {
    "view_scores": "scores are every member's to read about themselves: tests/scoring/test_reading.py",
    "record_score": "entries need a scheme's item codes and a member's own declaration: tests/scoring/test_entries.py",
    "review_score": "an entry under branch review: tests/scoring/test_entries.py",
    "approve_score": "an entry waiting for the committee by its amount: tests/scoring/test_entries.py",
    "publish_scores": "publications after a notice period: tests/scoring/test_publication.py",
    "manage_dues": "payments against assessed months: tests/dues/test_payments.py",
    "approve_retiree_relief": "a retiree's relief decided by the branch: tests/dues/test_relief.py",
    "record_election": "officers checked against the term: tests/life/test_elections.py",
    "manage_care": "care recipients and visits: tests/life/test_care.py",
    "manage_community_registration": "registrations with a community: tests/life/test_care.py",
    "record_appeal": "an appeal needs a decided case: tests/disposition/test_cases_api.py",
    "view_assessments": "organization assessments: tests/assessment/",
    "manage_assessment_schemes": "tests/assessment/test_indicator_systems.py",
    "open_assessments": "tests/assessment/",
    "manage_rectification": "weak organizations: tests/assessment/",
    "record_rectification": "weak organizations: tests/assessment/",
    "handle_secretary_flags": "tests/assessment/",
    "record_sanction": "sanctions recorded with their decision: tests/disposition/",
    "view_mobile_members": "tests/mobile/",
    "manage_mobile_members": "tests/mobile/",
    "suspend_lost_contact": "tests/mobile/test_lost_contact.py",
    "request_archive_access": "tests/archive/",
    "approve_archive_access": "tests/archive/",
    "manage_relatives": "tests/archive/",
    "view_transfers": "tests/transfers/",
    "request_transfer": "tests/transfers/",
    "register_receipt": "tests/transfers/",
}


@dataclass(frozen=True)
class Outcome:
    capability: str
    role: str
    allowed: bool
    status: int

    @property
    def right(self) -> bool:
        return 200 <= self.status < 300 if self.allowed else self.status in REFUSED


def _try(world, capability: str, role: str) -> Outcome:
    api = CountyClient(world.county, HTTP_ACCEPT_LANGUAGE="en").as_user(world.users[role])
    with transaction.atomic():  # each attempt starts from the same world
        response = PROBES[capability](api, world)
        transaction.set_rollback(True)
    return Outcome(capability, role, role in CAPABILITIES[capability], response.status_code)


def test_every_role_is_allowed_exactly_what_the_matrix_grants(world):
    outcomes = [_try(world, capability, role) for capability in PROBES for role in (*ROLES, NO_ROLE)]
    wrong = [o for o in outcomes if not o.right]
    REPORT["permission matrix"] = {
        "capabilities": len(CAPABILITIES),
        "probed through the API": len(PROBES),
        "allowed cases": sum(o.allowed for o in outcomes),
        "refused cases": sum(not o.allowed for o in outcomes),
        "wrong": len(wrong),
    }
    assert not wrong, "\n".join(
        f"{o.capability} as {o.role}: {'allowed' if o.allowed else 'refused'} by the matrix, answered {o.status}"
        for o in wrong
    )


def test_every_capability_is_probed_or_says_why_not():
    assert set(PROBES) | set(NOT_PROBED) == set(CAPABILITIES)
    assert not set(PROBES) & set(NOT_PROBED)
