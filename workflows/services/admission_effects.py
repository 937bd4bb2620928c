"""What each recorded admission step changes: the person's stage and status, the admission's dates,
and the document filed into the member archive.

`on_recorded` runs inside the task service's action, after the record is written and before the
flow moves on; everything here is part of that one transaction.
"""

from dateutil.relativedelta import relativedelta

from members import archive, stages
from members.models import ArchiveKind, Stage

from ..engine import APPROVE, CANCEL, CONVERT, EXTEND, REJECT, last_record
from ..models import AdmissionRecord, Outcome, StepRecord, WorkflowProcess
from .admission_rules import probation_end_of

# The document each step files into the member archive.
ARCHIVE_KINDS: dict[str, str] = {
    "application": ArchiveKind.APPLICATION,
    "talk": ArchiveKind.TALK,
    "activist_decision": ArchiveKind.RECOMMENDATION,
    "activist_filing": ArchiveKind.FILING,
    "mentors": ArchiveKind.RECOMMENDATION,
    "cultivation": ArchiveKind.ASSESSMENT,
    "candidate_decision": ArchiveKind.RECOMMENDATION,
    "candidate_filing": ArchiveKind.FILING,
    "sponsors": ArchiveKind.RECOMMENDATION,
    "political_review": ArchiveKind.POLITICAL_REVIEW,
    "training": ArchiveKind.TRAINING,
    "branch_review": ArchiveKind.REVIEW,
    "public_notice": ArchiveKind.PUBLIC_NOTICE,
    "pre_review": ArchiveKind.REVIEW,
    "admission_form": ArchiveKind.ADMISSION_FORM,
    "admission_vote": ArchiveKind.VOTE,
    "committee_talk": ArchiveKind.TALK,
    "admission_approval": ArchiveKind.APPROVAL,
    "county_filing": ArchiveKind.FILING,
    "join_branch": ArchiveKind.RECOMMENDATION,
    "oath": ArchiveKind.OATH,
    "probation_assessment": ArchiveKind.ASSESSMENT,
    "conversion_application": ArchiveKind.CONVERSION_APPLICATION,
    "conversion_vote": ArchiveKind.VOTE,
    "conversion_approval": ArchiveKind.APPROVAL,
    "archive": ArchiveKind.MATERIALS,
}  # the county gates file as ArchiveKind.GATE


def _admission(process: WorkflowProcess) -> AdmissionRecord:
    return process.admission


def _save(admission: AdmissionRecord, *fields: str) -> None:
    admission.save(update_fields=list(fields))


def file_record(process: WorkflowProcess, record: StepRecord) -> None:
    """File the step's document into the person's archive, as it happens."""
    node = process.flow_class.instance.node(record.step)
    data = {"decision": record.decision, **record.data}
    if record.comment:
        data["comment"] = record.comment
    archive.file_entry(
        actor=record.actor,
        person=process.person,
        kind=ARCHIVE_KINDS.get(record.step, ArchiveKind.GATE),
        title=str(node.task_title) if node is not None else record.step,
        event_date=record.event_date,
        data=data,
        source_process=process.pk,
        source_step=record.step,
        imported=record.imported,
    )


def end_admission(process: WorkflowProcess, record: StepRecord, outcome: str) -> None:
    admission = _admission(process)
    admission.outcome = outcome
    admission.ended_on = record.event_date
    admission.end_reason = str(record.data.get("reason") or "")
    _save(admission, "outcome", "ended_on", "end_reason")


def reject_application(process: WorkflowProcess, record: StepRecord) -> None:
    """The application is not accepted: the process ends with the reason, the person's status is `rejected`."""
    stages.reject_application(actor=record.actor, person=process.person)
    end_admission(process, record, Outcome.REJECTED)


def return_to_cultivation(process: WorkflowProcess, record: StepRecord) -> None:
    """A candidate not passed stays an activist; cultivation begins a new round from this day."""
    if process.person.stage == Stage.CANDIDATE:
        process.person = stages.return_to_activist(actor=record.actor, person=process.person)
    admission = _admission(process)
    admission.cultivation_since = record.event_date
    admission.candidate_since = None
    _save(admission, "cultivation_since", "candidate_since")


def _on_application_decision(process: WorkflowProcess, record: StepRecord) -> None:
    if record.decision == REJECT:
        reject_application(process, record)


def _on_activist_decision(process: WorkflowProcess, record: StepRecord) -> None:
    if record.decision == REJECT:
        reject_application(process, record)
        return
    process.person = stages.advance_stage(actor=record.actor, person=process.person, to=Stage.ACTIVIST, on=record.event_date)
    admission = _admission(process)
    admission.activist_since = admission.cultivation_since = record.event_date
    _save(admission, "activist_since", "cultivation_since")


def _on_candidate_decision(process: WorkflowProcess, record: StepRecord) -> None:
    if record.decision != APPROVE:
        return
    process.person = stages.advance_stage(actor=record.actor, person=process.person, to=Stage.CANDIDATE, on=record.event_date)
    admission = _admission(process)
    admission.candidate_since = record.event_date
    fields = ["candidate_since"]
    if record.data.get("prior_activist_days") is not None:
        admission.prior_activist_days = record.data["prior_activist_days"]
        fields.append("prior_activist_days")
    _save(admission, *fields)


def _on_admission_vote(process: WorkflowProcess, record: StepRecord) -> None:
    if record.decision == REJECT:
        return_to_cultivation(process, record)
        return
    admission = _admission(process)
    admission.vote_date = record.event_date
    _save(admission, "vote_date")


def _on_admission_approval(process: WorkflowProcess, record: StepRecord) -> None:
    """Probationary from the approval; the probation runs one year from the vote date."""
    if record.decision == REJECT:
        return_to_cultivation(process, record)
        return
    admission = _admission(process)
    process.person = stages.advance_stage(
        actor=record.actor, person=process.person, to=Stage.PROBATIONARY, on=record.event_date
    )
    admission.probation_start = admission.vote_date
    admission.probation_end = probation_end_of(admission.vote_date)
    _save(admission, "probation_start", "probation_end")


def _on_conversion_vote(process: WorkflowProcess, record: StepRecord) -> None:
    admission = _admission(process)
    if record.decision == EXTEND:
        months = record.data["months"]
        admission.extended_months = months
        admission.probation_end = admission.probation_end + relativedelta(months=months)
        _save(admission, "extended_months", "probation_end")
    elif record.decision == CANCEL:
        process.person = stages.cancel_probation(actor=record.actor, person=process.person)
        end_admission(process, record, Outcome.PROBATION_CANCELLED)


def _on_conversion_approval(process: WorkflowProcess, record: StepRecord) -> None:
    """Full membership takes effect on the day the probation ended; the party standing counts from it."""
    vote = last_record(process, "conversion_vote")
    if vote.decision != CONVERT:
        return
    admission = _admission(process)
    process.person = stages.advance_stage(
        actor=record.actor, person=process.person, to=Stage.FULL, on=admission.probation_end
    )
    admission.converted_on = admission.probation_end
    _save(admission, "converted_on")


def _on_archive(process: WorkflowProcess, record: StepRecord) -> None:
    admission = _admission(process)
    if not admission.outcome:
        end_admission(process, record, Outcome.ADMITTED)


def _on_return_gate(process: WorkflowProcess, record: StepRecord) -> None:
    if record.decision == REJECT:
        return_to_cultivation(process, record)


STEP_EFFECTS = {
    "talk": _on_application_decision,
    "written_test": _on_application_decision,
    "county_joint_review": _on_application_decision,
    "close_relative_review": _on_application_decision,
    "public_defense": _on_return_gate,
    "activist_decision": _on_activist_decision,
    "candidate_decision": _on_candidate_decision,
    "political_review": _on_application_decision,
    "admission_vote": _on_admission_vote,
    "admission_approval": _on_admission_approval,
    "conversion_vote": _on_conversion_vote,
    "conversion_approval": _on_conversion_approval,
    "archive": _on_archive,
}


def on_recorded(process: WorkflowProcess, record: StepRecord) -> None:
    """Every admission step: its own consequences, then its document into the archive."""
    effect = STEP_EFFECTS.get(record.step)
    if effect is not None:
        effect(process, record)
    file_record(process, record)
