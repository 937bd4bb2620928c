"""The structure warnings of DOMAIN.md §2: they inform, they never block."""

import datetime

import pytest

from members.models import Stage, Status
from orgs import rules
from orgs.checks import structure_warnings
from orgs.models import OrgKind, Role, RoleAssignment
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


@pytest.fixture
def committee(county_a):
    return OrganizationFactory(kind=OrgKind.COMMITTEE, term_started_on=TODAY)


@pytest.fixture
def branch(committee):
    return _with_secretary(OrganizationFactory(kind=OrgKind.BRANCH, parent=committee, term_started_on=TODAY))


def _with_secretary(org, officers: int = 1):
    for number in range(officers):
        role = Role.BRANCH_SECRETARY if number == 0 else Role.BRANCH_COMMITTEE
        RoleAssignment.objects.create(user=UserFactory(), org=org, role=role)
    return org


def _full_members(org, count: int, **fields) -> None:
    PersonFactory.create_batch(count, org=org, stage=Stage.FULL, **fields)


def _codes(org, on: datetime.date = TODAY) -> set[str]:
    return {warning["code"] for warning in structure_warnings(org, on=on)}


def test_a_branch_needs_three_full_members(branch):
    _full_members(branch, rules.BRANCH_MIN_FULL_MEMBERS - 1)
    assert "too_few_full_members" in _codes(branch)
    _full_members(branch, 1)
    assert _codes(branch) == set()


def test_only_active_full_members_count_toward_a_branch(branch):
    _full_members(branch, 2)
    _full_members(branch, 1, status=Status.MOBILE)
    PersonFactory(org=branch, stage=Stage.PROBATIONARY)
    assert "too_few_full_members" in _codes(branch)


def test_full_members_in_the_branchs_party_groups_count(branch):
    group = OrganizationFactory(kind=OrgKind.GROUP, parent=branch)
    _full_members(branch, 1)
    _full_members(group, 2)
    assert "too_few_full_members" not in _codes(branch)


def test_a_branch_has_a_secretary(committee):
    branch = OrganizationFactory(kind=OrgKind.BRANCH, parent=committee, term_started_on=TODAY)
    _full_members(branch, 3)
    assert _codes(branch) == {"no_secretary"}


def test_under_seven_full_members_no_branch_committee_is_expected(committee):
    branch = _with_secretary(OrganizationFactory(parent=committee, term_started_on=TODAY), officers=3)
    _full_members(branch, rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS - 1)
    assert _codes(branch) == {"committee_not_expected"}


def test_under_seven_full_members_a_secretary_and_a_deputy_are_fine(committee):
    branch = _with_secretary(OrganizationFactory(parent=committee, term_started_on=TODAY), officers=2)
    _full_members(branch, 6)
    assert _codes(branch) == set()


def test_seven_to_fifty_full_members_need_a_committee_of_three_to_five(committee):
    branch = _with_secretary(OrganizationFactory(parent=committee, term_started_on=TODAY), officers=2)
    _full_members(branch, rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS)
    warning = next(w for w in structure_warnings(branch, on=TODAY) if w["code"] == "committee_size")
    assert warning["level"] == "warning"
    RoleAssignment.objects.create(user=UserFactory(), org=branch, role=Role.BRANCH_COMMITTEE)
    assert _codes(branch) == set()


def test_a_committee_of_six_is_too_large(committee):
    branch = _with_secretary(OrganizationFactory(parent=committee, term_started_on=TODAY), officers=6)
    _full_members(branch, 20)
    assert _codes(branch) == {"committee_size"}


def test_over_fifty_full_members_a_general_branch_is_expected(committee):
    branch = _with_secretary(OrganizationFactory(parent=committee, term_started_on=TODAY), officers=5)
    _full_members(branch, rules.GENERAL_BRANCH_ABOVE_FULL_MEMBERS)
    assert _codes(branch) == set()
    _full_members(branch, 1)
    assert _codes(branch) == {"general_branch_expected"}


def test_over_a_hundred_full_members_a_primary_committee_is_expected(committee):
    general = OrganizationFactory(kind=OrgKind.GENERAL_BRANCH, parent=committee, term_started_on=TODAY)
    branch = _with_secretary(OrganizationFactory(parent=general, term_started_on=TODAY), officers=5)
    _full_members(branch, rules.COMMITTEE_ABOVE_FULL_MEMBERS)
    assert _codes(general) == set()
    _full_members(branch, 1)
    assert _codes(general) == {"committee_expected"}
    # The higher band wins: a primary committee is expected, not (also) a general branch.
    assert _codes(branch) == {"committee_expected"}


def test_a_party_group_has_three_members(branch):
    group = OrganizationFactory(kind=OrgKind.GROUP, parent=branch)
    _full_members(group, 2)
    assert _codes(group) == {"group_too_small"}
    PersonFactory(org=group, stage=Stage.PROBATIONARY)
    assert _codes(group) == set()


def test_applicants_are_not_party_group_members(branch):
    group = OrganizationFactory(kind=OrgKind.GROUP, parent=branch)
    _full_members(group, 2)
    PersonFactory(org=group, stage=Stage.ACTIVIST)
    assert _codes(group) == {"group_too_small"}


def test_a_party_group_needs_a_full_member(branch):
    group = OrganizationFactory(kind=OrgKind.GROUP, parent=branch)
    PersonFactory.create_batch(3, org=group, stage=Stage.PROBATIONARY)
    assert _codes(group) == {"group_without_full_member"}


def test_a_joint_branch_covers_at_most_five_units(committee):
    joint = _with_secretary(
        OrganizationFactory(kind=OrgKind.JOINT_BRANCH, parent=committee, units=5, term_started_on=TODAY)
    )
    _full_members(joint, 3)
    assert _codes(joint) == set()
    joint.units = rules.JOINT_BRANCH_MAX_UNITS + 1
    assert _codes(joint) == {"joint_branch_too_many_units"}


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        (D(2023, 12, 16), set()),  # ends 2026-12-16: six months ahead is tomorrow
        (D(2023, 12, 15), {"term_ending"}),  # ends 2026-12-15: six months ahead is today
        (D(2023, 6, 16), {"term_ending"}),  # ends tomorrow
        (D(2023, 6, 15), {"term_overdue"}),  # ends today (届满)
        (D(2022, 1, 1), {"term_overdue"}),
    ],
)
def test_a_branch_term_is_three_years_warned_six_months_ahead(branch, started, expected):
    _full_members(branch, 3)
    branch.term_started_on = started
    assert _codes(branch) == expected


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        (D(2021, 12, 16), set()),
        (D(2021, 12, 15), {"term_ending"}),
        (D(2021, 6, 15), {"term_overdue"}),
    ],
)
def test_a_primary_committee_term_is_five_years(committee, started, expected):
    committee.term_started_on = started
    assert _codes(committee) == expected


def test_an_unknown_term_start_is_noted(branch):
    _full_members(branch, 3)
    branch.term_started_on = None
    [warning] = structure_warnings(branch, on=TODAY)
    assert (warning["code"], warning["level"]) == ("term_start_unknown", "info")


def test_temporary_branches_are_not_held_to_the_branch_rules(committee):
    temporary = OrganizationFactory(kind=OrgKind.TEMPORARY_BRANCH, parent=committee)
    assert _codes(temporary) == set()
