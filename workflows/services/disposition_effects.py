"""What each recorded disposition step changes: the case, the person's status, and the member archive.

`on_recorded` runs inside the task service's action, after the record is written and before the flow
moves on; everything here is part of that one transaction. Statuses change only through
members.statuses, with the day and the reason.
"""

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from members import archive
from members.models import ArchiveKind, Status
from members.statuses import set_status

from .. import disposition_rules as rule
from ..engine import GRANT, IMPROVED, NOTIFIED, REFUSED, REJECT
from ..models import (
    AppealOutcome,
    DispositionCase,
    DispositionOutcome,
    Measure,
    RectificationResult,
    StepRecord,
    WorkflowProcess,
)

# The document each step files into the member archive (DOMAIN.md §9: disposition decisions).
ARCHIVE_KINDS: dict[str, str] = {
    "initial_determination": ArchiveKind.FILING,
    "investigation": ArchiveKind.TALK,
    "pre_review": ArchiveKind.REVIEW,
    "higher_pre_review": ArchiveKind.REVIEW,
    "general_meeting_vote": ArchiveKind.VOTE,
    "approval": ArchiveKind.APPROVAL,
    "county_approval": ArchiveKind.APPROVAL,
    "notification": ArchiveKind.APPROVAL,
    "rectification_review": ArchiveKind.ASSESSMENT,
    "appeal": ArchiveKind.REVIEW,
    "appeal_review": ArchiveKind.REVIEW,
    "county_appeal_review": ArchiveKind.REVIEW,
}

STATUS_OF_MEASURE = {
    Measure.RECTIFICATION: Status.RECTIFYING,
    Measure.WITHDRAWAL: Status.WITHDRAWN,
    Measure.REMOVAL: Status.REMOVED,
}
OUTCOME_OF_MEASURE = {
    Measure.RECTIFICATION: DispositionOutcome.RECTIFICATION,
    Measure.WITHDRAWAL: DispositionOutcome.WITHDRAWN,
    Measure.REMOVAL: DispositionOutcome.REMOVED,
}


def _save(case: DispositionCase, *fields: str) -> None:
    case.save(update_fields=list(fields))


def decision_of(case: DispositionCase) -> dict:
    """The decision as the archive keeps it."""
    return {
        "grounds": case.grounds,
        "measure": case.measure,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "effective_on": case.effective_on.isoformat() if case.effective_on else None,
        "rectification_deadline": case.rectification_deadline.isoformat() if case.rectification_deadline else None,
        "outcome": case.outcome,
    }


def file_record(process: WorkflowProcess, record: StepRecord, person=None, extra: dict | None = None) -> None:
    """File the step's document into the person's archive, as it happens."""
    node = process.flow_class.instance.node(record.step)
    data = {"decision": record.decision, **record.data, **(extra or {})}
    if record.comment:
        data["comment"] = record.comment
    archive.file_entry(
        actor=record.actor,
        person=person or process.person,
        kind=ARCHIVE_KINDS[record.step],
        title=str(node.task_title),
        event_date=record.event_date,
        data=data,
        source_process=process.pk,
        source_step=record.step,
        imported=record.imported,
    )


def _reason(record: StepRecord, default: str) -> str:
    return str(record.data.get("reason") or record.comment or default)


def end_case(case: DispositionCase, record: StepRecord, outcome: str = "") -> None:
    case.ended_on = record.event_date
    fields = ["ended_on"]
    if outcome:
        case.outcome = outcome
        case.end_reason = _reason(record, "")
        fields += ["outcome", "end_reason"]
    _save(case, *fields)


def _carry_out(case: DispositionCase, record: StepRecord, measure: str) -> None:
    """The person's status changes by the measure from the day of the record."""
    reason = _("Disposition: %(measure)s") % {"measure": Measure(measure).label}
    set_status(
        actor=record.actor, person=case.person, status=STATUS_OF_MEASURE[measure], on=record.event_date, reason=reason
    )
    case.outcome = OUTCOME_OF_MEASURE[measure]
    case.effective_on = record.event_date
    _save(case, "outcome", "effective_on")


def _decide(case: DispositionCase, record: StepRecord) -> None:
    """The final approval: rectification and removal take effect now; withdrawal once the member is told and accepts."""
    case.decided_on = record.event_date
    fields = ["decided_on"]
    if case.measure == Measure.RECTIFICATION:
        case.rectification_deadline = record.event_date + relativedelta(months=case.rectification_months)
        fields.append("rectification_deadline")
    _save(case, *fields)
    if case.measure != Measure.WITHDRAWAL:
        _carry_out(case, record, case.measure)


def _on_investigation(case: DispositionCase, record: StepRecord) -> None:
    case.measure = record.data["measure"]
    case.rectification_months = rule.rectification_months(record.data.get("rectification_months"))
    fields = ["measure", "rectification_months"]
    if record.data.get("sanction_reference"):
        case.sanction_reference = record.data["sanction_reference"].strip()
        fields.append("sanction_reference")
    _save(case, *fields)


def _on_review(case: DispositionCase, record: StepRecord) -> None:
    if record.decision == REJECT:
        end_case(case, record, DispositionOutcome.NOT_APPROVED)


def _on_approval(case: DispositionCase, record: StepRecord) -> None:
    if record.decision == REJECT:
        end_case(case, record, DispositionOutcome.NOT_APPROVED)
    elif not rule.needs_county_approval(case.measure, record.event_date):
        _decide(case, record)


def _on_county_approval(case: DispositionCase, record: StepRecord) -> None:
    if record.decision == REJECT:
        end_case(case, record, DispositionOutcome.NOT_APPROVED)
    else:
        _decide(case, record)


def _on_notification(case: DispositionCase, record: StepRecord) -> None:
    """The member is told. Advised withdrawal is carried out when accepted; refused, the general meeting decides removal."""
    case.notified_on = record.event_date
    _save(case, "notified_on")
    if record.decision == REFUSED:
        case.measure = Measure.REMOVAL
        _save(case, "measure")
        return
    if record.decision == NOTIFIED and case.measure == Measure.WITHDRAWAL:
        _carry_out(case, record, Measure.WITHDRAWAL)
    if case.measure != Measure.RECTIFICATION:
        end_case(case, record)


def _on_rectification_review(case: DispositionCase, record: StepRecord) -> None:
    """Corrected: the member is active again. Unchanged: the status stays, and the case comes back as a proposal."""
    case.rectification_result = (
        RectificationResult.IMPROVED if record.decision == IMPROVED else RectificationResult.UNCHANGED
    )
    _save(case, "rectification_result")
    end_case(case, record)
    if record.decision == IMPROVED and case.outcome == DispositionOutcome.RECTIFICATION:
        set_status(
            actor=record.actor,
            person=case.person,
            status=Status.ACTIVE,
            on=record.event_date,
            reason=_("Rectification completed"),
        )


CASE_EFFECTS = {
    "investigation": _on_investigation,
    "pre_review": _on_review,
    "higher_pre_review": _on_review,
    "general_meeting_vote": _on_review,
    "approval": _on_approval,
    "county_approval": _on_county_approval,
    "notification": _on_notification,
    "rectification_review": _on_rectification_review,
}


def _on_appeal_answer(process: WorkflowProcess, record: StepRecord) -> None:
    """The answer to an appeal. Granted, the decision is revoked: the member is active again and the case stops."""
    appeal = process.appeal
    appeal.answered_on = record.event_date
    appeal.answer = record.data["answer"]
    appeal.outcome = AppealOutcome.GRANTED if record.decision == GRANT else AppealOutcome.DISMISSED
    appeal.save(update_fields=["answered_on", "answer", "outcome"])
    if record.decision != GRANT:
        return
    case = appeal.case
    case.outcome = DispositionOutcome.REVOKED
    case.end_reason = appeal.answer
    case.ended_on = case.ended_on or record.event_date
    _save(case, "outcome", "end_reason", "ended_on")
    set_status(
        actor=record.actor,
        person=case.person,
        status=Status.ACTIVE,
        on=record.event_date,
        reason=_("Revoked on appeal"),
    )
    if case.process.finished is None:
        # A rectification still waiting for its result: nothing is left to assess.
        case.process.flow_class.instance.cancel(case.process)


def on_recorded(process: WorkflowProcess, record: StepRecord) -> None:
    """Every disposition step: its consequences, then its document into the archive (the decision with the notice)."""
    if record.step in ("appeal_review", "county_appeal_review"):
        _on_appeal_answer(process, record)
        file_record(process, record)
        return
    case = rule.case_of(process)
    effect = CASE_EFFECTS.get(record.step)
    if effect is not None:
        effect(case, record)
    extra = {"disposition_decision": decision_of(case)} if record.step == "notification" else None
    file_record(process, record, extra=extra)
