"""Each rule of the admission flow, once: the checks on a step's record and the deadlines of its task.

Every check is named after its rule (DOMAIN.md §4, numbers and sources in workflows.rules), takes the
process and the submission, and raises RuleViolation with a message a county clerk understands.
The flow (workflows.flows.admission) attaches them to its steps; tests carry the same names.
"""

import datetime
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.exceptions import RuleViolation
from members.models import Person, Stage, Status

from .. import county, rules
from ..engine import APPROVE, EXTEND, REJECT, Submission, approving_committee, last_record
from ..models import AdmissionRecord, StepRecord, WorkflowProcess
from . import plans

# The steps whose record keeps the vote counts.
VOTE_FIELDS = ("eligible", "present", "in_favour", "against", "abstain")


def admission_of(process: WorkflowProcess) -> AdmissionRecord:
    return process.admission


# Deadlines: each open task's due date, from its rule or from the county's handling period.


def handling_due(process: WorkflowProcess) -> datetime.date:
    """A step without a deadline of its own is due a handling period after the step before it (a reminder)."""
    previous = last_record(process)
    start = previous.event_date if previous else admission_of(process).applied_on
    return start + datetime.timedelta(days=county.step_handling_days(on=start))


def talk_due(process: WorkflowProcess) -> datetime.date:
    return admission_of(process).applied_on + relativedelta(months=rules.TALK_WITHIN_MONTHS)


def cultivation_due(process: WorkflowProcess) -> datetime.date:
    """Every 6 months: from the last assessment of this round, or from the day the round began."""
    admission = admission_of(process)
    base = admission.cultivation_since or admission.activist_since or admission.applied_on
    assessed = last_record(process, "cultivation")
    if assessed is not None and assessed.event_date >= base:
        base = assessed.event_date
    return base + relativedelta(months=rules.CULTIVATION_ASSESSMENT_MONTHS)


def earliest_candidate_decision(admission: AdmissionRecord, prior_activist_days: int | None = None) -> datetime.date:
    prior = admission.prior_activist_days if prior_activist_days is None else prior_activist_days
    since = admission.activist_since or admission.applied_on
    return since + relativedelta(years=rules.MIN_YEARS_AS_ACTIVIST) - datetime.timedelta(days=prior)


def candidate_decision_due(process: WorkflowProcess) -> datetime.date:
    earliest = earliest_candidate_decision(admission_of(process))
    return max(handling_due(process), earliest + datetime.timedelta(days=county.step_handling_days(on=earliest)))


def admission_approval_due(process: WorkflowProcess) -> datetime.date:
    return admission_of(process).vote_date + relativedelta(months=rules.APPROVAL_WITHIN_MONTHS)


def probation_end_of(probation_start: datetime.date) -> datetime.date:
    """One year from the vote date (党章第七条); the conversion takes effect on this day."""
    return probation_start + relativedelta(years=rules.PROBATION_YEARS)


def assessments_in_probation(process: WorkflowProcess) -> int:
    """Assessments recorded here, and those done on paper before an import."""
    recorded = StepRecord.objects.filter(process_id=process.pk, step="probation_assessment").count()
    return admission_of(process).prior_probation_assessments + recorded


def probation_assessment_due(process: WorkflowProcess) -> datetime.date:
    """The quarter after the last one assessed, counted from the probation's start (as extended, it goes on)."""
    admission = admission_of(process)
    quarters = assessments_in_probation(process) + 1
    months = county.probation_assessment_months(on=admission.probation_start)
    return admission.probation_start + relativedelta(months=months * quarters)


def more_probation_assessments_due(process: WorkflowProcess) -> bool:
    """Whether another quarter of the probation (as extended) remains to be assessed."""
    return probation_assessment_due(process) <= admission_of(process).probation_end


def conversion_application_due(process: WorkflowProcess) -> datetime.date:
    return max(admission_of(process).probation_end, last_record(process).event_date)


def conversion_vote_due(process: WorkflowProcess) -> datetime.date:
    end = admission_of(process).probation_end
    return max(handling_due(process), end + datetime.timedelta(days=county.step_handling_days(on=end)))


def conversion_approval_due(process: WorkflowProcess) -> datetime.date:
    return last_record(process, "conversion_vote").event_date + relativedelta(months=rules.CONVERSION_APPROVAL_WITHIN_MONTHS)


# County gates: a gate applies when the county has it on, on the day the process reaches it.


def gate_applies(gate: str) -> Callable[[Any], bool]:
    """A gateway condition: the county's gate is on at the date of the step just recorded."""

    def condition(activation) -> bool:
        previous = last_record(activation.process)
        return county.gate_on(gate, on=previous.event_date)

    return condition


def close_relative_of_an_official(activation) -> bool:
    """The political review named an official in the approval chain whose close relative the candidate is."""
    review = last_record(activation.process, "political_review")
    return review is not None and bool(str(review.data.get("close_relative_of") or "").strip())


# Checks on the records.


def _full_members(ids: list[int], field: str) -> list[Person]:
    people = list(Person.objects.filter(pk__in=ids))
    if len(people) != len(ids):
        raise RuleViolation(_("Some of the people named are not on the county's roll."), field=field)
    if any(person.stage != Stage.FULL or person.status != Status.ACTIVE for person in people):
        raise RuleViolation(_("Everyone named must be a full member on the active roll."), field=field)
    return people


def _not_the_person(process: WorkflowProcess, ids: list[int], field: str) -> None:
    if process.person_id in ids:
        raise RuleViolation(_("The applicant cannot be named for themself."), field=field)


def check_mentors_one_or_two_full_members(process: WorkflowProcess, submission: Submission) -> None:
    """1 or 2 mentors, each a full member."""
    field = "data.mentors"
    mentors = submission.data["mentors"]
    if not rules.MENTORS_MIN <= len(mentors) <= rules.MENTORS_MAX:
        raise RuleViolation(
            _("Name %(min)d or %(max)d full members as mentors.") % {"min": rules.MENTORS_MIN, "max": rules.MENTORS_MAX},
            field=field,
        )
    _not_the_person(process, mentors, field)
    _full_members(mentors, field)


def check_candidate_after_one_year_as_activist(process: WorkflowProcess, submission: Submission) -> None:
    """At least 1 year after the activist decision; time as an activist in another unit counts."""
    if submission.decision != APPROVE:
        return
    earliest = earliest_candidate_decision(admission_of(process), submission.data.get("prior_activist_days"))
    if submission.date < earliest:
        raise RuleViolation(
            _(
                "A candidate is decided after at least %(years)d year of cultivation as an activist: "
                "not before %(date)s (time as an activist in another unit counts: record it as prior_activist_days)."
            )
            % {"years": rules.MIN_YEARS_AS_ACTIVIST, "date": earliest.isoformat()},
            field="date",
        )


def check_two_full_member_sponsors_not_under_party_probation(process: WorkflowProcess, submission: Submission) -> None:
    """Exactly 2 sponsors, full members, none under party probation (留党察看)."""
    field = "data.sponsors"
    sponsors = submission.data["sponsors"]
    if len(sponsors) != rules.SPONSORS_REQUIRED:
        raise RuleViolation(_("Name exactly %(count)d full members as sponsors.") % {"count": rules.SPONSORS_REQUIRED}, field=field)
    _not_the_person(process, sponsors, field)
    people = _full_members(sponsors, field)
    if any(person.under_party_probation for person in people):
        raise RuleViolation(_("A member under party probation (留党察看) cannot be a sponsor."), field=field)


def check_training_three_days_or_24_hours(process: WorkflowProcess, submission: Submission) -> None:
    """Concentrated training of at least 3 days or 24 class hours, passed."""
    hours, days = submission.data["hours"], submission.data.get("days", 0)
    if hours < rules.TRAINING_MIN_HOURS and days < rules.TRAINING_MIN_DAYS:
        raise RuleViolation(
            _("The training must last at least %(days)d days or %(hours)d class hours.")
            % {"days": rules.TRAINING_MIN_DAYS, "hours": rules.TRAINING_MIN_HOURS},
            field="data.hours",
        )
    if not submission.data["passed"]:
        raise RuleViolation(_("The candidate has not passed the training: record it when they pass."), field="data.passed")


def check_pre_review_not_when_leaving_the_unit_within_three_months(process: WorkflowProcess, submission: Submission) -> None:
    """The primary committee does not pre-review a candidate who leaves their work or study unit within 3 months."""
    if submission.data.get("leaves_unit_within_3_months"):
        raise RuleViolation(
            _(
                "A candidate who leaves their work or study unit within %(months)d months is not pre-reviewed: "
                "the pre-review waits, or the organization of the new unit continues once the records are transferred."
            )
            % {"months": rules.PRE_REVIEW_NOT_WHEN_LEAVING_WITHIN_MONTHS},
            field="data.leaves_unit_within_3_months",
        )


def _objection_resolved(objection: Any) -> bool:
    return isinstance(objection, dict) and bool(str(objection.get("resolution") or "").strip())


def check_public_notice_five_working_days(process: WorkflowProcess, submission: Submission) -> None:
    """Five working days on the official calendar (county setting), objections resolved before the pre-review."""
    start = datetime.date.fromisoformat(submission.data["start"])
    end = datetime.date.fromisoformat(submission.data["end"])
    previous = last_record(process)
    if previous is not None and start < previous.event_date:
        raise RuleViolation(_("The notice starts after the branch review (%(date)s).") % {"date": previous.event_date}, field="data.start")
    if end < start:
        raise RuleViolation(_("The notice ends after it starts."), field="data.end")
    if submission.date < end:
        raise RuleViolation(_("Record the notice once it has ended (%(date)s).") % {"date": end.isoformat()}, field="date")
    required = county.public_notice_working_days(on=start)
    days, _covered = rules.working_days_between(start, end)
    if days < required:
        raise RuleViolation(
            _("A public notice runs at least %(required)d working days; %(start)s to %(end)s has %(days)d.")
            % {"required": required, "start": start.isoformat(), "end": end.isoformat(), "days": days},
            field="data.end",
        )
    if not all(_objection_resolved(objection) for objection in submission.data.get("objections") or []):
        raise RuleViolation(
            _("Resolve every objection (record its resolution) before the notice closes and the pre-review begins."),
            field="data.objections",
        )


def check_vote_counts(data: dict[str, Any]) -> None:
    """The counts of a vote are consistent: in favour + against + abstain ≤ present ≤ eligible."""
    eligible, present = data["eligible"], data["present"]
    if eligible < 1:
        raise RuleViolation(_("Record the number of full members expected to vote."), field="data.eligible")
    if present > eligible:
        raise RuleViolation(_("More voters present than full members expected to vote."), field="data.present")
    if data["in_favour"] + data["against"] + data["abstain"] > present:
        raise RuleViolation(_("More votes than voters present."), field="data.in_favour")


def check_double_majority(data: dict[str, Any], passed: bool) -> None:
    """双过半: more than half of the expected voting full members present, and more than half of them in favour.

    Without the quorum the meeting decides nothing; the decision recorded must match the count.
    """
    check_vote_counts(data)
    eligible = data["eligible"]
    if not rules.more_than_half(data["present"], eligible):
        raise RuleViolation(
            _("Fewer than half of the %(eligible)d full members expected to vote were present: the meeting cannot vote.")
            % {"eligible": eligible},
            field="data.present",
        )
    majority = rules.more_than_half(data["in_favour"], eligible)
    if passed and not majority:
        raise RuleViolation(
            _("Not passed: more than half of the %(eligible)d full members expected to vote must be in favour.")
            % {"eligible": eligible},
            field="data.in_favour",
        )
    if not passed and majority:
        raise RuleViolation(
            _("More than half of the full members expected to vote are in favour: the resolution passed."), field="decision"
        )


def check_admission_vote_double_majority(process: WorkflowProcess, submission: Submission) -> None:
    check_double_majority(submission.data, passed=submission.decision == APPROVE)


def check_admission_vote_within_the_annual_quota(process: WorkflowProcess, submission: Submission) -> None:
    """Beyond the committee's quota for the year, an admission needs the county's recorded approval of more places."""
    if submission.decision != APPROVE:
        return
    committee = approving_committee(process.org)
    year = submission.date.year
    places = plans.places_for(committee, year)
    if places is not None and plans.admissions_voted(committee, year).count() >= places:
        raise RuleViolation(
            _(
                "%(committee)s has admitted its %(places)d places for %(year)d: the county must first approve a place "
                "beyond the development plan."
            )
            % {"committee": committee.name, "places": places, "year": year},
            field="decision",
        )


def check_admission_vote(process: WorkflowProcess, submission: Submission) -> None:
    check_admission_vote_double_majority(process, submission)
    check_admission_vote_within_the_annual_quota(process, submission)


def check_admission_approval_within_three_months(process: WorkflowProcess, submission: Submission) -> None:
    """Within 3 months of the vote; up to 6 with a recorded special reason; later is refused.

    The 3 months are the task's due date (`admission_approval_due`): the task service asks a later
    record for its `special_reason`. Beyond 6 months no reason helps.
    """
    if submission.decision == REJECT:
        return
    vote_date = admission_of(process).vote_date
    if submission.date > vote_date + relativedelta(months=rules.APPROVAL_SPECIAL_MAX_MONTHS):
        raise RuleViolation(
            _("The approval is more than %(months)d months after the vote of %(date)s: it can no longer be given.")
            % {"months": rules.APPROVAL_SPECIAL_MAX_MONTHS, "date": vote_date.isoformat()},
            field="date",
        )


def check_conversion_vote(process: WorkflowProcess, submission: Submission) -> None:
    """After the probation ends; 双过半 for the resolution; an extension of 6 to 12 months, once only."""
    admission = admission_of(process)
    if submission.date < admission.probation_end:
        raise RuleViolation(
            _("The probation ends on %(date)s: the branch votes on the conversion after that.")
            % {"date": admission.probation_end.isoformat()},
            field="date",
        )
    check_double_majority(submission.data, passed=True)
    if submission.decision == EXTEND:
        check_probation_extension_once_six_to_twelve_months(admission, submission.data.get("months"))


def check_probation_extension_once_six_to_twelve_months(admission: AdmissionRecord, months: Any) -> None:
    if admission.extended_months is not None:
        raise RuleViolation(_("A probation is extended once only."), field="decision")
    if not isinstance(months, int) or isinstance(months, bool) or not (
        rules.PROBATION_EXTENSION_MIN_MONTHS <= months <= rules.PROBATION_EXTENSION_MAX_MONTHS
    ):
        raise RuleViolation(
            _("An extension runs at least %(min)d and at most %(max)d months.")
            % {"min": rules.PROBATION_EXTENSION_MIN_MONTHS, "max": rules.PROBATION_EXTENSION_MAX_MONTHS},
            field="data.months",
        )
