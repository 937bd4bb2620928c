"""Each admission rule, refused when broken through the API (400, nothing written), and met at its boundary.

Test names carry the rule's name (workflows.services.admission_rules, numbers in workflows.rules).
"""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from members import stages
from members.models import ArchiveEntry, Person, Stage, Status
from tests.factories import PersonFactory
from workflows import rules
from workflows.models import StepRecord

from .pipeline import PROBATION_END, VOTE_DATE, Entry, fresh, happy_path, open_task, run_until, start, vote

D = datetime.date


class Refusal:
    """Post a step's completion and check a refusal: 400 naming the field, and nothing written."""

    def __init__(self, api, process):
        self.api, self.process = api, process

    def post(self, step: str, date: datetime.date, data: dict, decision: str | None = None):
        task = open_task(self.process, step)
        body = {"date": date.isoformat(), "data": data}
        if decision:
            body["decision"] = decision
        return self.api.post(f"/api/tasks/{task.task_id}/complete/", body, format="json")

    def refused(self, step: str, date: datetime.date, data: dict, field: str, decision: str | None = None) -> str:
        records, filed = StepRecord.objects.count(), ArchiveEntry.objects.count()
        person = Person.objects.get(pk=self.process.person_id)
        response = self.post(step, date, data, decision)
        assert response.status_code == 400, response.json()
        assert field in response.json()["errors"], response.json()
        assert (StepRecord.objects.count(), ArchiveEntry.objects.count()) == (records, filed)
        assert Person.objects.get(pk=person.pk).stage == person.stage
        assert open_task(self.process, step).task.status == "NEW"
        return response.json()["detail"]

    def accepted(self, step: str, date: datetime.date, data: dict, decision: str | None = None) -> None:
        response = self.post(step, date, data, decision)
        assert response.status_code == 200, response.json()


@pytest.fixture
def path(members):
    return happy_path(members)


def at(step: str, api, tree, actors, applicant, path, occurrence: int = 1):
    process = start(actors, applicant, tree.branch)
    rest = run_until(process, actors, path, step, occurrence)
    level = open_task(process, step).actor
    return Refusal(api.as_user(actors.of(level)), process), rest


# Candidate decision: at least one year as an activist (time as an activist elsewhere counts).


def test_candidate_after_one_year_as_activist(api_a, tree, actors, applicant, path):
    steps, _rest = at("candidate_decision", api_a, tree, actors, applicant, path)
    one_year = D(2023, 4, 10) + relativedelta(years=1)
    detail = steps.refused("candidate_decision", one_year - datetime.timedelta(days=1), {}, "date")
    assert "2024-04-10" in detail
    steps.accepted("candidate_decision", one_year, {})
    assert Person.objects.get(pk=applicant.pk).stage == Stage.CANDIDATE


def test_candidate_after_one_year_as_activist_counts_time_as_activist_elsewhere(api_a, tree, actors, applicant, members):
    path = happy_path(members)
    path[5] = Entry("cultivation", D(2023, 10, 9), "propose", {"assessment": "成熟"})
    steps, _rest = at("candidate_decision", api_a, tree, actors, applicant, path)
    # 2023-10-20 is 173 days before the year is full (2024-04-10): 173 days in another unit make it.
    steps.refused("candidate_decision", D(2023, 10, 20), {"prior_activist_days": 172}, "date")
    steps.accepted("candidate_decision", D(2023, 10, 20), {"prior_activist_days": 173})
    assert fresh(steps.process).admission.prior_activist_days == 173


def test_candidate_after_one_year_as_activist_counts_a_recorded_prior_period(api_a, tree, actors, applicant, members):
    path = happy_path(members)
    path[5] = Entry("cultivation", D(2023, 10, 9), "propose", {"assessment": "成熟"})
    steps, _rest = at("candidate_decision", api_a, tree, actors, applicant, path)
    admission = fresh(steps.process).admission
    admission.prior_activist_days = 173
    admission.save(update_fields=["prior_activist_days"])
    steps.accepted("candidate_decision", D(2023, 10, 20), {})


# Mentors and sponsors.


def test_mentors_one_or_two_full_members(api_a, tree, actors, applicant, path, members):
    steps, rest = at("mentors", api_a, tree, actors, applicant, path)
    date = rest[0].date
    probationary = PersonFactory(org=tree.branch, stage=Stage.PROBATIONARY)
    transferred = PersonFactory(org=tree.branch, stage=Stage.FULL, status=Status.TRANSFERRED_OUT)
    steps.refused("mentors", date, {"mentors": []}, "data.mentors")
    steps.refused("mentors", date, {"mentors": [m.pk for m in members]}, "data.mentors")
    steps.refused("mentors", date, {"mentors": [probationary.pk]}, "data.mentors")
    steps.refused("mentors", date, {"mentors": [transferred.pk]}, "data.mentors")
    steps.refused("mentors", date, {"mentors": [applicant.pk]}, "data.mentors")
    steps.refused("mentors", date, {"mentors": [members[0].pk, members[0].pk]}, "data.mentors")
    steps.accepted("mentors", date, {"mentors": [members[0].pk, members[1].pk]})


def test_two_full_member_sponsors_not_under_party_probation(api_a, tree, actors, applicant, path, members):
    steps, rest = at("sponsors", api_a, tree, actors, applicant, path)
    date = rest[0].date
    on_probation = PersonFactory(org=tree.branch, stage=Stage.FULL, under_party_probation=True)
    probationary = PersonFactory(org=tree.branch, stage=Stage.PROBATIONARY)
    steps.refused("sponsors", date, {"sponsors": [members[0].pk]}, "data.sponsors")
    steps.refused("sponsors", date, {"sponsors": [m.pk for m in members]}, "data.sponsors")
    steps.refused("sponsors", date, {"sponsors": [members[0].pk, probationary.pk]}, "data.sponsors")
    detail = steps.refused("sponsors", date, {"sponsors": [members[0].pk, on_probation.pk]}, "data.sponsors")
    assert "留党察看" in detail
    steps.accepted("sponsors", date, {"sponsors": [members[0].pk, members[1].pk]})


# Training.


def test_training_three_days_or_24_hours(api_a, tree, actors, applicant, path):
    steps, rest = at("training", api_a, tree, actors, applicant, path)
    date = rest[0].date
    steps.refused("training", date, {"hours": 23, "days": 2, "passed": True}, "data.hours")
    steps.refused("training", date, {"hours": 30, "passed": False}, "data.passed")
    steps.refused("training", date, {"passed": True}, "data.hours")
    steps.accepted("training", date, {"hours": 16, "days": 3, "passed": True})


def test_training_three_days_or_24_hours_class_hours_alone_suffice(api_a, tree, actors, applicant, path):
    steps, rest = at("training", api_a, tree, actors, applicant, path)
    steps.accepted("training", rest[0].date, {"hours": 24, "passed": "true"})
    assert StepRecord.objects.get(step="training").data == {"hours": 24, "passed": True}


# Public notice: five working days on the official calendar.


def notice(start: str, end: str, objections: list | None = None, **extra) -> dict:
    return {"start": start, "end": end, "objections": objections or [], **extra}


def test_public_notice_five_working_days(api_a, tree, actors, applicant, path):
    steps, _rest = at("public_notice", api_a, tree, actors, applicant, path)
    # Monday 2024-06-17 to Thursday 2024-06-20 is four working days.
    steps.refused("public_notice", D(2024, 6, 21), notice("2024-06-17", "2024-06-20"), "data.end")
    steps.refused("public_notice", D(2024, 6, 20), notice("2024-06-17", "2024-06-21"), "date")
    steps.refused("public_notice", D(2024, 6, 21), notice("2024-06-10", "2024-06-21"), "data.start")
    steps.accepted("public_notice", D(2024, 6, 21), notice("2024-06-17", "2024-06-21"))


def test_public_notice_five_working_days_on_the_official_calendar_skips_holidays(api_a, tree, actors, applicant, path):
    steps, _rest = at("public_notice", api_a, tree, actors, applicant, path)
    late = {"late_reason": "国庆假期顺延"}
    # 2024-09-27 (Fri) to 2024-10-08 (Tue): Sunday 29 September is a make-up working day, 1 to 7 October
    # are holidays — four working days, though eight of the days are weekdays.
    steps.refused("public_notice", D(2024, 10, 8), notice("2024-09-27", "2024-10-08", **late), "data.end")
    # 2024-10-08 (Tue) to 2024-10-12: Saturday 12 October is a make-up working day — five.
    steps.accepted("public_notice", D(2024, 10, 12), notice("2024-10-08", "2024-10-12", **late))


def test_public_notice_five_working_days_objections_resolved_before_the_pre_review(api_a, tree, actors, applicant, path):
    steps, _rest = at("public_notice", api_a, tree, actors, applicant, path)
    unresolved = [{"text": "群众反映其曾有违规行为"}]
    steps.refused("public_notice", D(2024, 6, 21), notice("2024-06-17", "2024-06-21", unresolved), "data.objections")
    steps.refused("public_notice", D(2024, 6, 21), notice("2024-06-17", "2024-06-21", ["口头异议"]), "data.objections")
    resolved = [{"text": "群众反映其曾有违规行为", "resolution": "经核实不属实，已向反映人说明"}]
    steps.accepted("public_notice", D(2024, 6, 21), notice("2024-06-17", "2024-06-21", resolved))
    assert open_task(steps.process, "pre_review")


def test_pre_review_not_when_leaving_the_unit_within_three_months(api_a, tree, actors, applicant, path):
    steps, _rest = at("pre_review", api_a, tree, actors, applicant, path)
    detail = steps.refused("pre_review", D(2024, 7, 1), {"leaves_unit_within_3_months": True}, "data.leaves_unit_within_3_months")
    assert "3" in detail
    assert open_task(steps.process, "pre_review")  # the pre-review waits
    steps.accepted("pre_review", D(2024, 7, 15), {"leaves_unit_within_3_months": False})
    assert open_task(steps.process, "admission_form")


def test_working_days_between_counts_both_ends_on_the_official_calendar():
    assert rules.working_days_between(D(2024, 6, 17), D(2024, 6, 21)) == (5, True)
    assert rules.working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == (0, True)
    # Beyond the calendar's years the count falls back to Monday to Friday, and says so.
    assert rules.working_days_between(D(2030, 1, 7), D(2030, 1, 13)) == (5, False)


# 双过半 at the admission vote and the conversion vote.


def test_admission_vote_double_majority(api_a, tree, actors, applicant, path):
    steps, _rest = at("admission_vote", api_a, tree, actors, applicant, path)
    # Ten of twenty present is not more than half: no vote at all.
    steps.refused("admission_vote", VOTE_DATE, vote(eligible=20, present=10, in_favour=10, against=0), "data.present")
    # Eleven present, ten in favour: not more than half of the twenty expected.
    steps.refused("admission_vote", VOTE_DATE, vote(eligible=20, present=11, in_favour=10, against=1), "data.in_favour")
    # A majority recorded as a rejection contradicts the count.
    steps.refused("admission_vote", VOTE_DATE, {**vote(), "reason": "x"}, "decision", decision="reject")
    steps.accepted("admission_vote", VOTE_DATE, vote(eligible=20, present=11, in_favour=11, against=0))


def test_admission_vote_double_majority_counts_are_consistent(api_a, tree, actors, applicant, path):
    steps, _rest = at("admission_vote", api_a, tree, actors, applicant, path)
    steps.refused("admission_vote", VOTE_DATE, vote(eligible=20, present=21, in_favour=15), "data.present")
    steps.refused("admission_vote", VOTE_DATE, vote(eligible=20, present=15, in_favour=14, against=1, abstain=1), "data.in_favour")
    steps.refused("admission_vote", VOTE_DATE, vote(eligible=0, present=0, in_favour=0, against=0), "data.eligible")
    steps.refused("admission_vote", VOTE_DATE, {"eligible": 20, "present": 15}, "data.in_favour")


def test_conversion_vote_double_majority(api_a, tree, actors, applicant, path):
    steps, _rest = at("conversion_vote", api_a, tree, actors, applicant, path)
    date = D(2025, 7, 18)
    steps.refused("conversion_vote", date, vote(eligible=30, present=15, in_favour=15, against=0), "data.present", "convert")
    steps.refused("conversion_vote", date, vote(eligible=30, present=20, in_favour=15, against=5), "data.in_favour", "convert")
    steps.accepted("conversion_vote", date, vote(eligible=30, present=20, in_favour=16, against=4), "convert")


# Approval within three months of the vote.


def test_admission_approval_within_three_months(api_a, tree, actors, applicant, path):
    steps, _rest = at("admission_approval", api_a, tree, actors, applicant, path)
    three_months = VOTE_DATE + relativedelta(months=3)
    steps.refused("admission_approval", three_months + datetime.timedelta(days=1), {}, "data.special_reason")
    steps.accepted("admission_approval", three_months, {})
    assert not StepRecord.objects.get(step="admission_approval").late


def test_admission_approval_within_three_months_up_to_six_with_a_special_reason(api_a, tree, actors, applicant, path):
    steps, _rest = at("admission_approval", api_a, tree, actors, applicant, path)
    six_months = VOTE_DATE + relativedelta(months=6)
    reason = {"special_reason": "党委换届，暂停审批"}
    detail = steps.refused("admission_approval", six_months + datetime.timedelta(days=1), reason, "date")
    assert "6" in detail
    steps.accepted("admission_approval", six_months, reason)
    approval = StepRecord.objects.get(step="admission_approval")
    assert (approval.late, approval.data["special_reason"]) == (True, "党委换届，暂停审批")


# Probation: one year from the vote date; conversion effective on the day it ended.


def test_probation_one_year_from_the_vote_date(tree, actors, applicant, path):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, path, "county_filing")
    process = fresh(process)
    approved = StepRecord.objects.get(process=process, step="admission_approval").event_date
    assert approved > VOTE_DATE
    assert (process.admission.probation_start, process.admission.probation_end) == (VOTE_DATE, D(2025, 7, 15))
    assert process.person.stage == Stage.PROBATIONARY


def test_conversion_effective_on_the_day_the_probation_ended(tree, actors, applicant, path):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, path, "archive")
    process = fresh(process)
    approved = StepRecord.objects.get(process=process, step="conversion_approval").event_date
    assert approved > PROBATION_END
    assert process.admission.converted_on == PROBATION_END
    assert (process.person.stage, process.person.party_standing_since) == (Stage.FULL, PROBATION_END)


def test_conversion_vote_after_the_probation_ends(api_a, tree, actors, applicant, members):
    path = happy_path(members)
    index = next(i for i, entry in enumerate(path) if entry.step == "conversion_application")
    path[index] = Entry("conversion_application", D(2025, 7, 14))
    steps, _rest = at("conversion_vote", api_a, tree, actors, applicant, path)
    steps.refused("conversion_vote", D(2025, 7, 14), vote(), "date", "convert")
    steps.accepted("conversion_vote", PROBATION_END, vote(), "convert")


def test_probation_extension_once_six_to_twelve_months(api_a, tree, actors, applicant, path):
    steps, _rest = at("conversion_vote", api_a, tree, actors, applicant, path)
    date = D(2025, 7, 18)
    steps.refused("conversion_vote", date, vote(), "data.months", "extend")
    steps.refused("conversion_vote", date, {**vote(), "months": 5}, "data.months", "extend")
    steps.refused("conversion_vote", date, {**vote(), "months": 13}, "data.months", "extend")
    steps.accepted("conversion_vote", date, {**vote(), "months": 12}, "extend")
    assert fresh(steps.process).admission.probation_end == PROBATION_END + relativedelta(months=12)


def test_a_cancellation_records_its_reason(api_a, tree, actors, applicant, path):
    steps, _rest = at("conversion_vote", api_a, tree, actors, applicant, path)
    steps.refused("conversion_vote", D(2025, 7, 18), vote(), "data.reason", "cancel")


# Stages and rule versions.


def test_stages_follow_each_other_in_order(tree, actors, applicant):
    from core.exceptions import RuleViolation

    with pytest.raises(RuleViolation):
        stages.advance_stage(actor=actors.branch, person=applicant, to=Stage.CANDIDATE, on=D(2024, 1, 1))
    with pytest.raises(RuleViolation):
        stages.return_to_activist(actor=actors.branch, person=applicant)
    person = stages.advance_stage(actor=actors.branch, person=applicant, to=Stage.ACTIVIST, on=D(2024, 1, 1))
    assert person.stage == Stage.ACTIVIST
    assert person.party_standing_since is None


def test_admission_rule_version_by_the_date_it_applies_from(monkeypatch):
    monkeypatch.setattr(
        rules, "ADMISSION_RULE_VERSIONS", (*rules.ADMISSION_RULE_VERSIONS, ("2026", D(2026, 7, 1)))
    )
    assert rules.admission_rule_version(D(2010, 1, 1)) == "2014"
    assert rules.admission_rule_version(D(2026, 6, 30)) == "2014"
    assert rules.admission_rule_version(D(2026, 7, 1)) == "2026"


def test_a_process_keeps_the_rule_version_it_was_started_under(tree, actors, applicant, path, monkeypatch):
    process = start(actors, applicant, tree.branch)
    monkeypatch.setattr(rules, "ADMISSION_RULE_VERSIONS", (*rules.ADMISSION_RULE_VERSIONS, ("2026", D(2023, 3, 2))))
    run_until(process, actors, path, "mentors")
    assert fresh(process).admission.rule_version == "2014"
