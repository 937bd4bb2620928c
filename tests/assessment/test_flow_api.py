"""The yearly cycle as tasks of the inbox, through the API: the branch's self-assessment, the committee's
on-site check, report appraisal, satisfaction survey and confirmation; the county's for a committee."""

from scoring.assessment.models import Assessment, IndicatorScore

from .conftest import YEAR
from .helpers import complete, full_marks, task_of


def _open(client, scheme, org, **extra):
    response = client.post("/api/assessments/", {"scheme": scheme.pk, "org": org.pk, "date": f"{YEAR}-12-01", **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_cycle_runs_through_the_inbox_from_self_assessment_to_the_confirmed_result(tree, annual, client_for):
    committee, branch = client_for(tree.reviewer), client_for(tree.secretary)
    opened = _open(committee, annual, tree.b1, due_on=f"{YEAR + 1}-01-31")
    assessment = opened["id"]
    assert [step["step"] for step in opened["open_steps"]] == ["self_assessment"]
    # The self-assessment is the branch's task, not the committee's.
    assert not [t for t in committee.get("/api/tasks/?flow=assessment").json()["results"] if t["step"] == "self_assessment"]

    # Self-assessment: every award at full marks but one: 100 − 1 (a3_4_1 at 1 of 2) = 99.
    sheet = branch.post(f"/api/assessments/{assessment}/sheets/self/", {"scores": full_marks(annual.config, {"a3_4_1": 1})},
                        format="json")
    assert sheet.status_code == 200, sheet.json()
    complete(branch, assessment, "self_assessment", f"{YEAR}-12-05", {"report": "全年党建工作自评报告"})

    # On-site check by the committee: 100 − 2 (a2_2_1 at 0 of 2) − 4 (a4_4_1 at 0 of 4) = 94.
    committee.post(f"/api/assessments/{assessment}/sheets/onsite/",
                   {"scores": full_marks(annual.config, {"a2_2_1": 0, "a4_4_1": 0})}, format="json")
    complete(committee, assessment, "onsite_check", f"{YEAR}-12-10", {"summary": "档案不全"})
    complete(committee, assessment, "report_appraisal", f"{YEAR}-12-15",
             {"meeting_on": f"{YEAR}-12-15", "report": "书记述职", "appraisers": 9, "score": "88"})
    # Satisfaction: (40×100 + 10×60 + 0×0) ÷ 50 = 92.
    complete(committee, assessment, "satisfaction_survey", f"{YEAR}-12-16",
             {"satisfied": 40, "basically_satisfied": 10, "unsatisfied": 0})
    complete(committee, assessment, "result_confirmation", f"{YEAR}-12-20", decision="approve")

    result = committee.get(f"/api/assessments/{assessment}/").json()
    # 0.4 × 94 + 0.3 × 88 + 0.2 × 92 + 0.1 × 99 = 37.6 + 26.4 + 18.4 + 9.9 = 92.30 → excellent, five stars.
    assert (result["self_score"], result["onsite_score"], result["report_score"], result["satisfaction_score"]) == (
        "99.00", "94.00", "88.00", "92.00")
    assert result["total"] == "92.30"
    assert (result["status"], result["grade"], result["stars"]) == ("confirmed", "excellent", 5)
    assert result["open_steps"] == []
    # The overrides of the evidence on the on-site sheet carry their reason.
    archive = IndicatorScore.objects.get(assessment_id=assessment, stage="onsite", criterion="a4_4_1")
    assert archive.value == 0 and archive.reason == "现场核实"


def test_a_primary_committee_is_assessed_by_the_county_and_does_its_own_self_assessment(tree, annual, client_for):
    county, committee = client_for(tree.admin), client_for(tree.reviewer)
    refused = committee.post("/api/assessments/", {"scheme": annual.pk, "org": tree.t1.pk}, format="json")
    assert refused.status_code in (400, 403)  # a committee does not open its own assessment
    assessment = _open(county, annual, tree.t1)["id"]
    assert task_of(committee, assessment, "committee_self_assessment")
    committee.post(f"/api/assessments/{assessment}/sheets/self/", {"scores": full_marks(annual.config)}, format="json")
    complete(committee, assessment, "committee_self_assessment", f"{YEAR}-12-05", {"report": "自评"})
    assert task_of(county, assessment, "county_onsite_check")
    assert not [t for t in committee.get("/api/tasks/?flow=assessment").json()["results"] if t["step"] == "county_onsite_check"]


def test_a_sheet_is_submitted_only_when_every_award_is_scored(tree, annual, client_for):
    committee, branch = client_for(tree.reviewer), client_for(tree.secretary)
    assessment = _open(committee, annual, tree.b1)["id"]
    lines = [line for line in full_marks(annual.config) if line["criterion"] != "a1_1_1"]
    branch.post(f"/api/assessments/{assessment}/sheets/self/", {"scores": lines}, format="json")
    response = branch.post(f"/api/tasks/{task_of(branch, assessment, 'self_assessment')}/complete/",
                           {"date": f"{YEAR}-12-05", "data": {"report": "自评"}}, format="json")
    assert response.status_code == 400
    assert "Score “①贯彻执行党的路线" in response.json()["detail"]
    assert Assessment.objects.get(pk=assessment).self_score is None


def test_an_assessment_outside_the_callers_subtree_does_not_exist_for_them(tree, annual, client_for):
    assessment = _open(client_for(tree.reviewer), annual, tree.b1)["id"]
    other = client_for(tree.secretary_b2)
    assert other.get(f"/api/assessments/{assessment}/").status_code == 404
    assert other.post(f"/api/assessments/{assessment}/sheets/self/", {"scores": []}, format="json").status_code == 404
    assert client_for(tree.secretary).get(f"/api/assessments/{assessment}/").status_code == 200
