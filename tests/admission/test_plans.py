"""The annual development plan: quotas and structure targets, the vote beyond the quota, the pipeline page."""

import datetime

from django.db import connection
from django.test import Client

from members.models import Category, Stage
from tests.factories import OrganizationFactory, PersonFactory
from tests.workflows.conftest import make_applicant
from workflows.models import StepRecord

from .pipeline import VOTE_DATE, fresh, happy_path, open_task, record, run_until, start, vote

D = datetime.date


def set_plan(api, committee, year: int = 2024, quota: int = 1, **targets):
    return api.post(
        "/api/admissions/plans/", {"year": year, "committee": committee.pk, "quota": quota, "targets": targets}, format="json"
    )


def at_the_vote(actors, tree, members, person):
    process = start(actors, person, tree.branch)
    run_until(process, actors, happy_path(members), "admission_vote")
    return process


def test_admission_vote_within_the_annual_quota(api_a, tree, actors, applicant, members):
    assert set_plan(api_a.as_user(actors.county), tree.committee, quota=1).status_code == 201
    first = at_the_vote(actors, tree, members, applicant)
    second = at_the_vote(actors, tree, members, make_applicant(tree.branch))

    branch = api_a.as_user(actors.branch)
    task = open_task(first, "admission_vote")
    assert branch.post(f"/api/tasks/{task.task_id}/complete/", {"date": VOTE_DATE.isoformat(), "data": vote()}, format="json").status_code == 200

    task = open_task(second, "admission_vote")
    beyond = branch.post(f"/api/tasks/{task.task_id}/complete/", {"date": VOTE_DATE.isoformat(), "data": vote()}, format="json")
    assert beyond.status_code == 400
    assert "decision" in beyond.json()["errors"]
    assert "城关镇党委" in beyond.json()["detail"]
    assert StepRecord.objects.filter(step="admission_vote").count() == 1
    # A vote that does not pass needs no place.
    rejected = {"date": VOTE_DATE.isoformat(), "decision": "reject", "data": {**vote(in_favour=5, against=10), "reason": "票数不足"}}
    assert branch.post(f"/api/tasks/{task.task_id}/complete/", rejected, format="json").status_code == 200


def test_admission_vote_within_the_annual_quota_a_county_approval_adds_places(api_a, tree, actors, applicant, members):
    county = api_a.as_user(actors.county)
    set_plan(county, tree.committee, quota=0)
    process = at_the_vote(actors, tree, members, applicant)
    task = open_task(process, "admission_vote")
    body = {"date": VOTE_DATE.isoformat(), "data": vote()}
    assert api_a.as_user(actors.branch).post(f"/api/tasks/{task.task_id}/complete/", body, format="json").status_code == 400

    approval = {"year": 2024, "committee": tree.committee.pk, "places": 1, "reason": "优秀青年农民", "approved_on": "2024-07-01"}
    assert api_a.as_user(actors.committee).post("/api/admissions/quota-approvals/", approval, format="json").status_code == 403
    assert api_a.as_user(actors.county).post("/api/admissions/quota-approvals/", {**approval, "reason": ""}, format="json").status_code == 400
    assert api_a.as_user(actors.county).post("/api/admissions/quota-approvals/", approval, format="json").status_code == 201
    assert api_a.as_user(actors.branch).post(f"/api/tasks/{task.task_id}/complete/", body, format="json").status_code == 200


def test_a_year_without_a_plan_sets_no_quota(tree, actors, applicant, members):
    process = at_the_vote(actors, tree, members, applicant)
    record(process, actors, happy_path(members)[15])
    assert fresh(process).admission.vote_date == VOTE_DATE


def test_plans_are_set_by_the_county(api_a, tree, actors):
    assert set_plan(api_a.as_user(actors.committee), tree.committee).status_code == 403
    county = api_a.as_user(actors.county)
    assert set_plan(county, tree.committee, quota=5, nobody=1).status_code == 400
    assert set_plan(county, tree.committee, quota=5, female=6).status_code == 400
    village = OrganizationFactory(kind="committee", approval_authority=False, name="某村党委")
    assert set_plan(county, village).status_code == 400
    assert set_plan(county, tree.committee, quota=5, female=2, youth=3).status_code == 201
    revised = set_plan(county, tree.committee, quota=6, female=2)
    assert revised.status_code == 201
    plans = api_a.as_user(actors.committee).get("/api/admissions/plans/?year=2024").json()["results"]
    assert [(p["committee"], p["quota"], p["targets"]) for p in plans] == [(tree.committee.pk, 6, {"female": 2})]


def test_the_pipeline_shows_people_per_stage_overdue_tasks_and_plan_against_actual(county_a, api_a, tree, actors, applicant, members):
    set_plan(api_a.as_user(actors.county), tree.committee, quota=3, youth=2, young_farmers=1, female=1)
    young_farmer = make_applicant(tree.branch, born=D(1996, 1, 5))
    young_farmer.category = Category.VILLAGE
    young_farmer.save()
    process = at_the_vote(actors, tree, members, young_farmer)
    record(process, actors, happy_path(members)[15])  # the vote passes on 2024-07-15
    start(actors, applicant, tree.branch)  # an applicant whose talk is long overdue
    PersonFactory(org=tree.other_branch, stage=Stage.ACTIVIST)

    rows = api_a.as_user(actors.committee).get("/api/admissions/pipeline/?year=2024").json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["stages"] == {"applicant": 1, "activist": 1, "candidate": 1, "probationary": 0}
    assert row["overdue_tasks"] == 2  # the talk and the committee talk after the vote
    assert (row["quota"], row["places"], row["admitted"]) == (3, 3, 1)
    targets = {target["group"]: (target["target"], target["actual"]) for target in row["targets"]}
    assert targets["youth"] == (2, 1)
    assert targets["young_farmers"] == (1, 1)
    assert targets["female"] == (1, 0)
    assert targets["non_public_enterprise"] == (None, 0)

    browser = Client(HTTP_HOST=f"{county_a.slug}.localhost")
    browser.force_login(actors.committee)
    try:
        page = browser.get("/pipeline/?year=2024")
    finally:
        connection.set_tenant(county_a)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="committee-{tree.committee.pk}"' in html
    assert 'class="overdue"' in html
