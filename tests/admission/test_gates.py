"""County gates (DOMAIN.md §4): off by default; switched on from a day, each is a task with its actor and record."""

import datetime

from members.models import ArchiveKind, Stage, Status
from orgs.models import CountySetting
from tests.workflows.conftest import make_applicant
from workflows.models import Outcome, StepRecord

from .pipeline import Entry, fresh, happy_path, open_task, open_tasks, record, run_until, start

D = datetime.date
LONG_AGO = D(2020, 1, 1)


def switch_on(gate: str, from_: datetime.date = LONG_AGO) -> None:
    # A county admin switches a gate on from today or later (orgs.county_settings.set_setting); these
    # processes run on past dates, so the setting is written as if it had been switched on back then.
    CountySetting.objects.create(key=f"admission.gate.{gate}", value=True, effective_from=from_)


def steps_open(process) -> list[str]:
    return [task.step for task in open_tasks(process)]


def test_every_gate_is_off_by_default(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    for entry in happy_path(members):
        record(process, actors, entry)
    recorded = set(StepRecord.objects.filter(process=process).values_list("step", flat=True))
    gates = {"written_test", "onsite_evaluation", "second_recommendation", "county_joint_review",
             "close_relative_review", "public_defense", "second_political_review"}  # fmt: skip
    assert not recorded & gates


def test_written_test_before_the_activist_decision(tree, actors, applicant, members):
    switch_on("written_test")
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "activist_decision")
    test = open_task(process, "written_test")
    assert (test.actor, test.org) == ("committee", tree.committee)
    record(process, actors, Entry("written_test", D(2023, 3, 25), data={"score": 86}))
    assert steps_open(process) == ["activist_decision"]
    record(process, actors, path[0])
    assert fresh(process).person.stage == Stage.ACTIVIST
    filed = fresh(process).person.archive_entries.get(source_step="written_test")
    assert (filed.kind, filed.data["score"]) == (ArchiveKind.GATE, 86)


def test_a_failed_written_test_ends_the_application(tree, actors, applicant, members):
    switch_on("written_test")
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "activist_decision")
    record(process, actors, Entry("written_test", D(2023, 3, 25), "reject", {"score": 41, "reason": "测试未达标"}))
    process = fresh(process)
    assert (process.admission.outcome, process.person.status) == (Outcome.REJECTED, Status.REJECTED)
    assert steps_open(process) == []


def test_a_gate_applies_from_the_day_the_county_switches_it_on(tree, actors, applicant, members):
    switch_on("written_test", from_=D(2023, 3, 16))
    before = start(actors, applicant, tree.branch)
    record(before, actors, Entry("talk", D(2023, 3, 15), data={"talker": "王书记"}))
    assert steps_open(before) == ["activist_decision"]

    later = start(actors, make_applicant(tree.branch), tree.branch)
    record(later, actors, Entry("talk", D(2023, 3, 16), data={"talker": "王书记"}))
    assert steps_open(later) == ["written_test"]


def test_second_recommendation_and_onsite_evaluation_before_the_candidate_decision(tree, actors, applicant, members):
    switch_on("second_recommendation")
    switch_on("onsite_evaluation")
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "candidate_decision")
    recommendation = open_task(process, "second_recommendation")
    assert recommendation.actor == "branch"
    record(process, actors, Entry("second_recommendation", D(2024, 4, 9), data={"participants": 40, "in_favour": 35}))
    evaluation = open_task(process, "onsite_evaluation")
    assert evaluation.actor == "committee"
    record(process, actors, Entry("onsite_evaluation", D(2024, 4, 11), data={"evaluation": "实地评价合格"}))
    assert steps_open(process) == ["candidate_decision"]
    record(process, actors, path[0])
    assert fresh(process).person.stage == Stage.CANDIDATE


def test_an_onsite_evaluation_not_passed_keeps_the_activist_in_cultivation(tree, actors, applicant, members):
    switch_on("onsite_evaluation")
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "candidate_decision")
    record(process, actors, Entry("onsite_evaluation", D(2024, 4, 11), "reject", {"evaluation": "不合格", "reason": "群众认可度低"}))
    assert steps_open(process) == ["cultivation"]
    assert fresh(process).person.stage == Stage.ACTIVIST


def test_county_joint_review_and_close_relative_review_after_the_public_notice(tree, actors, applicant, members):
    switch_on("county_joint_review")
    switch_on("close_relative_review")
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "political_review")
    record(process, actors, path[0], data={"conclusion": "合格", "close_relative_of": "镇党委副书记张某之子"})
    run_until(process, actors, path[1:], "pre_review")

    joint = open_task(process, "county_joint_review")
    assert joint.actor == "county"
    record(
        process,
        actors,
        Entry("county_joint_review", D(2024, 6, 24), data={"departments": ["公安局", "法院", "纪委监委"], "conclusion": "无违法违纪"}),
    )
    assert steps_open(process) == ["close_relative_review"]
    record(process, actors, Entry("close_relative_review", D(2024, 6, 26), data={"conclusion": "程序合规"}))
    assert steps_open(process) == ["pre_review"]


def test_close_relative_review_only_for_a_close_relative(tree, actors, applicant, members):
    switch_on("close_relative_review")
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "pre_review")
    assert steps_open(process) == ["pre_review"]


def test_public_defense_before_the_admission_vote(tree, actors, applicant, members):
    switch_on("public_defense")
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "admission_vote")
    assert steps_open(process) == ["public_defense"]
    record(process, actors, Entry("public_defense", D(2024, 7, 10), "reject", {"result": "未通过", "reason": "答辩未通过"}))
    process = fresh(process)
    assert process.person.stage == Stage.ACTIVIST
    assert steps_open(process) == ["cultivation"]


def test_second_political_review_at_conversion(tree, actors, applicant, members):
    switch_on("second_political_review")
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "conversion_vote")
    review = open_task(process, "second_political_review")
    assert review.actor == "branch"
    record(process, actors, Entry("second_political_review", D(2025, 7, 16), data={"conclusion": "转正政审合格"}))
    assert steps_open(process) == ["conversion_vote"]
    record(process, actors, path[0])
    record(process, actors, path[1])
    assert fresh(process).person.stage == Stage.FULL


def test_public_notice_five_working_days_is_a_county_setting_on_the_notice_start(api_a, tree, actors, applicant, members):
    CountySetting.objects.create(key="admission.public_notice_working_days", value=7, effective_from=D(2024, 6, 17))
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "public_notice")
    api = api_a.as_user(actors.branch)
    task = open_task(process, "public_notice")

    def notice(start: str, end: str, date: str):
        body = {"date": date, "data": {"start": start, "end": end, "objections": []}}
        return api.post(f"/api/tasks/{task.task_id}/complete/", body, format="json")

    five_days = notice("2024-06-17", "2024-06-21", "2024-06-21")
    assert five_days.status_code == 400
    assert "7" in five_days.json()["detail"]
    assert notice("2024-06-17", "2024-06-25", "2024-06-25").status_code == 200
