"""Where the decisions other than "approve" send an admission: ends, returns, repeats, extension, cancellation."""

import datetime

from dateutil.relativedelta import relativedelta

from members.models import Person, Stage, Status
from tests.conftest import CountyClient
from workflows.models import Outcome, StepRecord

from .pipeline import (
    PROBATION_END,
    VOTE_DATE,
    Entry,
    fresh,
    happy_path,
    open_task,
    open_tasks,
    record,
    run_until,
    start,
    vote,
)


def steps_open(process) -> list[str]:
    return [task.step for task in open_tasks(process)]


def test_a_rejected_application_ends_with_its_reason(api_a, tree, actors, applicant):
    process = start(actors, applicant, tree.branch)
    api = api_a.as_user(actors.branch)
    talk = open_task(process, "talk")

    no_reason = api.post(
        f"/api/tasks/{talk.task_id}/complete/",
        {"decision": "reject", "date": "2023-03-15", "data": {"talker": "王书记"}},
        format="json",
    )
    assert no_reason.status_code == 400
    assert "data.reason" in no_reason.json()["errors"]

    response = api.post(
        f"/api/tasks/{talk.task_id}/complete/",
        {"decision": "reject", "date": "2023-03-15", "data": {"talker": "王书记", "reason": "入党动机不端正"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    admission = api.get(f"/api/admissions/{process.pk}/").json()
    assert (admission["status"], admission["outcome"], admission["end_reason"]) == ("done", "rejected", "入党动机不端正")
    assert admission["ended_on"] == "2023-03-15"
    assert admission["next_steps"] == []
    person = Person.objects.get(pk=applicant.pk)
    assert (person.stage, person.status) == (Stage.APPLICANT, Status.REJECTED)


def test_the_activist_decision_may_refuse_the_application(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "activist_decision")
    record(process, actors, path[0], decision="reject", data={"recommended_by": ["members"], "reason": "群众意见较大"})
    process = fresh(process)
    assert process.admission.outcome == Outcome.REJECTED
    assert process.person.status == Status.REJECTED
    assert steps_open(process) == []


def test_cultivation_repeats_every_six_months_until_the_branch_proposes(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "cultivation")
    first = open_task(process, "cultivation")
    assert first.due_date == datetime.date(2023, 10, 10)  # six months after the activist decision of 2023-04-10

    record(process, actors, Entry("cultivation", datetime.date(2023, 10, 9), "continue", {"assessment": "良好"}))
    second = open_task(process, "cultivation")
    assert second.due_date == datetime.date(2024, 4, 9)

    record(process, actors, Entry("cultivation", datetime.date(2024, 4, 8), "propose", {"assessment": "成熟"}))
    assert steps_open(process) == ["candidate_decision"]


def test_a_candidate_decision_not_taken_keeps_the_activist_in_cultivation(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "candidate_decision")
    record(process, actors, path[0], decision="reject", data={"reason": "还需继续培养"})
    assert steps_open(process) == ["cultivation"]
    assert fresh(process).person.stage == Stage.ACTIVIST


def test_a_candidate_not_passed_by_the_vote_returns_to_activist_and_cultivation(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "admission_vote")
    assert fresh(process).person.stage == Stage.CANDIDATE

    record(process, actors, path[0], decision="reject", data={**vote(in_favour=9, against=6), "reason": "赞成票未过半"})

    process = fresh(process)
    assert process.person.stage == Stage.ACTIVIST
    assert process.admission.candidate_since is None
    assert process.admission.activist_since == datetime.date(2023, 4, 10)
    assert steps_open(process) == ["cultivation"]
    assert open_task(process, "cultivation").due_date == VOTE_DATE + relativedelta(months=6)
    assert process.admission.outcome == ""


def test_the_committee_not_approving_returns_the_candidate_to_activist(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "admission_approval")
    record(process, actors, path[0], decision="reject", data={"reason": "材料不全"})
    process = fresh(process)
    assert process.person.stage == Stage.ACTIVIST
    assert steps_open(process) == ["cultivation"]


def test_a_failed_political_review_ends_the_admission(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "political_review")
    record(process, actors, path[0], decision="reject", data={"conclusion": "不合格", "reason": "政治审查不合格"})
    process = fresh(process)
    assert process.admission.outcome == Outcome.REJECTED
    assert steps_open(process) == []


def test_probation_assessments_repeat_each_quarter_of_the_probation(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "probation_assessment")
    dues = []
    for day in (datetime.date(2024, 10, 14), datetime.date(2025, 1, 13), datetime.date(2025, 4, 14), datetime.date(2025, 7, 14)):
        dues.append(open_task(process, "probation_assessment").due_date)
        record(process, actors, Entry("probation_assessment", day, data={"assessment": "合格"}))
    assert dues == [VOTE_DATE + relativedelta(months=3 * quarter) for quarter in (1, 2, 3, 4)]
    assert steps_open(process) == ["conversion_application"]
    assert open_task(process, "conversion_application").due_date == PROBATION_END


def test_an_extended_probation_moves_its_end_and_the_assessments_continue(api_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "conversion_vote")
    api = api_a.as_user(actors.branch)
    task = open_task(process, "conversion_vote")
    response = api.post(
        f"/api/tasks/{task.task_id}/complete/",
        {"decision": "extend", "date": "2025-07-18", "data": {**vote(), "months": 6}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    process = fresh(process)
    assert process.admission.extended_months == 6
    assert process.admission.probation_end == PROBATION_END + relativedelta(months=6)
    assert process.person.stage == Stage.PROBATIONARY

    record(process, actors, path[1])  # the committee approves the extension
    assert steps_open(process) == ["probation_assessment"]
    for day in (datetime.date(2025, 10, 13), datetime.date(2026, 1, 12)):
        record(process, actors, Entry("probation_assessment", day, data={"assessment": "合格"}))
    assert steps_open(process) == ["conversion_application"]
    record(process, actors, Entry("conversion_application", datetime.date(2026, 1, 15)))

    again = open_task(process, "conversion_vote")
    twice = CountyClient(api_a.county).as_user(actors.branch).post(
        f"/api/tasks/{again.task_id}/complete/",
        {"decision": "extend", "date": "2026-01-20", "data": {**vote(), "months": 6}},
        format="json",
    )
    assert twice.status_code == 400
    assert "decision" in twice.json()["errors"]

    record(process, actors, Entry("conversion_vote", datetime.date(2026, 1, 20), "convert", vote()))
    record(process, actors, Entry("conversion_approval", datetime.date(2026, 2, 10)))
    person = Person.objects.get(pk=applicant.pk)
    assert (person.stage, person.party_standing_since) == (Stage.FULL, datetime.date(2026, 1, 15))


def test_a_cancelled_probation_ends_the_admission(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "conversion_vote")
    record(
        process,
        actors,
        Entry("conversion_vote", datetime.date(2025, 7, 18), "cancel", {**vote(), "reason": "不具备党员条件"}),
    )
    process = fresh(process)
    assert process.person.status == Status.PROBATION_CANCELLED
    assert process.admission.outcome == Outcome.PROBATION_CANCELLED
    assert process.admission.end_reason == "不具备党员条件"
    record(process, actors, Entry("conversion_approval", datetime.date(2025, 8, 1)))
    record(process, actors, Entry("archive", datetime.date(2025, 8, 10), data={"keeper": "committee"}))
    process = fresh(process)
    assert process.status == "DONE"
    assert process.person.stage == Stage.PROBATIONARY
    assert StepRecord.objects.filter(process=process, step="archive").exists()
