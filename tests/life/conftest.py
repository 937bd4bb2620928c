"""A county tree for organizational life, with a user for each role that acts on it:

county (admin)
├── committee T1 (reviewer)
│   ├── branch B1 (secretary): 4 full members, 1 probationary, 1 activist ── group G1: 3 full members
│   └── branch B2 (secretary_b2): 3 full members
└── committee T2
    └── branch B3: 3 full members
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from members.models import Person, Stage
from orgs.life.meetings import record_meeting
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

D = datetime.date


def user_with_role(org, role: str):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


def on_roll_since(person: Person, day: datetime.date) -> Person:
    """Pretend the person's record was created on that day (records are normally created as people join)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Person.objects.filter(pk=person.pk).update(created_at=moment)
    person.refresh_from_db()
    return person


@pytest.fixture
def life(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    g1 = OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1)
    b2 = OrganizationFactory(name="城关学校党支部", parent=t1)
    b3 = OrganizationFactory(name="河口村党支部", parent=t2)
    b1_members = PersonFactory.create_batch(4, org=b1, stage=Stage.FULL)
    g1_members = PersonFactory.create_batch(3, org=g1, stage=Stage.FULL)
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        t2=t2,
        b1=b1,
        g1=g1,
        b2=b2,
        b3=b3,
        admin=admin_a,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY),
        secretary_b2=user_with_role(b2, Role.BRANCH_SECRETARY),
        b1_members=b1_members,
        g1_members=g1_members,
        probationary=PersonFactory(org=b1, stage=Stage.PROBATIONARY),
        activist=PersonFactory(org=b1, stage=Stage.ACTIVIST),
        b2_members=PersonFactory.create_batch(3, org=b2, stage=Stage.FULL),
        b3_members=PersonFactory.create_batch(3, org=b3, stage=Stage.FULL),
    )


@pytest.fixture
def client_for(life):
    """client_for(user): an API client of county A signed in as that user, reading English messages."""
    return lambda user: CountyClient(life.county, HTTP_ACCEPT_LANGUAGE="en").as_user(user)


def meeting(life, org, kind: str, date: datetime.date, attendance=(), **fields):
    """Record a meeting through the service, as the B1 secretary."""
    if kind == "lecture":
        fields.setdefault("lecturer", "张书记")
    return record_meeting(
        actor=life.secretary,
        org=org,
        kind=kind,
        date=date,
        topic=fields.pop("topic", "学习"),
        attendance=attendance,
        **fields,
    )
