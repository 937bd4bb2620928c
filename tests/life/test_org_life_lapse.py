"""Six consecutive months without organizational life (党章第三十八条): the evidence disposition proposals read."""

from members.models import Stage, Status
from orgs.life.selectors import months_without_org_life, people_without_org_life
from tests.factories import PersonFactory

from .conftest import D, meeting, on_roll_since


def test_months_without_org_life_count_whole_months_after_the_last_meeting_attended(life):
    member = on_roll_since(life.b1_members[0], D(2024, 1, 1))
    meeting(life, life.b1, "general_meeting", D(2025, 1, 20), [{"person": member.pk, "status": "present"}])
    # February to June: five whole months; the running month (July) does not count yet.
    assert months_without_org_life(member, as_of=D(2025, 7, 15)) == 5
    assert months_without_org_life(member, as_of=D(2025, 8, 1)) == 6
    assert months_without_org_life(member, as_of=D(2025, 1, 31)) == 0


def test_an_unexcused_absence_is_no_organizational_life_and_an_excused_one_is(life):
    absent, excused = (on_roll_since(p, D(2024, 1, 1)) for p in life.b1_members[:2])
    meeting(life, life.b1, "general_meeting", D(2025, 1, 20), [{"person": absent.pk, "status": "present"}])
    meeting(
        life,
        life.b1,
        "general_meeting",
        D(2025, 4, 20),
        [{"person": absent.pk, "status": "absent"}, {"person": excused.pk, "status": "excused", "reason": "住院"}],
    )
    assert months_without_org_life(absent, as_of=D(2025, 8, 1)) == 6
    assert months_without_org_life(excused, as_of=D(2025, 8, 1)) == 3


def test_meetings_after_the_day_asked_about_do_not_count(life):
    member = on_roll_since(life.b1_members[0], D(2024, 1, 1))
    meeting(life, life.b1, "general_meeting", D(2025, 1, 20), [{"person": member.pk, "status": "present"}])
    meeting(life, life.b1, "general_meeting", D(2025, 9, 20), [{"person": member.pk, "status": "present"}])
    assert months_without_org_life(member, as_of=D(2025, 8, 1)) == 6


def test_a_member_without_any_record_counts_from_joining_the_roll(life):
    member = on_roll_since(life.b1_members[0], D(2025, 1, 10))
    assert months_without_org_life(member, as_of=D(2025, 7, 10)) == 5
    assert months_without_org_life(member, as_of=D(2025, 8, 10)) == 6


def test_people_without_org_life_lists_members_six_months_or_more_with_their_evidence(life):
    lapsed, recent = (on_roll_since(p, D(2024, 1, 1)) for p in life.b1_members[:2])
    for person in life.b1_members[2:] + life.g1_members + [life.probationary]:
        on_roll_since(person, D(2024, 1, 1))
        meeting(life, life.b1, "themed_day", D(2025, 2, 8), [{"person": person.pk, "status": "present"}])
    meeting(life, life.b1, "general_meeting", D(2025, 1, 20), [{"person": lapsed.pk, "status": "present"}])
    meeting(life, life.b1, "general_meeting", D(2025, 5, 20), [{"person": recent.pk, "status": "present"}])
    gaps = people_without_org_life(months=6, as_of=D(2025, 8, 1), org=life.b1)
    assert [(gap.person, gap.months, gap.last_org_life, gap.since) for gap in gaps] == [
        (lapsed, 6, D(2025, 1, 20), D(2025, 2, 1))
    ]
    assert {gap.person for gap in people_without_org_life(months=5, as_of=D(2025, 8, 1), org=life.b1)} == {
        lapsed,
        *life.b1_members[2:],
        *life.g1_members,
        life.probationary,
    }


def test_only_members_taking_part_are_proposed(life):
    for person in (
        PersonFactory(org=life.b2, stage=Stage.ACTIVIST),
        PersonFactory(org=life.b2, stage=Stage.FULL, status=Status.LOST_CONTACT),
        PersonFactory(org=life.b2, stage=Stage.FULL, status=Status.DECEASED),
        *life.b2_members,
    ):
        on_roll_since(person, D(2024, 1, 1))
    assert {gap.person for gap in people_without_org_life(as_of=D(2025, 8, 1), org=life.b2)} == set(life.b2_members)


def test_members_without_org_life_through_the_api(life, client_for):
    member = on_roll_since(life.b2_members[0], D(2024, 1, 1))
    response = client_for(life.reviewer).get(
        "/api/meetings/without-org-life/", {"org": life.b2.pk, "as_of": "2025-08-01"}
    )
    assert response.status_code == 200
    row = next(row for row in response.json()["results"] if row["person"] == member.pk)
    assert row["months"] == 18 and row["last_org_life"] is None
    assert client_for(life.secretary).get("/api/meetings/without-org-life/", {"org": life.b2.pk}).status_code == 404
