"""Personal data (issue 10, docs/decisions/0010-personal-data.md): ID numbers masked in every answer but the
person's own, whole only on a logged request with a reason by the county or the committee in charge;
phones whole only to the roles covering the person; exports name who made them and are logged."""

import io

import pytest
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from members.disclosure import shown_phone
from orgs.models import OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

Kind = SecurityEvent.Kind


def masked(number: str) -> str:
    return f"{number[:4]}**********{number[-4:]}"


@pytest.fixture
def people(county_a, admin_a):
    root = root_organization()
    t1 = OrganizationFactory(kind=OrgKind.COMMITTEE, parent=root)
    t2 = OrganizationFactory(kind=OrgKind.COMMITTEE, parent=root)
    b1 = OrganizationFactory(parent=t1)
    roles = {}
    for name, org, role in (
        ("reviewer", t1, Role.COMMITTEE_REVIEWER),
        ("other-reviewer", t2, Role.COMMITTEE_REVIEWER),
        ("secretary", b1, Role.BRANCH_SECRETARY),
    ):
        roles[name] = UserFactory(username=name)
        RoleAssignment.objects.create(user=roles[name], org=org, role=role)
    member = UserFactory(username="member")
    return {
        "admin": admin_a,
        **roles,
        "member": member,
        "own": PersonFactory(org=b1, user=member, phone="13912345678"),
        "other": PersonFactory(org=b1, phone="13987654321"),
        "county": county_a,
    }


def api(people, who: str) -> CountyClient:
    return CountyClient(people["county"], HTTP_ACCEPT_LANGUAGE="en").as_user(people[who])


def test_every_role_sees_id_numbers_masked_and_the_person_their_own_whole(people):
    other = people["other"]
    for who in ("admin", "reviewer", "secretary"):
        assert api(people, who).get(f"/api/people/{other.pk}/").json()["id_number"] == masked(other.id_number), who
    own = people["own"]
    assert api(people, "member").get(f"/api/people/{own.pk}/").json()["id_number"] == own.id_number


def test_the_county_and_the_committee_in_charge_get_the_full_number_with_a_reason_and_it_is_logged(people):
    other = people["other"]
    for who in ("admin", "reviewer"):
        response = api(people, who).post(f"/api/people/{other.pk}/id-number/", {"reason": "填报全国党员信息系统"})
        assert response.status_code == 200, who
        assert response.json() == {"id_number": other.id_number}
    shown = SecurityEvent.objects.filter(kind=Kind.ID_NUMBER_SHOWN).order_by("id")
    assert [(e.username, e.detail["person"], e.detail["reason"]) for e in shown] == [
        ("admin", other.pk, "填报全国党员信息系统"),
        ("reviewer", other.pk, "填报全国党员信息系统"),
    ]


def test_the_full_number_is_refused_to_others_and_without_a_reason(people):
    other = people["other"]
    assert api(people, "secretary").post(f"/api/people/{other.pk}/id-number/", {"reason": "x"}).status_code == 403
    # Another committee's reviewer does not see the person at all.
    assert api(people, "other-reviewer").post(f"/api/people/{other.pk}/id-number/", {"reason": "x"}).status_code == 404
    response = api(people, "admin").post(f"/api/people/{other.pk}/id-number/", {"reason": "  "})
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["Say why the full ID number is needed."]}
    assert not SecurityEvent.objects.filter(kind=Kind.ID_NUMBER_SHOWN).exists()


def test_phones_are_whole_to_the_roles_covering_the_person_and_masked_to_others(people):
    other = people["other"]
    assert api(people, "secretary").get(f"/api/people/{other.pk}/").json()["phone"] == "13987654321"
    assert shown_phone(people["other-reviewer"], other) == "139****4321"
    assert shown_phone(people["member"], other) == "139****4321"
    assert shown_phone(people["member"], people["own"]) == "13912345678"


def _workbook(response):
    assert response.status_code == 200, response.content
    return load_workbook(io.BytesIO(response.content))


def test_an_export_names_who_made_it_and_is_logged(people):
    book = _workbook(api(people, "admin").get("/api/people/export.xlsx"))
    assert book.properties.creator == "admin"
    assert "Exported by admin" in book.properties.description
    numbers = {row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert people["other"].id_number in numbers
    event = SecurityEvent.objects.get(kind=Kind.EXPORT, username="admin")
    assert (event.path, event.detail["what"], event.detail["rows"]) == ("/api/people/export.xlsx", "people", 2)


def test_an_export_masks_the_id_numbers_its_maker_may_not_have(people):
    book = _workbook(api(people, "secretary").get("/api/people/export.xlsx"))
    numbers = {row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert numbers == {masked(people["own"].id_number), masked(people["other"].id_number)}
    assert SecurityEvent.objects.get(kind=Kind.EXPORT, username="secretary").detail["full_id_numbers"] == 0
