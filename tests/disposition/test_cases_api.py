"""A case through the API: from a proposal to the removal, the decision in the archive; appeals answered;
scope and county isolation."""

import datetime

from dateutil.relativedelta import relativedelta

from core.dates import today
from members.archive import entries_of
from members.models import Status
from members.statuses import set_status
from tests.conftest import CountyClient

from .pipeline import investigation, run_case, vote


def lost_for_two_years(tree):
    return set_status(
        actor=tree.secretary,
        person=tree.member,
        status=Status.LOST_CONTACT,
        on=today() - relativedelta(months=26),
        reason="外出务工，多次联系未果",
    )


def task_of(client, process: int, step: str) -> dict:
    tasks = client.get("/api/tasks/", {"flow": "disposition"}).json()["results"]
    matching = [task for task in tasks if task["process"] == process and task["step"] == step]
    assert matching, f"no open {step} task for {process}: {tasks}"
    return matching[0]


def complete(client, process: int, step: str, date: datetime.date, decision: str = "", **data) -> dict:
    task = task_of(client, process, step)
    response = client.post(
        f"/api/tasks/{task['id']}/complete/",
        {"decision": decision, "date": date.isoformat(), "data": data},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_removal_case_through_the_api_from_proposal_to_approval(tree, client_for):
    person = lost_for_two_years(tree)
    admin, secretary, reviewer = client_for(tree.admin), client_for(tree.secretary), client_for(tree.reviewer)
    assert admin.post("/api/dispositions/proposals/refresh/").status_code == 200
    proposal = secretary.get("/api/dispositions/proposals/", {"grounds": "lost_contact_2y"}).json()["results"][0]
    assert proposal["person"] == person.pk
    assert proposal["evidence"]["months"] == 26

    day = today() - datetime.timedelta(days=20)
    opened = secretary.post(
        "/api/dispositions/",
        {"proposal": proposal["id"], "measure": "removal", "date": day.isoformat()},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    case = opened.json()
    assert (case["person"], case["grounds"], case["measure"], case["proposal"]) == (
        person.pk,
        "lost_contact_2y",
        "removal",
        proposal["id"],
    )
    assert case["evidence"]["months"] == 26
    assert [step["step"] for step in case["current_steps"]] == ["investigation"]
    assert secretary.get("/api/dispositions/proposals/").json()["count"] == 0

    process = case["id"]
    complete(secretary, process, "investigation", day, **investigation(tree, "removal"))
    complete(reviewer, process, "pre_review", day + datetime.timedelta(days=3))
    complete(admin, process, "higher_pre_review", day + datetime.timedelta(days=6))
    complete(secretary, process, "general_meeting_vote", day + datetime.timedelta(days=10), **vote())
    approved = complete(reviewer, process, "approval", day + datetime.timedelta(days=15))
    assert [step["step"] for step in approved["current_steps"]] == ["notification"]
    person.refresh_from_db()
    assert person.status == Status.REMOVED
    complete(
        secretary, process, "notification", day + datetime.timedelta(days=16), "notified", told_by="支部书记当面告知"
    )

    detail = secretary.get(f"/api/dispositions/{process}/").json()
    assert (detail["status"], detail["outcome"], detail["person_status"]) == ("done", "removed", "removed")
    assert detail["decided_on"] == (day + datetime.timedelta(days=15)).isoformat()
    assert [entry["step"] for entry in detail["history"]][-1] == "notification"
    archived = entries_of(person)
    assert archived.get(source_step="approval").kind == "approval"
    decision = archived.get(source_step="notification").data["disposition_decision"]
    assert (decision["measure"], decision["outcome"]) == ("removal", "removed")


def test_an_appeal_is_a_task_of_the_upper_organization_and_is_answered(tree, client_for):
    process = run_case(tree, tree.member, "removal")
    member = client_for(tree.member.user)
    filed = member.post(
        f"/api/dispositions/{process.pk}/appeal/",
        {"date": "2026-06-01", "text": "本人已于2026年3月恢复联系，请求复查"},
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    assert [step["step"] for step in filed.json()["current_steps"]] == ["appeal_review"]
    # A second appeal waits for the first one's answer.
    assert (
        member.post(f"/api/dispositions/{process.pk}/appeal/", {"text": "再次申诉"}, format="json").status_code == 409
    )
    assert task_of(client_for(tree.reviewer), filed.json()["process"], "appeal_review")["org"] == tree.t1.pk

    complete(
        client_for(tree.reviewer),
        filed.json()["process"],
        "appeal_review",
        datetime.date(2026, 7, 15),
        "dismiss",
        answer="经复查，原处置决定事实清楚，维持原决定",
    )
    appeal = member.get(f"/api/dispositions/{process.pk}/").json()["appeals"][0]
    assert (appeal["status"], appeal["outcome"], appeal["answered_on"]) == ("answered", "dismissed", "2026-07-15")
    tree.member.refresh_from_db()
    assert tree.member.status == Status.REMOVED


def test_an_appeal_granted_revokes_the_decision(tree, client_for):
    process = run_case(tree, tree.member, "rectification")
    filed = client_for(tree.secretary).post(
        f"/api/dispositions/{process.pk}/appeal/", {"date": "2026-06-01", "text": "代为登记的书面申诉"}, format="json"
    )
    assert filed.status_code == 201, filed.json()
    complete(
        client_for(tree.reviewer),
        filed.json()["process"],
        "appeal_review",
        datetime.date(2026, 6, 20),
        "grant",
        answer="撤销",
    )
    detail = client_for(tree.reviewer).get(f"/api/dispositions/{process.pk}/").json()
    assert (detail["outcome"], detail["status"], detail["person_status"]) == ("revoked", "canceled", "active")
    assert detail["current_steps"] == []


def test_an_appeal_goes_to_the_county_where_the_county_approved(tree, client_for):
    from orgs.county_settings import set_setting

    set_setting(actor=tree.admin, key="disposition.county_approval", value=True, effective_from=today())
    start = today() - datetime.timedelta(days=3)
    secretary = client_for(tree.secretary)
    opened = secretary.post(
        "/api/dispositions/",
        {"person": tree.member.pk, "grounds": "collective_petition", "measure": "removal", "date": start.isoformat()},
        format="json",
    ).json()
    process = opened["id"]
    complete(secretary, process, "investigation", start, **investigation(tree, "removal"))
    complete(client_for(tree.reviewer), process, "pre_review", start)
    complete(client_for(tree.admin), process, "higher_pre_review", start)
    complete(secretary, process, "general_meeting_vote", start, **vote())
    complete(client_for(tree.reviewer), process, "approval", today())
    complete(client_for(tree.admin), process, "county_approval", today())
    filed = client_for(tree.member.user).post(f"/api/dispositions/{process}/appeal/", {"text": "申诉"}, format="json")
    assert filed.status_code == 201, filed.json()
    assert [step["step"] for step in filed.json()["current_steps"]] == ["county_appeal_review"]


def test_an_appeal_comes_after_a_decision(tree, client_for):
    process = run_case(tree, tree.member, "removal", through="general_meeting_vote")
    refused = client_for(tree.member.user).post(
        f"/api/dispositions/{process.pk}/appeal/", {"text": "申诉"}, format="json"
    )
    assert refused.status_code == 400
    assert "detail" in refused.json() and "errors" in refused.json()


def test_only_the_branch_opens_a_case_and_a_refused_case_writes_nothing(tree, client_for):
    body = {"person": tree.member.pk, "grounds": "appraisal_unqualified", "measure": "removal", "date": "2026-03-02"}
    assert client_for(tree.reviewer).post("/api/dispositions/", body, format="json").status_code == 403
    assert client_for(tree.secretary_b2).post("/api/dispositions/", body, format="json").status_code == 404
    too_long = {**body, "measure": "rectification", "rectification_months": 18}
    refused = client_for(tree.secretary).post("/api/dispositions/", too_long, format="json")
    assert refused.status_code == 400
    assert "rectification_months" in refused.json()["errors"]
    assert client_for(tree.secretary).get("/api/dispositions/").json()["count"] == 0


def test_a_case_outside_the_callers_scope_or_county_answers_404(tree, client_for, county_b):
    from django.contrib.auth import get_user_model

    from tests.conftest import in_county

    with in_county(tree.county):
        process = run_case(tree, tree.member, "removal")
        other_branch = client_for(tree.secretary_b2)
        assert other_branch.get(f"/api/dispositions/{process.pk}/").status_code == 404
        assert (
            other_branch.post(f"/api/dispositions/{process.pk}/appeal/", {"text": "x"}, format="json").status_code
            == 404
        )
        assert client_for(tree.reviewer).get(f"/api/dispositions/{process.pk}/").status_code == 200
        assert client_for(tree.member.user).get(f"/api/dispositions/{process.pk}/").status_code == 200
    admin_b = get_user_model().objects.get(username="admin")
    client_b = CountyClient(county_b).as_user(admin_b)
    assert client_b.get(f"/api/dispositions/{process.pk}/").status_code == 404
    assert client_b.post(f"/api/dispositions/{process.pk}/appeal/", {"text": "x"}, format="json").status_code == 404
    assert client_b.get("/api/dispositions/proposals/").json()["count"] == 0
