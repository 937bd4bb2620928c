"""A county tree for dues, with a user for each role that handles dues:

county (admin)
├── committee T1 (reviewer)
│   ├── branch B1 (secretary, treasurer = branch committee member) ── group G1
│   └── branch B2 (other_secretary)
└── committee T2
    └── branch B3
"""

from types import SimpleNamespace

import pytest

from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, UserFactory


def user_with_role(org, role: str, username: str):
    user = UserFactory(username=username)
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


@pytest.fixture
def tree(county_a, admin_a) -> SimpleNamespace:
    root = root_organization()
    t1 = OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    b2 = OrganizationFactory(name="西街社区党支部", parent=t1)
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        t2=t2,
        b1=b1,
        g1=OrganizationFactory(name="第一党小组", kind=OrgKind.GROUP, parent=b1),
        b2=b2,
        b3=OrganizationFactory(name="河口村党支部", parent=t2),
        admin=admin_a,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER, "reviewer"),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY, "secretary"),
        treasurer=user_with_role(b1, Role.BRANCH_COMMITTEE, "treasurer"),
        other_secretary=user_with_role(b2, Role.BRANCH_SECRETARY, "other-secretary"),
    )


@pytest.fixture
def as_user(tree):
    """as_user(user) → an API client of county A signed in as user."""
    return lambda user: CountyClient(tree.county).as_user(user)
