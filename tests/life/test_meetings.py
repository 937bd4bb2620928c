"""Recording meetings: the kinds, the event date, who may attend, and who may record and see them."""

import datetime

import pytest

from core.dates import today
from core.exceptions import RuleViolation
from members.models import Person
from orgs.life import selectors
from orgs.life.meetings import record_meeting
from orgs.life.models import Attendance, Meeting
from tenants.models import County
from tests.conftest import in_county
from tests.factories import OrganizationFactory, UserFactory

from .conftest import D, meeting, user_with_role

BETA_ID = 10**9  # far above any id county alpha hands out in a test run


def _body(life, **overrides) -> dict:
    body = {
        "org": life.b1.pk,
        "kind": "general_meeting",
        "date": "2026-03-05",
        "topic": "传达学习全会精神",
        "minutes": "到会党员讨论发言……",
        "attendance": [
            {"person": life.b1_members[0].pk, "status": "present"},
            {"person": life.g1_members[0].pk, "status": "excused", "reason": "外出务工"},
            {"person": life.b1_members[1].pk, "status": "absent"},
        ],
    }
    body.update(overrides)
    return body


def test_a_branch_secretary_records_a_general_meeting_with_its_attendance(life, client_for):
    response = client_for(life.secretary).post("/api/meetings/", _body(life), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "general_meeting" and data["date"] == "2026-03-05"
    assert data["counts"] == {"present": 1, "excused": 1, "absent": 1}
    assert {row["person"]: row["status"] for row in data["attendance"]} == {
        life.b1_members[0].pk: "present",
        life.g1_members[0].pk: "excused",
        life.b1_members[1].pk: "absent",
    }
    assert client_for(life.secretary).get(f"/api/meetings/{data['id']}/").json()["topic"] == "传达学习全会精神"


def test_a_meeting_date_in_the_future_is_refused(life, client_for):
    tomorrow = today() + datetime.timedelta(days=1)
    response = client_for(life.secretary).post("/api/meetings/", _body(life, date=tomorrow.isoformat()), format="json")
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not Meeting.objects.exists()


def test_an_attendee_outside_the_branch_is_refused(life):
    with pytest.raises(RuleViolation) as refused:
        meeting(
            life, life.b1, "general_meeting", D(2026, 3, 5), [{"person": life.b2_members[0].pk, "status": "present"}]
        )
    assert "attendance" in refused.value.errors
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_group_meeting_admits_only_the_groups_members(life, client_for):
    body = _body(
        life,
        org=life.g1.pk,
        kind="group_meeting",
        attendance=[
            {"person": life.g1_members[0].pk, "status": "present"},
            {"person": life.b1_members[0].pk, "status": "present"},
        ],
    )
    response = client_for(life.secretary).post("/api/meetings/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["attendance"] == [
        "Row 2: this person is not a member of the organization or of its party groups."
    ]
    assert not Meeting.objects.exists()


def test_an_unknown_person_and_another_branchs_member_get_the_same_answer(life, client_for):
    answers = []
    for person in (life.b2_members[0].pk, 987654):
        body = _body(life, attendance=[{"person": person, "status": "present"}])
        answers.append(client_for(life.secretary).post("/api/meetings/", body, format="json").json())
    assert answers[0] == answers[1]


def test_only_party_members_on_the_roll_are_recorded(life):
    with pytest.raises(RuleViolation):
        meeting(life, life.b1, "lecture", D(2026, 3, 5), [{"person": life.activist.pk, "status": "present"}])
    recorded = meeting(life, life.b1, "lecture", D(2026, 3, 5), [{"person": life.probationary.pk, "status": "present"}])
    assert recorded.attendance.get().person == life.probationary


def test_an_excused_absence_needs_its_reason(life):
    with pytest.raises(RuleViolation) as refused:
        meeting(
            life, life.b1, "general_meeting", D(2026, 3, 5), [{"person": life.b1_members[0].pk, "status": "excused"}]
        )
    assert refused.value.errors["attendance"] == ["Row 1: give the reason for the excused absence."]


def test_a_person_is_listed_once(life):
    row = {"person": life.b1_members[0].pk, "status": "present"}
    with pytest.raises(RuleViolation):
        meeting(life, life.b1, "general_meeting", D(2026, 3, 5), [row, row])


def test_a_lecture_names_its_lecturer_and_other_meetings_have_none(life):
    with pytest.raises(RuleViolation) as refused:
        record_meeting(actor=life.secretary, org=life.b1, kind="lecture", date=D(2026, 3, 5), topic="党课")
    assert "lecturer" in refused.value.errors
    with pytest.raises(RuleViolation):
        meeting(life, life.b1, "themed_day", D(2026, 3, 8), lecturer="张书记")
    assert meeting(life, life.b1, "lecture", D(2026, 3, 5), lecturer="县委党校王老师").lecturer == "县委党校王老师"


@pytest.mark.parametrize(
    ("kind", "host"),
    [("group_meeting", "b1"), ("general_meeting", "g1"), ("committee_meeting", "t1"), ("themed_day", "root")],
)
def test_each_kind_of_meeting_is_held_by_its_own_level(life, kind, host):
    with pytest.raises(RuleViolation) as refused:
        meeting(life, getattr(life, host), kind, D(2026, 3, 5))
    assert "org" in refused.value.errors


def test_mobile_members_hosted_by_a_branch_join_its_meetings_through_a_registered_source(life, monkeypatch):
    visitor = life.b3_members[0]

    def hosted(org):
        return Person.objects.filter(pk=visitor.pk) if org == life.b1 else Person.objects.none()

    monkeypatch.setattr(selectors, "_attendee_sources", [])
    selectors.register_attendee_source(hosted)
    recorded = meeting(life, life.b1, "themed_day", D(2026, 3, 8), [{"person": visitor.pk, "status": "present"}])
    assert recorded.attendance.get().person == visitor
    assert selectors.months_without_org_life(visitor, as_of=D(2026, 4, 1)) == 0
    with pytest.raises(RuleViolation):
        meeting(life, life.b2, "themed_day", D(2026, 3, 8), [{"person": visitor.pk, "status": "present"}])


def test_a_secretary_records_only_for_their_own_branch(life, client_for):
    response = client_for(life.secretary_b2).post("/api/meetings/", _body(life), format="json")
    assert response.status_code == 400
    assert "org" in response.json()["errors"]


def test_committee_reviewers_and_county_admins_see_meetings_but_do_not_record_them(life, client_for):
    recorded = meeting(life, life.b1, "general_meeting", D(2026, 3, 5))
    for user in (life.reviewer, life.admin):
        assert client_for(user).get(f"/api/meetings/{recorded.pk}/").status_code == 200
        assert client_for(user).post("/api/meetings/", _body(life), format="json").status_code == 403


def test_meetings_outside_the_callers_scope_are_not_found(life, client_for):
    recorded = meeting(life, life.b1, "general_meeting", D(2026, 3, 5))
    other_committee = user_with_role(life.t2, "committee_reviewer")
    assert client_for(life.secretary_b2).get(f"/api/meetings/{recorded.pk}/").status_code == 404
    assert client_for(other_committee).get(f"/api/meetings/{recorded.pk}/").status_code == 404
    assert client_for(other_committee).get("/api/meetings/").json()["count"] == 0
    assert client_for(UserFactory()).get("/api/meetings/").json()["count"] == 0


def test_the_list_filters_by_subtree_kind_and_dates(life, client_for):
    meeting(life, life.b1, "general_meeting", D(2026, 3, 5))
    meeting(life, life.g1, "group_meeting", D(2026, 4, 5))
    meeting(life, life.b1, "themed_day", D(2026, 5, 8))
    api = client_for(life.reviewer)
    assert api.get("/api/meetings/", {"org": life.b1.pk}).json()["count"] == 3
    assert api.get("/api/meetings/", {"org": life.g1.pk}).json()["count"] == 1
    assert api.get("/api/meetings/", {"kind": "themed_day"}).json()["count"] == 1
    assert api.get("/api/meetings/", {"from": "2026-04-01", "to": "2026-04-30"}).json()["count"] == 1


def test_another_countys_meeting_is_not_found(life, client_for):
    beta = County.objects.get(slug="beta")
    with in_county(beta):
        branch = OrganizationFactory(id=BETA_ID, name="乙县独有党支部")
        recorded = record_meeting(
            actor=user_with_role(branch, "branch_secretary"),
            org=branch,
            kind="general_meeting",
            date=D(2026, 3, 5),
            topic="乙县的会",
        )
        Meeting.objects.filter(pk=recorded.pk).update(id=BETA_ID)
    api = client_for(life.admin)
    assert api.get(f"/api/meetings/{BETA_ID}/").status_code == 404
    assert "乙县的会" not in {row["topic"] for row in api.get("/api/meetings/").json()["results"]}
    assert api.get("/api/meetings/", {"org": BETA_ID}).json()["count"] == 0
    assert api.get("/api/meetings/compliance/", {"org": BETA_ID}).status_code == 404
