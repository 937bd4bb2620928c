"""A small county tree with a user for every role:

county (admin)
├── committee T1 (reviewer)
│   ├── branch B1 (secretary) ── group G1
│   └── branch B2
└── committee T2
    └── branch B3
"""

from types import SimpleNamespace

import pytest

from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


@pytest.fixture
def tree(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="城关社区党支部", parent=t1)
    g1 = OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1)
    b2 = OrganizationFactory(name="城关学校党支部", parent=t1)
    b3 = OrganizationFactory(name="河口村党支部", parent=t2)
    reviewer, secretary, member = (
        UserFactory(username="reviewer"),
        UserFactory(username="secretary"),
        UserFactory(username="member"),
    )
    RoleAssignment.objects.create(user=reviewer, org=t1, role=Role.COMMITTEE_REVIEWER)
    RoleAssignment.objects.create(user=secretary, org=b1, role=Role.BRANCH_SECRETARY)
    return SimpleNamespace(
        root=root,
        t1=t1,
        t2=t2,
        b1=b1,
        g1=g1,
        b2=b2,
        b3=b3,
        admin=admin_a,
        reviewer=reviewer,
        secretary=secretary,
        member=member,
        p1=PersonFactory(name="张一", org=b1, user=member),
        p2=PersonFactory(name="李二", org=g1),
        p3=PersonFactory(name="王三", org=b2),
        p4=PersonFactory(name="赵四", org=b3),
        county=county_a,
    )


@pytest.fixture
def client_for(tree):
    """client_for(user): an API client of county A signed in as that user."""
    return lambda user: CountyClient(tree.county).as_user(user)
