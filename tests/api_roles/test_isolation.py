"""Organizations, people, users and roles of county beta never show in county alpha: not by id,
not in lists, not in search."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from members.models import Person
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from tenants.models import County
from tests.conftest import CountyClient, in_county
from tests.factories import OrganizationFactory, PersonFactory

# Far above any id county alpha hands out in a test run, so a 404 cannot come from a missing
# alpha row that merely shares the id by chance.
BETA_ID = 10**9


@pytest.fixture
def beta(county_a) -> SimpleNamespace:
    county = County.objects.get(slug="beta")
    with in_county(county):
        branch = OrganizationFactory(id=BETA_ID, name="乙县独有党支部", kind=OrgKind.BRANCH)
        person = PersonFactory(id=BETA_ID, name="乙县独有党员", org=branch)
        secretary = get_user_model().objects.create_user(
            id=BETA_ID, username="beta-secretary", password="x-pass-word-1"
        )
        RoleAssignment.objects.create(id=BETA_ID, user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
        client = CountyClient(county).as_user(get_user_model().objects.get(username="admin"))
    return SimpleNamespace(county=county, branch=branch, person=person, client=client)


def test_beta_sees_its_own_records(beta):
    with in_county(beta.county):
        for url in ("people", "orgs", "roles", "users"):
            assert beta.client.get(f"/api/{url}/{BETA_ID}/").status_code == 200


def test_records_of_another_county_answer_404_by_id(beta, admin_api_a):
    assert not Person.objects.filter(pk=BETA_ID).exists()
    assert not Organization.objects.filter(pk=BETA_ID).exists()
    assert admin_api_a.get(f"/api/people/{BETA_ID}/").status_code == 404
    assert admin_api_a.patch(f"/api/people/{BETA_ID}/", {"phone": "13800000000"}, format="json").status_code == 404
    assert admin_api_a.get(f"/api/orgs/{BETA_ID}/").status_code == 404
    assert admin_api_a.get(f"/api/orgs/{BETA_ID}/checks/").status_code == 404


def test_records_of_another_county_are_absent_from_lists_and_search(beta, admin_api_a):
    people = admin_api_a.get("/api/people/").json()["results"]
    assert beta.person.name not in {row["name"] for row in people}
    assert admin_api_a.get("/api/people/", {"q": beta.person.name}).json()["count"] == 0
    assert admin_api_a.get("/api/people/", {"q": beta.person.id_number}).json()["count"] == 0
    assert admin_api_a.get("/api/people/", {"org": BETA_ID}).json()["count"] == 0
    orgs = admin_api_a.get("/api/orgs/").json()["results"]
    assert beta.branch.name not in {row["name"] for row in orgs}


def test_roles_and_users_of_another_county_are_absent(beta, admin_api_a):
    assert BETA_ID not in {row["id"] for row in admin_api_a.get("/api/roles/").json()["results"]}
    assert admin_api_a.get(f"/api/roles/{BETA_ID}/").status_code == 404
    assert admin_api_a.delete(f"/api/roles/{BETA_ID}/").status_code == 404
    users = admin_api_a.get("/api/users/").json()["results"]
    assert "beta-secretary" not in {row["username"] for row in users}
    assert admin_api_a.get(f"/api/users/{BETA_ID}/").status_code == 404


def test_a_person_cannot_be_placed_in_another_countys_organization(beta, admin_api_a):
    response = admin_api_a.post("/api/people/", {"name": "越界", "id_number": "11010519491231002X", "org": BETA_ID})
    assert response.status_code == 400
    assert "org" in response.json()["errors"]
    assert not Person.objects.filter(name="越界").exists()


def test_the_same_id_number_may_live_in_each_county(beta, admin_api_a):
    # Each county keeps its own roll: beta's record does not make alpha's a duplicate.
    root = Organization.objects.get(parent__isnull=True)
    branch = OrganizationFactory(parent=root)
    response = admin_api_a.post(
        "/api/people/", {"name": "同号", "id_number": beta.person.id_number, "org": branch.id}, format="json"
    )
    assert response.status_code == 201, response.content
