"""GET/POST /api/orgs/, GET/PATCH /api/orgs/{id}/ and /api/orgs/{id}/checks/."""

import datetime

import pytest

from orgs.models import Organization, OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def committee(county_a):
    return OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE)


@pytest.fixture
def reviewer_api(county_a, committee):
    reviewer = UserFactory(username="reviewer")
    RoleAssignment.objects.create(user=reviewer, org=committee, role=Role.COMMITTEE_REVIEWER)
    return CountyClient(county_a).as_user(reviewer)


def test_county_admin_builds_the_tree(admin_api_a):
    root = root_organization()
    response = admin_api_a.post("/api/orgs/", {"name": "河口镇党委", "kind": "committee", "parent": root.id})
    assert response.status_code == 201, response.content
    committee = response.json()
    assert committee["kind"] == "committee"
    assert committee["parent"] == root.id
    assert committee["approval_authority"] is True
    response = admin_api_a.post("/api/orgs/", {"name": "河口村党支部", "kind": "branch", "parent": committee["id"]})
    assert response.status_code == 201
    branch = Organization.objects.get(pk=response.json()["id"])
    assert branch.path == f"{root.path}{committee['id']}/{branch.id}/"
    assert branch.approval_authority is False


def test_a_committee_reviewer_creates_branches_under_its_committee(reviewer_api, committee):
    response = reviewer_api.post("/api/orgs/", {"name": "新党支部", "kind": "branch", "parent": committee.id})
    assert response.status_code == 201


def test_a_committee_reviewer_cannot_create_outside_its_committee(reviewer_api):
    other = OrganizationFactory(kind=OrgKind.COMMITTEE)
    response = reviewer_api.post("/api/orgs/", {"name": "越界党支部", "kind": "branch", "parent": other.id})
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    assert not Organization.objects.filter(name="越界党支部").exists()


def test_a_branch_secretary_cannot_create_organizations(county_a, committee):
    branch = OrganizationFactory(parent=committee)
    secretary = UserFactory()
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    api = CountyClient(county_a).as_user(secretary)
    response = api.post("/api/orgs/", {"name": "党小组", "kind": "group", "parent": branch.id})
    assert response.status_code == 403


def test_the_tree_keeps_its_order_of_kinds(admin_api_a, committee):
    response = admin_api_a.post("/api/orgs/", {"name": "错位党小组", "kind": "group", "parent": committee.id})
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    response = admin_api_a.post("/api/orgs/", {"name": "第二个县", "kind": "county", "parent": committee.id})
    assert response.status_code == 400


def test_only_committees_have_approval_authority(admin_api_a, committee):
    response = admin_api_a.post(
        "/api/orgs/", {"name": "党支部", "kind": "branch", "parent": committee.id, "approval_authority": True}
    )
    assert response.status_code == 400
    assert "approval_authority" in response.json()["errors"]


def test_an_organization_reads_by_id_and_its_term_can_be_recorded(admin_api_a, committee):
    response = admin_api_a.patch(
        f"/api/orgs/{committee.id}/", {"term_started_on": "2024-03-01", "kind": "branch"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = admin_api_a.get(f"/api/orgs/{committee.id}/").json()
    assert body["term_started_on"] == "2024-03-01"
    assert body["term_ends_on"] == "2029-03-01"
    assert body["kind"] == "committee"  # kind and parent are fixed once created


def test_checks_list_the_structure_warnings(admin_api_a, committee):
    branch = OrganizationFactory(parent=committee, term_started_on=datetime.date.today())
    response = admin_api_a.get(f"/api/orgs/{branch.id}/checks/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    warnings = {w["code"]: w for w in response.json()}
    assert set(warnings) == {"too_few_full_members", "no_secretary"}
    assert warnings["too_few_full_members"]["message"] == "0 full members: a branch needs at least 3."
    assert warnings["too_few_full_members"]["level"] == "warning"


def test_organizations_filter_by_kind_and_parent(admin_api_a, committee):
    branch = OrganizationFactory(parent=committee)
    OrganizationFactory(kind=OrgKind.GROUP, parent=branch)
    rows = admin_api_a.get("/api/orgs/", {"kind": "branch"}).json()["results"]
    assert [row["id"] for row in rows] == [branch.id]
    rows = admin_api_a.get("/api/orgs/", {"parent": committee.id}).json()["results"]
    assert [row["id"] for row in rows] == [branch.id]
