"""Every role sees and changes exactly its organization's subtree; anything else answers 404."""

from orgs.models import Role, RoleAssignment


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_county_admin_sees_every_person_and_organization(tree, client_for):
    api = client_for(tree.admin)
    assert _ids(api.get("/api/people/")) == {tree.p1.id, tree.p2.id, tree.p3.id, tree.p4.id}
    assert _ids(api.get("/api/orgs/")) == {
        o.id for o in (tree.root, tree.t1, tree.t2, tree.b1, tree.g1, tree.b2, tree.b3)
    }


def test_committee_reviewer_sees_only_its_committee_subtree(tree, client_for):
    api = client_for(tree.reviewer)
    assert _ids(api.get("/api/people/")) == {tree.p1.id, tree.p2.id, tree.p3.id}
    assert _ids(api.get("/api/orgs/")) == {tree.t1.id, tree.b1.id, tree.g1.id, tree.b2.id}
    assert api.get(f"/api/people/{tree.p4.id}/").status_code == 404
    assert api.get(f"/api/orgs/{tree.b3.id}/").status_code == 404
    assert api.get(f"/api/orgs/{tree.b3.id}/checks/").status_code == 404


def test_branch_secretary_sees_only_its_branch(tree, client_for):
    api = client_for(tree.secretary)
    assert _ids(api.get("/api/people/")) == {tree.p1.id, tree.p2.id}
    assert _ids(api.get("/api/orgs/")) == {tree.b1.id, tree.g1.id}
    assert api.get(f"/api/people/{tree.p3.id}/").status_code == 404
    assert api.patch(f"/api/people/{tree.p3.id}/", {"phone": "13800000000"}, format="json").status_code == 404


def test_plain_member_sees_only_their_own_record_in_full(tree, client_for):
    api = client_for(tree.member)
    response = api.get("/api/people/")
    assert _ids(response) == {tree.p1.id}
    assert response.json()["results"][0]["id_number"] == tree.p1.id_number
    assert api.get(f"/api/people/{tree.p2.id}/").status_code == 404
    assert _ids(api.get("/api/orgs/")) == set()
    assert api.get(f"/api/orgs/{tree.b1.id}/").status_code == 404


def test_the_org_filter_lists_a_subtree_within_the_callers_scope_only(tree, client_for):
    # A subtree the roles cover whole is listed whole; a wider one only as far as the roles (and own record) go.
    assert _ids(client_for(tree.reviewer).get("/api/people/", {"org": tree.b1.id})) == {tree.p1.id, tree.p2.id}
    assert _ids(client_for(tree.secretary).get("/api/people/", {"org": tree.t1.id})) == {tree.p1.id, tree.p2.id}
    assert _ids(client_for(tree.secretary).get("/api/people/", {"org": tree.root.id})) == {tree.p1.id, tree.p2.id}
    assert _ids(client_for(tree.member).get("/api/people/", {"org": tree.t1.id})) == {tree.p1.id}
    assert _ids(client_for(tree.member).get("/api/people/", {"org": tree.b2.id})) == set()
    assert _ids(client_for(tree.reviewer).get("/api/people/", {"org": tree.t2.id})) == set()


def test_plain_member_may_not_change_or_create_people(tree, client_for):
    api = client_for(tree.member)
    assert api.patch(f"/api/people/{tree.p1.id}/", {"phone": "13800000000"}, format="json").status_code == 403
    response = api.post("/api/people/", {"name": "新人", "id_number": "11010519491231002X", "org": tree.b1.id})
    assert response.status_code == 403


def test_branch_committee_member_may_change_people_of_the_branch(tree, client_for):
    RoleAssignment.objects.create(user=tree.member, org=tree.b1, role=Role.BRANCH_COMMITTEE)
    api = client_for(tree.member)
    response = api.patch(f"/api/people/{tree.p2.id}/", {"phone": "13800000000"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "13800000000"


def test_secretary_cannot_create_a_person_outside_the_branch(tree, client_for):
    api = client_for(tree.secretary)
    response = api.post("/api/people/", {"name": "外人", "id_number": "11010519491231002X", "org": tree.b2.id})
    assert response.status_code == 400
    assert "org" in response.json()["errors"]


def test_unauthenticated_callers_are_refused(tree):
    from tests.conftest import CountyClient

    api = CountyClient(tree.county)
    assert api.get("/api/people/").status_code == 401
    assert api.get("/api/orgs/").status_code == 401


def _masked(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}"


def test_lists_show_id_numbers_masked_even_to_roles_covering_the_person(tree, client_for):
    for user in (tree.secretary, tree.reviewer, tree.admin):
        rows = {row["id"]: row["id_number"] for row in client_for(user).get("/api/people/").json()["results"]}
        assert rows[tree.p2.id] == _masked(tree.p2.id_number), user
    # The person's own record stays whole for them.
    assert client_for(tree.member).get(f"/api/people/{tree.p1.id}/").json()["id_number"] == tree.p1.id_number


def test_search_by_id_number_stays_inside_the_scope(tree, client_for):
    api = client_for(tree.secretary)
    assert _ids(api.get("/api/people/", {"q": tree.p4.id_number})) == set()
    assert _ids(api.get("/api/people/", {"q": tree.p2.id_number})) == {tree.p2.id}


def test_org_filter_outside_the_scope_finds_nothing(tree, client_for):
    api = client_for(tree.secretary)
    assert _ids(api.get("/api/people/", {"org": tree.b3.id})) == set()
    assert _ids(api.get("/api/people/", {"org": tree.t1.id})) == {tree.p1.id, tree.p2.id}
