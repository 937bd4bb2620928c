"""GET/POST /api/people/ and GET/PATCH /api/people/{id}/: filters and the rules of a person record."""

import datetime

import pytest

from members.models import Person, Stage, Status
from orgs.models import Role, RoleAssignment
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number


@pytest.fixture
def people(branch, committee):
    group = OrganizationFactory(kind="group", parent=branch)
    other = OrganizationFactory(parent=committee)
    return {
        "zhang": PersonFactory(name="张伟", org=branch, stage=Stage.FULL),
        "li": PersonFactory(name="李娜", org=group, stage=Stage.ACTIVIST),
        "wang": PersonFactory(name="王伟", org=other, stage=Stage.FULL, status=Status.MOBILE),
    }


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_the_org_filter_covers_the_whole_subtree(admin_api_a, branch, committee, people):
    assert _names(admin_api_a.get("/api/people/", {"org": branch.id})) == {"张伟", "李娜"}
    assert _names(admin_api_a.get("/api/people/", {"org": committee.id})) == {"张伟", "李娜", "王伟"}


def test_people_filter_by_stage_and_status(admin_api_a, people):
    assert _names(admin_api_a.get("/api/people/", {"stage": "full"})) == {"张伟", "王伟"}
    assert _names(admin_api_a.get("/api/people/", {"status": "mobile"})) == {"王伟"}
    assert _names(admin_api_a.get("/api/people/", {"stage": "full", "status": "active"})) == {"张伟"}


def test_search_matches_a_name_part_or_the_id_number(admin_api_a, people):
    assert _names(admin_api_a.get("/api/people/", {"q": "伟"})) == {"张伟", "王伟"}
    li = people["li"]
    assert _names(admin_api_a.get("/api/people/", {"q": li.id_number})) == {"李娜"}
    assert _names(admin_api_a.get("/api/people/", {"q": li.id_number.lower()})) == {"李娜"}
    assert "李娜" in _names(admin_api_a.get("/api/people/", {"q": li.id_number[:10]}))


def test_a_list_row_is_the_persons_own_answer(api_a, admin_api_a, branch, people):
    # The list builds its rows itself (api.people.PersonListSerializer): the same fields and formats.
    secretary = UserFactory()
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    for api in (admin_api_a, api_a.as_user(secretary)):
        rows = api.get("/api/people/").json()["results"]
        assert rows
        for row in rows:
            assert row == api.get(f"/api/people/{row['id']}/").json()


def test_lists_are_paginated(admin_api_a, people):
    body = admin_api_a.get("/api/people/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]


def test_an_existing_member_can_be_registered_with_stage_and_status(admin_api_a, branch):
    response = admin_api_a.post(
        "/api/people/",
        {
            "name": "老党员",
            "id_number": make_id_number(datetime.date(1950, 1, 1)),
            "org": branch.id,
            "stage": "full",
            "status": "mobile",
            "category": "retired",
            "party_standing_since": "1975-07-01",
        },
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.stage, person.status, person.category) == ("full", "mobile", "retired")


def test_a_new_person_starts_as_an_active_applicant(admin_api_a, branch):
    response = admin_api_a.post("/api/people/", {"name": "新人", "id_number": make_id_number(), "org": branch.id})
    assert (response.json()["stage"], response.json()["status"]) == ("applicant", "active")


def test_party_standing_cannot_start_in_the_future(admin_api_a, branch):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = admin_api_a.post(
        "/api/people/",
        {
            "name": "新人",
            "id_number": make_id_number(),
            "org": branch.id,
            "stage": "full",
            "party_standing_since": tomorrow,
        },
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["party_standing_since"]


def test_stage_and_status_do_not_change_by_editing(admin_api_a, people):
    zhang = people["zhang"]
    for field, value in (("stage", "probationary"), ("status", "removed")):
        response = admin_api_a.patch(f"/api/people/{zhang.id}/", {field: value, "phone": "13900000000"}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
    zhang.refresh_from_db()
    assert (zhang.stage, zhang.status, zhang.phone) == ("full", "active", "")


def test_an_unchanged_stage_may_be_sent_back(admin_api_a, people):
    zhang = people["zhang"]
    response = admin_api_a.patch(f"/api/people/{zhang.id}/", {"stage": "full", "name": "张伟伟"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "张伟伟"


def test_correcting_the_id_number_derives_sex_and_birth_date_again(admin_api_a, people):
    zhang = people["zhang"]
    number = make_id_number(datetime.date(1985, 3, 9), male=False)
    response = admin_api_a.patch(f"/api/people/{zhang.id}/", {"id_number": number}, format="json")
    assert response.status_code == 200
    assert (response.json()["sex"], response.json()["birth_date"]) == ("female", "1985-03-09")


def test_an_id_number_taken_by_another_person_is_refused_on_edit(admin_api_a, people):
    response = admin_api_a.patch(
        f"/api/people/{people['zhang'].id}/", {"id_number": people["li"].id_number}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]


def test_a_person_moves_between_organizations_of_the_callers_scope(admin_api_a, people, committee):
    target = OrganizationFactory(parent=committee)
    response = admin_api_a.patch(f"/api/people/{people['zhang'].id}/", {"org": target.id}, format="json")
    assert response.status_code == 200
    assert Person.objects.get(pk=people["zhang"].pk).org == target
