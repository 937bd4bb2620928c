"""A county tree for disposition, with a user for each level that acts on a case:

county (admin)
├── committee T1 (reviewer)
│   ├── branch B1 (secretary): 6 full members, the member under disposition (with a sign-in), a
│   │   probationary member ── group G1
│   └── branch B2 (secretary_b2): 3 full members
└── committee T2 ── branch B3
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from members.models import Person, Stage
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
def tree(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    b2 = OrganizationFactory(name="西街社区党支部", parent=t1)
    b3 = OrganizationFactory(name="河口村党支部", parent=t2)
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        t2=t2,
        b1=b1,
        g1=OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1),
        b2=b2,
        b3=b3,
        admin=admin_a,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY),
        secretary_b2=user_with_role(b2, Role.BRANCH_SECRETARY),
        b1_members=PersonFactory.create_batch(6, org=b1, stage=Stage.FULL),
        b2_members=PersonFactory.create_batch(3, org=b2, stage=Stage.FULL),
        member=PersonFactory(org=b1, stage=Stage.FULL, name="张某", user=UserFactory()),
        probationary=PersonFactory(org=b1, stage=Stage.PROBATIONARY),
    )


@pytest.fixture
def client_for(tree):
    """client_for(user): an API client of county A signed in as that user."""
    return lambda user: CountyClient(tree.county).as_user(user)
