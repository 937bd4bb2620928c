"""An organization tree with a branch under a township committee, its role holders, and an applicant."""

import datetime
from dataclasses import dataclass

import pytest

from core.dates import today
from members.models import Person, Stage
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number


@dataclass
class Tree:
    committee: Organization
    branch: Organization
    other_branch: Organization


@pytest.fixture
def tree(county_a) -> Tree:
    committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name="城关镇党委")
    return Tree(
        committee=committee,
        branch=OrganizationFactory(parent=committee, name="东街社区党支部"),
        other_branch=OrganizationFactory(parent=committee, name="西街社区党支部"),
    )


def user_with_role(org: Organization, role: str):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


@pytest.fixture
def secretary(tree):
    return user_with_role(tree.branch, Role.BRANCH_SECRETARY)


@pytest.fixture
def reviewer(tree):
    return user_with_role(tree.committee, Role.COMMITTEE_REVIEWER)


def make_applicant(org: Organization, born: datetime.date = datetime.date(1995, 3, 8), with_user: bool = True) -> Person:
    return PersonFactory(
        org=org, stage=Stage.APPLICANT, id_number=make_id_number(birth=born), user=UserFactory() if with_user else None
    )


@pytest.fixture
def applicant(tree) -> Person:
    return make_applicant(tree.branch)


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)
