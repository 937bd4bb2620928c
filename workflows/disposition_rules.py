"""The rules of the disposition of unqualified members (DOMAIN.md §6), each once, named after its rule.

Numbers carry their source. Checks raise RuleViolation with a message a county clerk understands;
the flow (workflows.flows.disposition) attaches them to its steps, the start services call the others.
What a county sets (its organization department's approval of withdrawal and removal, the reminder
period of steps) is read on the day it applies to.
"""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.exceptions import Conflict, RuleViolation
from members.models import Person, Stage, Status
from members.statuses import status_since
from orgs.county_settings import setting

from .engine import APPROVE, REFUSED, UNCHANGED, Submission, last_record
from .models import DisciplinarySanction, DispositionCase, DispositionOutcome, Measure, WorkflowProcess
from .services.admission_rules import check_double_majority

# 2024 处置不合格党员办法 (DOMAIN.md §6): 限期改正期限一般为6个月，最长不超过1年.
RECTIFICATION_DEFAULT_MONTHS = 6
RECTIFICATION_MIN_MONTHS = 1
RECTIFICATION_MAX_MONTHS = 12
# DOMAIN.md §6: 被劝退或除名的，5年内不得重新入党.
READMISSION_BAR_YEARS = 5
# 党章第三十八条: 连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党.
SELF_LAPSE_MONTHS = 6
# DOMAIN.md §5: 失去联系6个月停止党籍；2年后仍无法取得联系的，按自行脱党予以除名.
LOST_CONTACT_SUSPENSION_MONTHS = 6
LOST_CONTACT_REMOVAL_MONTHS = 24
# DOMAIN.md §6 (procedure, 2): 两名党员与本人谈话.
TALKERS_REQUIRED = 2
# 《中国共产党党员权利保障条例》: 党组织对党员的申诉，一般应当在3个月内作出处理决定.
APPEAL_ANSWER_WITHIN_MONTHS = 3
# 党章第四十二条: 留党察看最长不超过两年 (decided as one year or two).
PARTY_PROBATION_MONTHS = (12, 24)

# Measures that end membership: a higher pre-review, the county's approval where it asks for it, the 5-year bar.
ENDING_MEASURES = (Measure.WITHDRAWAL, Measure.REMOVAL)
MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)
# Statuses in which membership has ended or left the county: no case is opened.
ENDED_STATUSES = (Status.WITHDRAWN, Status.REMOVED, Status.DECEASED, Status.TRANSFERRED_OUT, Status.PROBATION_CANCELLED)
# What a decided case carries out, and so what an appeal may be made against.
DECIDED_OUTCOMES = (DispositionOutcome.RECTIFICATION, DispositionOutcome.WITHDRAWN, DispositionOutcome.REMOVED)


def case_of(process: WorkflowProcess) -> DispositionCase:
    return process.disposition


# --- County settings ---------------------------------------------------------------------------------


def county_approval_on(on: datetime.date) -> bool:
    """Whether the county's organization department approves withdrawal and removal after the committee."""
    return bool(setting("disposition.county_approval", on=on))


def step_handling_days(on: datetime.date) -> int:
    return int(setting("disposition.step_handling_days", on=on))


# --- Opening a case ----------------------------------------------------------------------------------


def check_may_be_disposed(person: Person) -> None:
    """A case is about a party member still on the county's roll, with no other case under way."""
    if person.stage not in MEMBER_STAGES:
        raise RuleViolation(_("Only a party member (probationary or full) can be disposed of."), field="person")
    if person.status in ENDED_STATUSES:
        raise RuleViolation(
            _("This person's membership has ended here (%(status)s).") % {"status": Status(person.status).label},
            field="person",
        )
    if DispositionCase.objects.filter(person=person, process__finished__isnull=True).exists():
        raise RuleViolation(_("A disposition case for this person is already under way."), field="person")


def check_withdrawal_not_for_probationary_members(person: Person, measure: str) -> None:
    """DOMAIN.md §4 (step 23): advised withdrawal does not apply to probationary members; their probation is cancelled."""
    if measure == Measure.WITHDRAWAL and person.stage == Stage.PROBATIONARY:
        raise RuleViolation(
            _(
                "Advised withdrawal does not apply to a probationary member: "
                "the branch general meeting cancels the probation instead."
            ),
            field="measure",
        )


def rectification_months(value: Any, field: str = "rectification_months") -> int:
    """The rectification period: 6 months unless said otherwise, at least 1 month and at most 1 year."""
    if value is None or value == "":
        return RECTIFICATION_DEFAULT_MONTHS
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(_("Give the rectification period as a whole number of months."), field=field)
    if not RECTIFICATION_MIN_MONTHS <= value <= RECTIFICATION_MAX_MONTHS:
        raise RuleViolation(
            _("A rectification period runs from %(min)d month to at most %(max)d months (1 year).")
            % {"min": RECTIFICATION_MIN_MONTHS, "max": RECTIFICATION_MAX_MONTHS},
            field=field,
        )
    return value


def check_measure_not_duplicating_a_sanction(
    person: Person, reference: str, case: DispositionCase | None = None, field: str = "sanction_reference"
) -> None:
    """A measure does not duplicate a disciplinary sanction for the same facts (DOMAIN.md §6).

    The reference names the facts (the discipline case or sanction number). Facts a sanction recorded
    for the person was decided on, or already disposed of by a decided case or under a case still
    running, are refused.
    """
    reference = (reference or "").strip()
    if not reference:
        return
    if DisciplinarySanction.objects.filter(person=person, reference=reference).exists():
        raise RuleViolation(
            _("A disciplinary sanction (%(reference)s) was decided on these facts: a measure does not duplicate it.")
            % {"reference": reference},
            field=field,
        )
    others = DispositionCase.objects.filter(person=person, sanction_reference=reference)
    if case is not None:
        others = others.exclude(pk=case.pk)
    if others.filter(outcome__in=DECIDED_OUTCOMES).exists() or others.filter(process__finished__isnull=True).exists():
        raise RuleViolation(
            _("These facts (%(reference)s) have already been disposed of: a measure does not duplicate a sanction.")
            % {"reference": reference},
            field=field,
        )


# --- Steps -------------------------------------------------------------------------------------------


def check_investigation(process: WorkflowProcess, submission: Submission) -> None:
    """Two party members talked with the member; the proposed measure fits the member and the facts."""
    case = case_of(process)
    talkers = submission.data["talkers"]
    if len(talkers) != TALKERS_REQUIRED:
        raise RuleViolation(
            _("Two party members talk with the member (%(count)d named).") % {"count": len(talkers)},
            field="data.talkers",
        )
    if case.person_id in talkers:
        raise RuleViolation(_("The member does not talk with themself."), field="data.talkers")
    found = Person.objects.filter(pk__in=talkers, stage__in=MEMBER_STAGES).exclude(status__in=ENDED_STATUSES).count()
    if found != len(talkers):
        raise RuleViolation(_("Those who talk with the member are party members on the roll."), field="data.talkers")
    measure = submission.data["measure"]
    check_withdrawal_not_for_probationary_members(case.person, measure)
    rectification_months(submission.data.get("rectification_months"), field="data.rectification_months")
    check_measure_not_duplicating_a_sanction(
        case.person, submission.data.get("sanction_reference", ""), case=case, field="data.sanction_reference"
    )


def check_general_meeting_vote_double_majority(process: WorkflowProcess, submission: Submission) -> None:
    """双过半 by secret ballot: more than half of the expected voting full members present and in favour."""
    check_double_majority(submission.data, passed=submission.decision == APPROVE)


def check_refusal_only_of_withdrawal(process: WorkflowProcess, submission: Submission) -> None:
    """党章第九条: a member who refuses advised withdrawal is removed; other measures are not refused this way."""
    if submission.decision == REFUSED and case_of(process).measure != Measure.WITHDRAWAL:
        raise RuleViolation(_("Only advised withdrawal can be refused by the member."), field="decision")


def check_no_change_only_after_the_deadline(process: WorkflowProcess, submission: Submission) -> None:
    """A rectification ends without change only once its period is over."""
    deadline = case_of(process).rectification_deadline
    if submission.decision == UNCHANGED and submission.date < deadline:
        raise RuleViolation(
            _("The rectification period runs until %(date)s: its result without change is recorded after that.")
            % {"date": deadline.isoformat()},
            field="date",
        )


# --- Gateways and deadlines --------------------------------------------------------------------------


def measure_ends_membership(activation) -> bool:
    return case_of(activation.process).measure in ENDING_MEASURES


def needs_county_approval(measure: str, approved_on: datetime.date) -> bool:
    """Withdrawal and removal go on to the county where it asks for them, on the day of the committee's approval."""
    return measure in ENDING_MEASURES and county_approval_on(approved_on)


def county_approval_required(activation) -> bool:
    approval = last_record(activation.process, "approval")
    return needs_county_approval(case_of(activation.process).measure, approval.event_date)


def awaits_rectification(activation) -> bool:
    return case_of(activation.process).measure == Measure.RECTIFICATION


def handling_due(process: WorkflowProcess) -> datetime.date:
    """A step without a deadline of its own is due a handling period after the step before it (a reminder)."""
    start = last_record(process).event_date
    return start + datetime.timedelta(days=step_handling_days(on=start))


def rectification_due(process: WorkflowProcess) -> datetime.date | None:
    return case_of(process).rectification_deadline


def appeal_due(process: WorkflowProcess) -> datetime.date:
    return process.appeal.filed_on + relativedelta(months=APPEAL_ANSWER_WITHIN_MONTHS)


def appeal_goes_to_county(activation) -> bool:
    """An appeal goes to the organization above the one that decided: the county where it approved the case."""
    case = DispositionCase.objects.get(pk=activation.process.data["case"])
    approval = last_record(case.process, "county_approval")
    return approval is not None and approval.decision == APPROVE


def check_may_appeal(case: DispositionCase, date: datetime.date) -> None:
    """An appeal is made against a decision carried out, after it, one at a time."""
    if case.outcome not in DECIDED_OUTCOMES:
        raise RuleViolation(_("An appeal is made against a decision that has been carried out."), field="case")
    if date < case.decided_on:
        raise RuleViolation(
            _("The decision was approved on %(date)s: an appeal comes after it.")
            % {"date": case.decided_on.isoformat()},
            field="date",
        )
    if case.appeals.filter(process__finished__isnull=True).exists():
        raise Conflict(_("An appeal against this decision is already waiting for its answer."))


# --- Re-admission ------------------------------------------------------------------------------------


def readmission_allowed_from(person: Person) -> datetime.date | None:
    """The first day a person withdrawn or removed may apply again (5 years on); None when no bar applies.

    The day of the latest withdrawal or removal decided here; for a person recorded as withdrawn or removed
    without a case on the platform (an import), the day the status took effect.
    """
    case = (
        DispositionCase.objects.filter(
            person=person, outcome__in=(DispositionOutcome.WITHDRAWN, DispositionOutcome.REMOVED)
        )
        .order_by("-effective_on")
        .first()
    )
    if case is not None:
        ended = case.effective_on
    elif person.status in (Status.WITHDRAWN, Status.REMOVED):
        ended = status_since(person)
    else:
        return None
    return ended + relativedelta(years=READMISSION_BAR_YEARS)


def check_readmission_bar(person: Person, on: datetime.date) -> None:
    """After withdrawal or removal, re-admission is barred for 5 years (DOMAIN.md §6)."""
    allowed_from = readmission_allowed_from(person)
    if allowed_from is not None and on < allowed_from:
        raise RuleViolation(
            _("A person withdrawn or removed may apply again after %(years)d years: from %(date)s.")
            % {"years": READMISSION_BAR_YEARS, "date": allowed_from.isoformat()},
            field="date",
        )
