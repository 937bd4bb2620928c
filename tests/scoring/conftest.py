"""A township committee with two branches, their role holders and members, and a scheme for the year."""

import datetime
from dataclasses import dataclass

import pytest

from members.models import Person, Stage
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from scoring.services import create_scheme
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

YEAR = 2025


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


def user_with_role(org: Organization, role: str, person: Person | None = None):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, org=org, role=role)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def member(org: Organization, stage: str = Stage.FULL, with_user: bool = True, **fields) -> Person:
    return PersonFactory(org=org, stage=stage, user=UserFactory() if with_user else None, **fields)


@pytest.fixture
def secretary_person(tree) -> Person:
    return member(tree.branch, with_user=False, name="书记")


@pytest.fixture
def secretary(tree, secretary_person):
    return user_with_role(tree.branch, Role.BRANCH_SECRETARY, secretary_person)


@pytest.fixture
def reviewer(tree):
    return user_with_role(tree.committee, Role.COMMITTEE_REVIEWER)


@pytest.fixture
def alice(tree) -> Person:
    return member(tree.branch, name="爱丽丝")


@pytest.fixture
def bob(tree) -> Person:
    return member(tree.other_branch, name="鲍勃")


def scheme(admin, preset: str, **kwargs):
    return create_scheme(actor=admin, year=YEAR, name=preset, preset=preset, **kwargs)


def day(month: int, number: int = 10) -> datetime.date:
    return datetime.date(YEAR, month, number)
