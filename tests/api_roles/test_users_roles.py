"""Users and role assignments: managed by the county organization department only."""

from django.contrib.auth import get_user_model

from members.models import Person
from orgs.models import Role, RoleAssignment
from tests.conftest import CountyClient


def test_county_admin_creates_a_user_linked_to_a_person(tree, client_for):
    api = client_for(tree.admin)
    response = api.post("/api/users/", {"username": "wangsan", "password": "Strong-pass-2026", "person": tree.p3.id})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {"id": body["id"], "username": "wangsan", "person": tree.p3.id, "is_active": True}
    assert Person.objects.get(pk=tree.p3.pk).user_id == body["id"]
    token = CountyClient(tree.county).post("/api/auth/token/", {"username": "wangsan", "password": "Strong-pass-2026"})
    assert token.status_code == 200


def test_user_list_never_shows_passwords(tree, client_for):
    rows = client_for(tree.admin).get("/api/users/").json()["results"]
    assert {"admin", "reviewer", "secretary", "member"} <= {row["username"] for row in rows}
    assert all("password" not in row for row in rows)
    assert next(row for row in rows if row["username"] == "member")["person"] == tree.p1.id


def test_weak_passwords_are_refused_by_the_password_validators(tree, client_for):
    response = client_for(tree.admin).post("/api/users/", {"username": "weak", "password": "12345678"})
    assert response.status_code == 400
    assert response.json()["errors"]["password"]
    assert not get_user_model().objects.filter(username="weak").exists()


def test_usernames_are_unique(tree, client_for):
    response = client_for(tree.admin).post("/api/users/", {"username": "reviewer", "password": "Strong-pass-2026"})
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_a_person_has_at_most_one_user(tree, client_for):
    response = client_for(tree.admin).post(
        "/api/users/", {"username": "second", "password": "Strong-pass-2026", "person": tree.p1.id}
    )
    assert response.status_code == 400
    assert "person" in response.json()["errors"]
    assert not get_user_model().objects.filter(username="second").exists()


def test_only_county_admins_manage_users(tree, client_for):
    for user in (tree.reviewer, tree.secretary, tree.member):
        api = client_for(user)
        assert api.get("/api/users/").status_code == 403
        assert api.post("/api/users/", {"username": "x1", "password": "Strong-pass-2026"}).status_code == 403
    assert not get_user_model().objects.filter(username="x1").exists()


def test_county_admin_assigns_a_role_that_opens_the_branch(tree, client_for):
    response = client_for(tree.admin).post(
        "/api/roles/", {"user": tree.member.id, "org": tree.b2.id, "role": Role.BRANCH_SECRETARY}
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "branch_secretary"
    people = client_for(tree.member).get("/api/people/").json()["results"]
    assert {row["id"] for row in people} == {tree.p1.id, tree.p3.id}


def test_revoking_a_role_closes_the_branch(tree, client_for):
    assignment = RoleAssignment.objects.get(user=tree.secretary)
    assert client_for(tree.admin).delete(f"/api/roles/{assignment.id}/").status_code == 204
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert client_for(tree.secretary).get("/api/people/").json()["count"] == 0


def test_a_role_is_held_once(tree, client_for):
    response = client_for(tree.admin).post(
        "/api/roles/", {"user": tree.secretary.id, "org": tree.b1.id, "role": Role.BRANCH_SECRETARY}
    )
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_roles_sit_on_the_organizations_they_belong_to(tree, client_for):
    api = client_for(tree.admin)
    cases = [
        (Role.COUNTY_ADMIN, tree.b1),
        (Role.COMMITTEE_REVIEWER, tree.b1),
        (Role.BRANCH_SECRETARY, tree.t1),
        (Role.BRANCH_COMMITTEE, tree.g1),
    ]
    for role, org in cases:
        response = api.post("/api/roles/", {"user": tree.member.id, "org": org.id, "role": role})
        assert response.status_code == 400, (role, org)
        assert "org" in response.json()["errors"]
    assert not RoleAssignment.objects.filter(user=tree.member).exists()


def test_only_county_admins_manage_roles(tree, client_for):
    for user in (tree.reviewer, tree.secretary, tree.member):
        api = client_for(user)
        assert api.get("/api/roles/").status_code == 403
        response = api.post("/api/roles/", {"user": user.id, "org": tree.b2.id, "role": Role.BRANCH_SECRETARY})
        assert response.status_code == 403
    assignment = RoleAssignment.objects.get(user=tree.secretary)
    assert client_for(tree.reviewer).delete(f"/api/roles/{assignment.id}/").status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
