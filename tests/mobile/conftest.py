"""A county tree for mobile members, with a user for each level that acts:

county (admin)
├── committee T1 (reviewer)
│   ├── branch B1 (secretary): the origin; 4 full members, one with a sign-in; a probationary member
│   └── branch B2 (secretary_b2): a host organization inside the county; 3 full members
└── committee T2 (reviewer_t2) ── branch B3 (secretary_b3)
"""

import datetime
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta

from core.dates import today
from members.mobile.services import register_outflow
from members.models import Stage
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


def user_with_role(org, role: str):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


def months_ago(months: int, days: int = 0) -> datetime.date:
    return today() - relativedelta(months=months) - datetime.timedelta(days=days)


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
        b2=b2,
        b3=b3,
        admin=admin_a,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER),
        reviewer_t2=user_with_role(t2, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY),
        secretary_b2=user_with_role(b2, Role.BRANCH_SECRETARY),
        secretary_b3=user_with_role(b3, Role.BRANCH_SECRETARY),
        b1_members=PersonFactory.create_batch(4, org=b1, stage=Stage.FULL),
        b2_members=PersonFactory.create_batch(3, org=b2, stage=Stage.FULL),
        member=PersonFactory(org=b1, stage=Stage.FULL, name="李流动", user=UserFactory()),
        probationary=PersonFactory(org=b1, stage=Stage.PROBATIONARY),
    )


@pytest.fixture
def away(tree):
    """away(person, left_on=..., **fields): register the person as away, by the origin branch's secretary."""

    def register(person=None, left_on=None, **fields):
        fields.setdefault("destination", "浙江省杭州市")
        fields.setdefault("contact_person", tree.b1_members[0])
        return register_outflow(
            actor=tree.secretary, person=person or tree.member, left_on=left_on or months_ago(1), **fields
        )

    return register


@pytest.fixture
def client_for(tree):
    """client_for(user): an API client of county A signed in as that user."""
    return lambda user: CountyClient(tree.county).as_user(user)
