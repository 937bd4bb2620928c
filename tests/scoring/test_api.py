"""The scoring API (API.md "Scoring"): names and shapes as the contract fixes them, scope, and simulation."""

import io
from decimal import Decimal

import openpyxl

from scoring.models import Entry, Result, Scheme
from scoring.services import approve_entry, declare_entry, publish, review_entry
from tests.conftest import CountyClient

from .conftest import YEAR, day, member, scheme

RESULT_KEYS = {"person", "year", "total", "components", "grade", "vetoed_by", "consequences"}


def _as(county, user) -> CountyClient:
    return CountyClient(county).as_user(user)


def _final(entry, secretary):
    review_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    return approve_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)


def test_a_preset_fills_the_configuration_and_an_edit_is_a_new_version(admin_api_a):
    response = admin_api_a.post(
        "/api/scoring/schemes/", {"year": YEAR, "preset": "red_yellow", "name": "红黄榜"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "year", "preset", "name", "config"} <= set(body)
    assert [band["code"] for band in body["config"]["bands"]] == ["class_1", "class_2", "class_3", "class_4"]

    config = body["config"]
    config["components"][0]["cap"] = "50"
    response = admin_api_a.patch(f"/api/scoring/schemes/{body['id']}/", {"config": config, "note": "base 50"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    versions = admin_api_a.get(f"/api/scoring/schemes/{body['id']}/versions/").json()
    assert [(v["version"], v["config"]["components"][0]["cap"]) for v in versions] == [(1, "60"), (2, "50")]


def test_a_configuration_error_answers_400_with_the_path_and_writes_nothing(admin_api_a):
    config = {"components": [{"code": "base", "label": "基础分"}], "items": [{"code": "x", "label": "x", "component": "base", "points": "1+1"}]}
    response = admin_api_a.post("/api/scoring/schemes/", {"year": YEAR, "name": "mine", "config": config}, format="json")
    assert response.status_code == 400
    assert {"detail", "errors"} <= set(response.json())
    assert "config.items[0].points" in response.json()["errors"]
    assert not Scheme.objects.exists()


def test_only_the_county_sets_schemes(county_a, tree, secretary):
    response = _as(county_a, secretary).post("/api/scoring/schemes/", {"year": YEAR, "preset": "twelve_point", "name": "x"}, format="json")
    assert response.status_code == 403


def test_a_member_declares_an_entry_and_the_branch_reviews_and_approves_it(county_a, admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    response = _as(county_a, alice.user).post(
        "/api/scoring/entries/",
        {"person": alice.pk, "item": "late_dues", "date": "2025-03-10", "quantity": 1, "note": "paid in April"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry = response.json()
    assert (entry["status"], entry["source"]) == ("declared", "member")

    branch = _as(county_a, secretary)
    assert branch.post(f"/api/scoring/entries/{entry['id']}/review/", {"decision": "approve", "date": "2025-03-12"}, format="json").status_code == 200
    approved = branch.post(f"/api/scoring/entries/{entry['id']}/approve/", {"decision": "approve", "date": "2025-03-20"}, format="json")
    assert approved.json()["status"] == "approved"
    again = branch.post(f"/api/scoring/entries/{entry['id']}/approve/", {"decision": "approve"}, format="json")
    assert again.status_code == 409

    listed = branch.get(f"/api/scoring/entries/?person={alice.pk}&year={YEAR}").json()
    assert [row["id"] for row in listed["results"]] == [entry["id"]]
    result = _as(county_a, alice.user).get(f"/api/scoring/results/{alice.pk}/?year={YEAR}").json()
    assert set(result) >= RESULT_KEYS
    assert (result["total"], result["grade"], result["vetoed_by"], result["consequences"]) == ("10.00", "", "", [])


def test_a_member_sees_their_own_result_and_their_branch_list_nothing_else(county_a, admin_a, tree, secretary, alice, bob):
    scheme(admin_a, "red_yellow")
    neighbour = member(tree.branch)
    for person in (alice, neighbour):
        _final(declare_entry(actor=secretary, person=person, item="study", date=day(3), quantity=5), secretary)
    other_secretary_user = _role(tree.other_branch)
    _final(declare_entry(actor=other_secretary_user, person=bob, item="study", date=day(3), quantity=7), other_secretary_user)
    publish(actor=secretary, org=tree.branch, year=YEAR, period="h1", date=day(7, 1))
    publish(actor=other_secretary_user, org=tree.other_branch, year=YEAR, period="h1", date=day(7, 1))

    client = _as(county_a, alice.user)
    listed = client.get(f"/api/scoring/results/?year={YEAR}").json()
    assert [row["person"] for row in listed["results"]] == [alice.pk]
    assert client.get(f"/api/scoring/results/{neighbour.pk}/?year={YEAR}").status_code == 404
    assert client.get(f"/api/scoring/entries/?person={neighbour.pk}").json()["count"] == 0
    lists = client.get("/api/scoring/publications/").json()["results"]
    assert [(row["org"], sorted(r["person"] for r in row["rows"])) for row in lists] == [
        (tree.branch.pk, sorted([alice.pk, neighbour.pk, _secretary_person_id(secretary)]))
    ]
    assert client.post("/api/scoring/publications/", {"org": tree.branch.pk, "year": YEAR, "period": "h2"}, format="json").status_code == 403


def _role(org):
    from orgs.models import Role

    from .conftest import user_with_role

    return user_with_role(org, Role.BRANCH_SECRETARY)


def _secretary_person_id(user) -> int:
    return user.person.pk


def test_a_branch_sees_its_subtree_results_and_the_county_filters_by_org(county_a, admin_api_a, admin_a, tree, secretary, alice, bob):
    scheme(admin_a, "twelve_point")
    _final(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3)), secretary)
    people = {row["person"] for row in _as(county_a, secretary).get(f"/api/scoring/results/?year={YEAR}").json()["results"]}
    assert alice.pk in people and bob.pk not in people
    county = admin_api_a.get(f"/api/scoring/results/?year={YEAR}&org={tree.other_branch.pk}").json()
    assert [row["person"] for row in county["results"]] == [bob.pk]
    assert county["results"][0]["total"] == "12.00"


def test_results_filtered_by_a_consequence_list_who_is_due_a_talk_or_a_probation_extension(
    county_a, admin_a, tree, secretary, reviewer, alice
):
    scheme(admin_a, "deduction_base100")
    probationary = member(tree.branch, stage="probationary")
    for person, quantity in ((alice, 1), (probationary, 2)):
        entry = declare_entry(actor=secretary, person=person, item="discipline_breach", date=day(3), quantity=quantity, evidence=["通报"])
        review_entry(actor=secretary, entry=entry, decision="approve", date=day(3))
        approve_entry(actor=reviewer, entry=entry, decision="approve", date=day(3))
    api = _as(county_a, secretary)
    talks = api.get(f"/api/scoring/results/?year={YEAR}&consequence=talk_reminder").json()["results"]
    # alice 100 − 5 = 95 and the probationary member 89: both under 96, the branch secretary talks with them
    assert {row["person"] for row in talks} == {alice.pk, probationary.pk}
    extensions = api.get(f"/api/scoring/results/?year={YEAR}&consequence=probation_extension_proposal").json()["results"]
    # 100 − 5 − 5 × 1.2 = 89: 90分(含)以下, a probationary member's probation may be extended 6 to 12 months
    assert [(row["person"], row["total"]) for row in extensions] == [(probationary.pk, "89.00")]
    assert api.get(f"/api/scoring/results/?year={YEAR}&consequence=fine").status_code == 400


def test_simulation_scores_a_past_year_under_another_scheme_without_saving(admin_api_a, admin_a, tree, secretary, alice):
    twelve = scheme(admin_a, "twelve_point")
    _final(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3)), secretary)
    config = dict(twelve.config, start="100")
    before = Result.objects.get(person=alice).total
    response = admin_api_a.post(f"/api/scoring/schemes/{twelve.pk}/simulate/", {"config": config, "org": tree.branch.pk}, format="json")
    assert response.status_code == 200
    body = response.json()
    simulated = {row["person"]: row for row in body["results"]}
    assert simulated[alice.pk]["total"] == "98.00"  # 100 − 2 under the configuration being tried
    assert set(simulated[alice.pk]) >= RESULT_KEYS
    assert Result.objects.get(person=alice).total == before == Decimal("10")
    assert Scheme.objects.get(pk=twelve.pk).config["start"] == "12"


def test_results_export_as_a_spreadsheet(admin_api_a, admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    _final(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3)), secretary)
    response = admin_api_a.get(f"/api/scoring/results.xlsx?year={YEAR}&org={tree.branch.pk}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == alice.name]
    assert rows and rows[0][2] == 10


def test_an_entry_out_of_scope_is_refused_like_an_unknown_one(county_a, admin_a, tree, secretary, bob):
    scheme(admin_a, "twelve_point")
    response = _as(county_a, secretary).post(
        "/api/scoring/entries/", {"person": bob.pk, "item": "late_dues", "date": "2025-03-10"}, format="json"
    )
    assert response.status_code == 400
    assert "person" in response.json()["errors"]
    assert not Entry.objects.exists()


def test_review_steps_are_tasks_in_the_shared_inbox(county_a, admin_a, tree, secretary, reviewer, alice):
    scheme(admin_a, "deduction_base100")
    entry = declare_entry(actor=secretary, person=alice, item="discipline_breach", date=day(2), evidence=["case 7"])
    branch = _as(county_a, secretary)
    tasks = branch.get("/api/tasks/?flow=scoring").json()["results"]
    assert [(task["flow"], task["step"], task["person"], task["org"]) for task in tasks] == [
        ("scoring", "branch_review", alice.pk, tree.branch.pk)
    ]
    done = branch.post(f"/api/tasks/{tasks[0]['id']}/complete/", {"decision": "approve", "date": "2025-02-12"}, format="json")
    assert done.status_code == 200, done.json()
    assert branch.get("/api/tasks/?flow=scoring").json()["results"] == []  # 5 points: the committee meeting approves

    committee = _as(county_a, reviewer)
    tasks = committee.get("/api/tasks/?flow=scoring").json()["results"]
    assert [(task["step"], task["org"]) for task in tasks] == [("committee_approval", tree.committee.pk)]
    done = committee.post(f"/api/tasks/{tasks[0]['id']}/complete/", {"decision": "approve", "date": "2025-02-20"}, format="json")
    assert done.status_code == 200, done.json()
    entry.refresh_from_db()
    assert entry.status == "approved"
    assert Result.objects.get(person=alice).total == Decimal("95")  # 100 − 5
    history = committee.get(f"/api/processes/{entry.process_id}/").json()["history"]
    assert [(h["step"], h["decision"]) for h in history] == [
        ("declaration", "submit"),
        ("branch_review", "approve"),
        ("committee_approval", "approve"),
    ]
