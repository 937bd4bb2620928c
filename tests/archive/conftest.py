"""A county tree for the member archive:

county (admin)
├── committee T1 (reviewer: the committee leader in charge)
│   └── branch B1 (secretary, with her own person record): the member whose archive is read, her spouse
└── committee T2 (reviewer_t2) ── branch B3
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from members.archive import file_entry
from members.models import ArchiveKind, Stage
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


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
    t2 = OrganizationFactory(name="河口镇党委", kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(name="东街社区党支部", parent=t1)
    b3 = OrganizationFactory(name="河口村党支部", parent=t2)
    member = PersonFactory(org=b1, stage=Stage.FULL, name="王档案", user=UserFactory())
    secretary_person = PersonFactory(org=b1, stage=Stage.FULL, name="赵书记")
    entry = file_entry(
        actor=admin_a,
        person=member,
        kind=ArchiveKind.ADMISSION_FORM,
        title="入党志愿书",
        event_date=datetime.date(2015, 7, 1),
        document=ContentFile(b"%PDF-1.4 admission form", name="admission-form.pdf"),
    )
    return SimpleNamespace(
        county=county_a,
        root=root,
        t1=t1,
        t2=t2,
        b1=b1,
        b3=b3,
        admin=admin_a,
        member=member,
        entry=entry,
        reviewer=user_with_role(t1, Role.COMMITTEE_REVIEWER, person=PersonFactory(org=t1, name="钱委员")),
        reviewer_t2=user_with_role(t2, Role.COMMITTEE_REVIEWER),
        secretary=user_with_role(b1, Role.BRANCH_SECRETARY, person=secretary_person),
        secretary_person=secretary_person,
        secretary_b3=user_with_role(b3, Role.BRANCH_SECRETARY),
    )


@pytest.fixture
def client_for(tree):
    return lambda user: CountyClient(tree.county).as_user(user)
