"""Care visits, political birthdays, posts for members (设岗定责) and community registration (双报到)."""

from decimal import Decimal

import pytest

from core.exceptions import Conflict, RuleViolation
from members.models import Stage, Status
from orgs.life.care import (
    add_care_recipient,
    assign_post,
    care_due,
    community_service_summary,
    end_post,
    members_without_post,
    political_birthdays,
    record_care_visit,
    record_community_feedback,
    record_community_service,
    record_post_work,
    register_with_community,
)
from orgs.life.elections import record_election
from orgs.models import CountySetting
from tests.factories import PersonFactory

from .conftest import D, user_with_role

# --- Care visits ----------------------------------------------------------------------------------------


def test_who_is_due_a_care_visit_this_year(life):
    visited, not_yet, visited_last_year = life.b1_members[:3]
    recipients = [
        add_care_recipient(actor=life.secretary, person=person, reason="elderly_sick", since=D(2024, 5, 1))
        for person in (visited, not_yet, visited_last_year)
    ]
    record_care_visit(actor=life.secretary, recipient=recipients[0], date=D(2025, 9, 9), visitors="张书记、李委员")
    record_care_visit(actor=life.secretary, recipient=recipients[2], date=D(2024, 12, 20), visitors="张书记")
    due = care_due(2025)
    assert [(row.recipient.person, row.visits, row.required) for row in due] == [
        (not_yet, 0, 1),
        (visited_last_year, 0, 1),
    ]
    assert due[1].last_visit == D(2024, 12, 20)


def test_a_county_may_ask_for_more_visits_a_year(life):
    CountySetting.objects.create(key="care.visits_per_year", value=2, effective_from=D(2025, 1, 1))
    recipient = add_care_recipient(
        actor=life.secretary, person=life.b1_members[0], reason="difficulty", since=D(2025, 1, 1)
    )
    record_care_visit(actor=life.secretary, recipient=recipient, date=D(2025, 2, 1), visitors="张书记")
    assert [(row.visits, row.required) for row in care_due(2025)] == [(1, 2)]


def test_the_family_of_a_member_who_died_on_duty_is_cared_for(life):
    fallen = PersonFactory(org=life.b1, stage=Stage.FULL, status=Status.DECEASED)
    with pytest.raises(RuleViolation):
        add_care_recipient(actor=life.secretary, person=fallen, reason="family_of_fallen", since=D(2025, 1, 1))
    recipient = add_care_recipient(
        actor=life.secretary, person=fallen, reason="family_of_fallen", since=D(2025, 1, 1), family_contact="妻子 王某"
    )
    assert [row.recipient for row in care_due(2025)] == [recipient]
    with pytest.raises(RuleViolation):
        add_care_recipient(
            actor=life.secretary, person=life.b1_members[0], reason="family_of_fallen", since=D(2025, 1, 1)
        )


def test_a_visit_lies_within_the_care_and_names_its_visitors(life):
    recipient = add_care_recipient(
        actor=life.secretary, person=life.b1_members[0], reason="difficulty", since=D(2025, 3, 1)
    )
    with pytest.raises(RuleViolation):
        record_care_visit(actor=life.secretary, recipient=recipient, date=D(2025, 2, 1), visitors="张书记")
    with pytest.raises(RuleViolation):
        record_care_visit(actor=life.secretary, recipient=recipient, date=D(2025, 4, 1), visitors=" ")


def test_care_through_the_api(life, client_for):
    api = client_for(life.secretary)
    body = {"person": life.b1_members[0].pk, "reason": "elderly_sick", "since": "2025-01-01", "note": "独居"}
    created = api.post("/api/care-recipients/", body, format="json")
    assert created.status_code == 201, created.json()
    due = api.get("/api/care-recipients/due/", {"year": 2025}).json()
    assert [row["person"] for row in due["results"]] == [life.b1_members[0].pk]
    visit = api.post(
        f"/api/care-recipients/{created.json()['id']}/visits/",
        {"date": "2025-10-01", "visitors": "张书记", "support": "慰问金500元"},
        format="json",
    )
    assert visit.status_code == 201 and visit.json()["visits"][0]["support"] == "慰问金500元"
    assert api.get("/api/care-recipients/due/", {"year": 2025}).json()["count"] == 0
    assert client_for(life.secretary_b2).get(f"/api/care-recipients/{created.json()['id']}/").status_code == 404
    stranger = client_for(life.secretary_b2).post("/api/care-recipients/", body, format="json")
    assert stranger.status_code == 400 and "person" in stranger.json()["errors"]


# --- Political birthdays -----------------------------------------------------------------------------------


def test_political_birthdays_fall_on_the_anniversary_of_party_standing(life):
    first, second, third, leap = life.b1_members
    for person, since in (
        (first, D(2001, 7, 1)),
        (second, D(2015, 12, 30)),
        (third, D(2025, 7, 3)),
        (leap, D(2004, 2, 29)),
    ):
        person.party_standing_since = since
        person.save()
    found = political_birthdays(D(2025, 6, 25), D(2025, 7, 5))
    assert [(b.person, b.anniversary, b.years) for b in found] == [(first, D(2025, 7, 1), 24)]
    across_new_year = political_birthdays(D(2025, 12, 20), D(2026, 3, 1))
    assert [(b.person, b.anniversary, b.years) for b in across_new_year] == [
        (second, D(2025, 12, 30), 10),
        (leap, D(2026, 2, 28), 22),
    ]


def test_political_birthdays_through_the_api(life, client_for):
    member = life.g1_members[0]
    member.party_standing_since = D(2010, 3, 15)
    member.save()
    response = client_for(life.secretary).get(
        "/api/political-birthdays/", {"org": life.b1.pk, "from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "person": member.pk,
            "name": member.name,
            "org": life.g1.pk,
            "admitted_on": "2010-03-15",
            "anniversary": "2026-03-15",
            "years": 16,
        }
    ]
    assert client_for(life.secretary_b2).get("/api/political-birthdays/", {"org": life.b1.pk}).status_code == 404


# --- Posts for members without a post ------------------------------------------------------------------------


def test_members_without_a_post_are_given_one_with_their_commitment(life, client_for):
    secretary, *others = life.b2_members
    record_election(
        actor=life.secretary_b2,
        org=life.b2,
        approved_on=D(2025, 1, 5),
        held_on=D(2025, 1, 10),
        officers=[{"person": secretary.pk, "position": "secretary"}],
    )
    assert set(members_without_post(life.b2)) == set(others)
    api = client_for(life.secretary_b2)
    body = {
        "person": others[0].pk,
        "title": "政策宣讲岗",
        "commitment": "每月入户宣讲一次",
        "assigned_on": "2025-03-01",
    }
    created = api.post("/api/posts/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["org"] == life.b2.pk
    assert [row["person"] for row in api.get("/api/posts/without-post/", {"org": life.b2.pk}).json()["results"]] == [
        others[1].pk
    ]
    outside = client_for(life.secretary).post("/api/posts/", body, format="json")
    assert outside.status_code == 400 and "person" in outside.json()["errors"]


def test_a_post_needs_its_commitment_and_ends_once(life):
    member = life.b1_members[0]
    with pytest.raises(RuleViolation) as refused:
        assign_post(actor=life.secretary, person=member, title="环境监督岗", commitment="", assigned_on=D(2025, 3, 1))
    assert "commitment" in refused.value.errors
    post = assign_post(
        actor=life.secretary, person=member, title="环境监督岗", commitment="每周巡查", assigned_on=D(2025, 3, 1)
    )
    with pytest.raises(RuleViolation):
        assign_post(
            actor=life.secretary, person=member, title="环境监督岗", commitment="每周巡查", assigned_on=D(2025, 3, 2)
        )
    end_post(actor=life.secretary, post=post, date=D(2025, 12, 31))
    with pytest.raises(Conflict):
        end_post(actor=life.secretary, post=post, date=D(2025, 12, 31))
    assert member in members_without_post(life.b1)


def test_work_done_on_a_post_is_recorded_within_the_time_the_member_held_it(life, client_for):
    member = life.b1_members[0]
    post = assign_post(
        actor=life.secretary, person=member, title="环境监督岗", commitment="每周巡查", assigned_on=D(2025, 3, 1)
    )
    api = client_for(life.secretary)
    done = api.post(f"/api/posts/{post.pk}/work/", {"date": "2025-04-02", "description": "巡查东街环境卫生"}, format="json")
    assert done.status_code == 201, done.json()
    assert done.json()["work"] == [{"id": post.work.get().pk, "date": "2025-04-02", "description": "巡查东街环境卫生"}]
    before = api.post(f"/api/posts/{post.pk}/work/", {"date": "2025-02-28", "description": "提前"}, format="json")
    assert before.status_code == 400 and "date" in before.json()["errors"]
    with pytest.raises(RuleViolation) as refused:
        record_post_work(actor=life.secretary, post=post, date=D(2025, 4, 3), description=" ")
    assert "description" in refused.value.errors
    end_post(actor=life.secretary, post=post, date=D(2025, 6, 30))
    with pytest.raises(RuleViolation):
        record_post_work(actor=life.secretary, post=post, date=D(2025, 7, 1), description="岗位已撤")
    # Another branch's secretary does not find the post.
    assert client_for(life.secretary_b2).post(f"/api/posts/{post.pk}/work/", {"date": "2025-04-02", "description": "x"}).status_code == 404


# --- Registration with the residential community ------------------------------------------------------------------


def test_an_on_the_job_member_registers_with_a_community_which_records_services_and_feedback(life):
    member = life.b2_members[0]
    registration = register_with_community(
        actor=life.secretary_b2, person=member, community=life.b1, registered_on=D(2025, 3, 1), card_number="DJ-001"
    )
    record_community_service(
        actor=life.secretary,
        registration=registration,
        date=D(2025, 4, 5),
        activity="文明创建志愿服务",
        hours=Decimal("3.5"),
    )
    record_community_service(
        actor=life.secretary, registration=registration, date=D(2025, 6, 1), activity="结对帮扶", hours=Decimal(2)
    )
    record_community_feedback(
        actor=life.secretary, registration=registration, year=2025, rating="good", given_on=D(2025, 12, 20)
    )
    assert community_service_summary(member, 2025) == {"services": 2, "hours": Decimal("5.5"), "feedback": "good"}
    assert community_service_summary(member, 2024) == {"services": 0, "hours": Decimal(0), "feedback": None}
    with pytest.raises(RuleViolation):
        record_community_feedback(
            actor=life.secretary, registration=registration, year=2025, rating="fair", given_on=D(2025, 12, 21)
        )
    with pytest.raises(RuleViolation):
        record_community_service(
            actor=life.secretary, registration=registration, date=D(2025, 2, 1), activity="早于报到"
        )


def test_a_member_registers_with_one_community_other_than_their_own_organization(life):
    member = life.b2_members[0]
    with pytest.raises(RuleViolation):
        register_with_community(actor=life.secretary_b2, person=member, community=life.b2, registered_on=D(2025, 3, 1))
    with pytest.raises(RuleViolation):
        register_with_community(actor=life.secretary_b2, person=member, community=life.g1, registered_on=D(2025, 3, 1))
    register_with_community(actor=life.secretary_b2, person=member, community=life.b1, registered_on=D(2025, 3, 1))
    with pytest.raises(RuleViolation):
        register_with_community(actor=life.secretary_b2, person=member, community=life.b3, registered_on=D(2025, 4, 1))


def test_both_sides_keep_the_registration_through_the_api(life, client_for):
    member = life.b2_members[0]
    body = {"person": member.pk, "community": life.b1.pk, "registered_on": "2025-03-01", "card_number": "DJ-002"}
    created = client_for(life.secretary_b2).post("/api/community-registrations/", body, format="json")
    assert created.status_code == 201, created.json()
    registration = created.json()["id"]
    community_side = client_for(life.secretary)
    service = community_side.post(
        f"/api/community-registrations/{registration}/services/",
        {"date": "2025-05-01", "activity": "小区议事", "hours": "2.0"},
        format="json",
    )
    assert service.status_code == 201 and service.json()["services"] == [
        {"date": "2025-05-01", "activity": "小区议事", "hours": "2.0"}
    ]
    feedback = community_side.post(
        f"/api/community-registrations/{registration}/feedback/",
        {"year": 2025, "rating": "excellent", "given_on": "2025-12-15"},
        format="json",
    )
    assert feedback.status_code == 201
    assert (
        client_for(life.secretary_b2)
        .get(f"/api/community-registrations/{registration}/")
        .json()["feedback"][0]["rating"]
        == "excellent"
    )
    outsider = client_for(user_with_role(life.b3, "branch_secretary"))
    assert outsider.get(f"/api/community-registrations/{registration}/").status_code == 404
