"""A county with one township committee and its branches, the role holders who act on assessments, and
the year's indicator systems from the presets:

county (admin) ── 城关镇党委 T1 (reviewer, approval authority)
                  ├── 东街社区党支部 B1 (secretary): 8 full members, a party group G1
                  └── 西街社区党支部 B2 (secretary_b2): 3 full members
"""

import datetime
from types import SimpleNamespace

import pytest

from members.models import Stage
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from scoring.assessment.services import create_scheme
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

YEAR = 2025


def day(month: int, number: int = 10, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, number)


def user_with_role(org, role: str, person=None):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


@pytest.fixture
def tree(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    b2 = OrganizationFactory(name="西街社区党支部", parent=t1)
    b1_members = PersonFactory.create_batch(8, org=b1, stage=Stage.FULL)
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        b1=b1,
        b2=b2,
        g1=OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1),
        admin=admin_a,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY, b1_members[0]),
        secretary_b2=user_with_role(b2, Role.BRANCH_SECRETARY),
        b1_members=b1_members,
        b2_members=PersonFactory.create_batch(3, org=b2, stage=Stage.FULL),
    )


@pytest.fixture
def annual(tree):
    return create_scheme(actor=tree.admin, year=YEAR, name="年度考核", preset="annual")


@pytest.fixture
def community(tree):
    return create_scheme(actor=tree.admin, year=YEAR, name="社区党支部达标", preset="community_branch")


@pytest.fixture
def client_for(tree):
    """client_for(user): an API client of county A signed in as that user, reading English messages."""
    return lambda user: CountyClient(tree.county, HTTP_ACCEPT_LANGUAGE="en").as_user(user)
