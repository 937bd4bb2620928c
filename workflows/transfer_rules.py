"""The rules of relation transfers (DOMAIN.md §5), each once, named after its rule.

Numbers carry their source. Checks raise RuleViolation with a message a county clerk understands;
the flow (workflows.flows.transfer) attaches them to its steps and routes on the conditions below, the
services call the others. What a county sets (which committees approve a transfer within the county,
the reminder period of steps) is read on the day it applies to.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.exceptions import RuleViolation
from members.models import Person, Stage, Status
from orgs.county_settings import setting
from orgs.models import Organization

from .engine import APPROVE, OPEN_STATUSES, Submission, approving_committee, last_record
from .flows.admission import RESUMABLE_STEPS
from .models import (
    AdmissionRecord,
    StepTask,
    Transfer,
    TransferDirection,
    TransferKind,
    TransferStatus,
    WorkflowProcess,
)

# 中组部关于党员组织关系转接的规定 (DOMAIN.md §5): 介绍信有效期一般为30天，最长不超过3个月.
LETTER_VALID_DAYS = 30
LETTER_MAX_VALID_MONTHS = 3
# DOMAIN.md §5: 预备期已满的预备党员，由转出党组织讨论其能否转正后再转接; the admission step that
# means the conversion is still the sender's to decide.
SENDER_DECIDES_STEPS = ("conversion_vote", "conversion_approval", "second_political_review")
# Where an admission under way resumes in the receiving county when its open step is a county gate
# of the sender's (the receiver's own gates apply from there on).
GATE_RESUMES_AT = {
    "written_test": "activist_decision",
    "second_recommendation": "candidate_decision",
    "onsite_evaluation": "candidate_decision",
    "county_joint_review": "pre_review",
    "close_relative_review": "pre_review",
    "public_defense": "admission_vote",
}
# The person's record may move only from the active roll.
MAY_TRANSFER_STATUSES = (Status.ACTIVE,)
# A transfer's letter is out: the receiving side may still accept or return it.
LETTER_OUT = (TransferStatus.APPROVED, TransferStatus.SENT, TransferStatus.RECEIVED)


# --- County settings ---------------------------------------------------------------------------------


def sending_committee_approves(on: datetime.date) -> bool:
    return bool(setting("transfer.within_county.sending_committee_approval", on=on))


def receiving_committee_approves(on: datetime.date) -> bool:
    return bool(setting("transfer.within_county.receiving_committee_approval", on=on))


def handling_due(process: WorkflowProcess) -> datetime.date:
    """A step is due a handling period after the step before it (a reminder, not a rule)."""
    previous = last_record(process)
    start = previous.event_date if previous else process.transfer.requested_on
    return start + datetime.timedelta(days=int(setting("transfer.step_handling_days", on=start)))


# --- Who may be transferred ---------------------------------------------------------------------------


def open_admission(person: Person) -> AdmissionRecord | None:
    return (
        AdmissionRecord.objects.filter(person=person, process__finished__isnull=True).select_related("process").first()
    )


def open_admission_step(admission: AdmissionRecord) -> str | None:
    task = StepTask.objects.filter(process_id=admission.process_id, task__status__in=OPEN_STATUSES).first()
    return task.step if task else None


def check_probation_decided_before_transfer(person: Person, on: datetime.date) -> None:
    """A probationary member whose probation has ended is decided on (conversion) by the sender first."""
    if person.stage != Stage.PROBATIONARY:
        return
    admission = open_admission(person)
    if admission is None or admission.probation_end is None:
        return
    # 届满 includes the day itself: on the end day the probation has ended.
    if admission.probation_end <= on or open_admission_step(admission) in SENDER_DECIDES_STEPS:
        raise RuleViolation(
            _(
                "The probation of this member ended on %(date)s: the branch decides on the conversion "
                "before the transfer."
            )
            % {"date": admission.probation_end.isoformat()},
            field="person",
        )


def resume_step(admission: AdmissionRecord) -> str:
    """The step at which the receiving side continues an admission under way: the sender's open step."""
    step = open_admission_step(admission)
    step = GATE_RESUMES_AT.get(step, step)
    if step not in RESUMABLE_STEPS:
        raise RuleViolation(
            _("The admission is at a step the sending side completes first (%(step)s).") % {"step": step or "—"},
            field="person",
        )
    return step


def check_on_the_active_roll(person: Person) -> None:
    if person.status not in MAY_TRANSFER_STATUSES:
        raise RuleViolation(
            _("Only a person on the active roll can be transferred; this person is %(status)s.")
            % {"status": Status(person.status).label},
            field="person",
        )


def check_may_transfer(person: Person, on: datetime.date) -> None:
    """Only a person on the active roll, without another transfer under way; an admission under way travels."""
    check_on_the_active_roll(person)
    if Transfer.objects.filter(
        person=person, direction=TransferDirection.OUTGOING, process__finished__isnull=True
    ).exists():
        raise RuleViolation(_("A transfer of this person is already under way."), field="person")
    check_probation_decided_before_transfer(person, on)
    admission = open_admission(person)
    if admission is not None:
        resume_step(admission)


def check_destination_is_another_branch(person_branch: Organization, to_org: Organization | None) -> None:
    if to_org is None or not to_org.is_branch:
        raise RuleViolation(_("Choose the branch of this county the member moves to."), field="to_org")
    if to_org.pk == person_branch.pk:
        raise RuleViolation(_("The member is already in this branch."), field="to_org")


# --- The letter ----------------------------------------------------------------------------------------


def latest_valid_until(issued_on: datetime.date) -> datetime.date:
    return issued_on + relativedelta(months=LETTER_MAX_VALID_MONTHS)


def valid_until(issued_on: datetime.date, valid_days: int | None) -> datetime.date:
    """The letter's last day: 30 days unless the issuer says otherwise, at most 3 months."""
    days = LETTER_VALID_DAYS if valid_days is None else valid_days
    latest = latest_valid_until(issued_on)
    if not 1 <= days <= (latest - issued_on).days:
        raise RuleViolation(
            _("A letter is valid for at least 1 day and at most %(months)d months (until %(date)s).")
            % {"months": LETTER_MAX_VALID_MONTHS, "date": latest.isoformat()},
            field="data.valid_days",
        )
    return issued_on + datetime.timedelta(days=days)


def check_letter_validity_at_most_three_months(process: WorkflowProcess, submission: Submission) -> None:
    if submission.decision == APPROVE:
        valid_until(submission.date, submission.data.get("valid_days"))


def check_letter_in_force(transfer: Transfer, on: datetime.date) -> None:
    """A letter that has expired unused is void (DOMAIN.md §5): it is returned and reissued, never accepted."""
    if transfer.valid_until is not None and on > transfer.valid_until:
        raise RuleViolation(
            _("The letter expired on %(date)s and is void: return it so that the sending side reissues it.")
            % {"date": transfer.valid_until.isoformat()},
            field="date",
        )


def check_acceptance_while_letter_in_force(process: WorkflowProcess, submission: Submission) -> None:
    if submission.decision == APPROVE:
        check_letter_in_force(process.transfer, submission.date)


def check_acceptance_into_a_branch(process: WorkflowProcess, submission: Submission) -> None:
    """The receiving county accepts into one of its branches, while the letter is in force."""
    if submission.decision != APPROVE:
        return
    check_letter_in_force(process.transfer, submission.date)
    value = submission.data.get("org")
    branch = Organization.objects.filter(pk=value).first() if value is not None else None
    if branch is None or not branch.is_branch:
        raise RuleViolation(_("Choose the branch the member joins."), field="data.org")


# --- Gateways ------------------------------------------------------------------------------------------


def needs_sending_approval(activation) -> bool:
    return bool(activation.process.data.get("sending_approval"))


def needs_receiving_approval(activation) -> bool:
    return bool(activation.process.data.get("receiving_approval"))


def letter_leaves_the_county(activation) -> bool:
    return activation.process.data.get("kind") != TransferKind.WITHIN_COUNTY


def transfer_completed(activation) -> bool:
    return Transfer.objects.filter(pk=activation.process.pk, status=TransferStatus.COMPLETED).exists()


def routing(kind: str, from_org: Organization, to_org: Organization | None, on: datetime.date) -> dict:
    """Which approvals the transfer goes through, fixed when it is requested (read by the gateways)."""
    if kind != TransferKind.WITHIN_COUNTY:
        return {"kind": kind, "sending_approval": True, "receiving_approval": False}
    other_committee = approving_committee(to_org).pk != approving_committee(from_org).pk
    return {
        "kind": kind,
        "sending_approval": sending_committee_approves(on),
        "receiving_approval": receiving_committee_approves(on) and other_committee,
    }
