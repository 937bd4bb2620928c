"""Two counties with a tree each, their role holders, and a member to transfer:

alpha (甲县, admin)                          beta (乙县, admin)
├── committee 城关镇党委 (reviewer)            └── committee 新城街道党工委 (reviewer)
│   ├── branch 东街社区党支部 (secretary) ─ member 张三丰 (full, with archive entries)     └── branch 幸福社区党支部
│   └── branch 西街社区党支部 (secretary_west)
└── committee 河口镇党委 (reviewer_hekou) ── branch 河口村党支部 (secretary_hekou)
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from members import archive
from members.models import ArchiveKind, Stage
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tenants.models import County
from tests.conftest import CountyClient, in_county
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

D = datetime.date


def user_with_role(org, role: str):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


def _alpha(county: County) -> SimpleNamespace:
    root = root_organization()
    chengguan = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    hekou = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    east = OrganizationFactory(name="东街社区党支部", parent=chengguan)
    west = OrganizationFactory(name="西街社区党支部", parent=chengguan)
    village = OrganizationFactory(name="河口村党支部", parent=hekou)
    member = PersonFactory(org=east, stage=Stage.FULL, name="张三丰", party_standing_since=D(2010, 7, 1))
    admin = get_user_model().objects.get(username="admin")
    archive.file_entry(
        actor=admin, person=member, kind=ArchiveKind.APPLICATION, title="入党申请书", event_date=D(2008, 3, 1)
    )
    archive.file_entry(
        actor=admin,
        person=member,
        kind=ArchiveKind.APPROVAL,
        title="转正审批",
        event_date=D(2010, 7, 20),
        data={"decision": "approve"},
    )
    return SimpleNamespace(
        county=county,
        root=root,
        chengguan=chengguan,
        hekou=hekou,
        east=east,
        west=west,
        village=village,
        admin=admin,
        reviewer=user_with_role(chengguan, Role.COMMITTEE_REVIEWER),
        reviewer_hekou=user_with_role(hekou, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(east, Role.BRANCH_SECRETARY),
        secretary_west=user_with_role(west, Role.BRANCH_SECRETARY),
        secretary_hekou=user_with_role(village, Role.BRANCH_SECRETARY),
        members=PersonFactory.create_batch(3, org=east, stage=Stage.FULL),
        member=member,
    )


def _beta(county: County) -> SimpleNamespace:
    root = root_organization()
    committee = OrganizationFactory(name="新城街道党工委", kind=OrgKind.COMMITTEE, parent=root)
    return SimpleNamespace(
        county=county,
        root=root,
        committee=committee,
        branch=OrganizationFactory(name="幸福社区党支部", parent=committee),
        admin=get_user_model().objects.get(username="admin"),
        reviewer=user_with_role(committee, Role.COMMITTEE_REVIEWER),
    )


@pytest.fixture
def world(db) -> SimpleNamespace:
    """Both counties' trees; the connection is left in alpha. Use `in_county(world.beta.county)` for beta."""
    alpha, beta = County.objects.get(slug="alpha"), County.objects.get(slug="beta")
    with in_county(beta):
        b = _beta(beta)
    connection.set_tenant(alpha)
    a = _alpha(alpha)
    yield SimpleNamespace(alpha=a, beta=b)
    connection.set_schema_to_public()


@pytest.fixture
def client_a(world):
    """client_a(user): an API client of alpha signed in as that user."""

    def make(user) -> CountyClient:
        with in_county(world.alpha.county):
            return CountyClient(world.alpha.county, HTTP_ACCEPT_LANGUAGE="en").as_user(user)

    return make


@pytest.fixture
def client_b(world):
    def make(user) -> CountyClient:
        with in_county(world.beta.county):
            return CountyClient(world.beta.county, HTTP_ACCEPT_LANGUAGE="en").as_user(user)

    return make
