"""A county tree for the dashboards, with the roles that read them and some that may not:

county (admin)
├── township committee T1 (reviewer_t1)
│   ├── branch B1 (secretary_b1; a member with a sign-in, no role)
│   ├── branch B2
│   └── village committee V1 (no approval authority: counted with T1) ── branch B4
└── township committee T2 (reviewer_t2)
    └── branch B3
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.dates import today
from members.models import Person, Stage
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from scoring.models import Result, Scheme, SchemeVersion
from scoring.presets import preset_config
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


def user_with_role(org, role: str, username: str):
    user = UserFactory(username=username)
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


@pytest.fixture
def tree(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    v1 = OrganizationFactory(name="东村党委", kind=OrgKind.COMMITTEE, parent=t1, approval_authority=False)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    member_user = UserFactory(username="member")
    PersonFactory(org=b1, user=member_user, stage=Stage.FULL, name="普通党员")
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        t2=t2,
        v1=v1,
        b1=b1,
        b2=OrganizationFactory(name="西街社区党支部", parent=t1),
        b3=OrganizationFactory(name="河口村党支部", parent=t2),
        b4=OrganizationFactory(name="东村第一党支部", parent=v1),
        admin=admin_a,
        reviewer_t1=user_with_role(t1, Role.COMMITTEE_REVIEWER, "reviewer-t1"),
        reviewer_t2=user_with_role(t2, Role.COMMITTEE_REVIEWER, "reviewer-t2"),
        secretary_b1=user_with_role(b1, Role.BRANCH_SECRETARY, "secretary-b1"),
        member=member_user,
    )


@pytest.fixture
def page_client(tree):
    """page_client(user) → a browser-like client of county A signed in as user."""

    def make(user) -> CountyClient:
        client = CountyClient(tree.county, HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client(tree):
    return lambda user: CountyClient(tree.county).as_user(user)


def red_yellow_scheme(year: int) -> Scheme:
    config = preset_config("red_yellow")
    scheme = Scheme.objects.create(year=year, category="", preset="red_yellow", name="红黄榜", config=config)
    SchemeVersion.objects.create(scheme=scheme, version=1, name=scheme.name, config=config)
    return scheme


def result(person: Person, scheme: Scheme, grade: str, year: int) -> Result:
    return Result.objects.create(
        person=person, year=year, scheme=scheme, scheme_version=1, org=person.org, stage=person.stage,
        total=Decimal("80.00"), grade=grade,
    )


LAST_YEAR = today().year - 1
