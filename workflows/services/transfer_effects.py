"""What each recorded transfer step changes: the letter, the person's status and organization, the archive.

`on_recorded` runs inside the task service's action, after the record is written and before the flow
moves on; everything here is part of that one transaction, and so is a letter posted to the mailbox
(an outbox: no state change without its letter, no letter without its state change). Statuses change
only through members.statuses, stages only through members.stages.

A change to the process row itself (its organization, its person) is written with an update: the
activation that ends a flow saves the process as it loaded it.
"""

import datetime

from django.utils.translation import gettext as _

from core.exceptions import Conflict, RuleViolation
from members import archive
from members.models import ArchiveKind, Person, Status
from members.services import update_person
from members.statuses import set_status
from orgs.models import Organization
from tenants import mailbox
from tenants.models import County, Letter

from .. import transfer_rules as rule
from ..engine import APPROVE, OPEN_STATUSES, REJECT, acting_org
from ..models import (
    LetterSequence,
    StepRecord,
    StepTask,
    Transfer,
    TransferKind,
    TransferStatus,
    WorkflowProcess,
)
from .transfer_package import check_seal, continue_admission, file_archive, letter_payload, person_in_receiver


def _save(transfer: Transfer, *fields: str) -> None:
    transfer.save(update_fields=list(fields))


def _move_process(process: WorkflowProcess, **fields) -> None:
    """Point the process at another organization or person, on this instance and in the database."""
    for name, value in fields.items():
        setattr(process, name, value)
    WorkflowProcess.objects.filter(pk=process.pk).update(**fields)


def next_letter_number(on: datetime.date) -> str:
    """The county's next letter number of the year: 2026-0001, 2026-0002, … (no gaps, no repeats)."""
    LetterSequence.objects.bulk_create([LetterSequence(year=on.year)], ignore_conflicts=True)
    sequence = LetterSequence.objects.select_for_update().get(year=on.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{on.year}-{sequence.last:04d}"


def _file(actor, person: Person, transfer: Transfer, title: str, on: datetime.date, step: str, **data) -> None:
    archive.file_entry(
        actor=actor,
        person=person,
        kind=ArchiveKind.MATERIALS,
        title=title,
        event_date=on,
        data={"letter_number": transfer.letter_number, **data},
        source_process=transfer.pk,
        source_step=step,
    )


def destination_of(transfer: Transfer) -> str:
    if transfer.kind == TransferKind.WITHIN_COUNTY:
        return transfer.to_org.name
    if transfer.kind == TransferKind.BETWEEN_COUNTIES:
        return f"{transfer.to_county_name} {transfer.to_org_name}"
    return transfer.to_org_name


# --- The sending side --------------------------------------------------------------------------------


def issue_letter(
    process: WorkflowProcess, transfer: Transfer, *, actor, on: datetime.date, valid_days: int | None = None
) -> Transfer:
    """Number and date the introduction letter; the member is in transit until the receiving side answers.

    Between counties the letter is posted to the mailbox in this same transaction.
    """
    person = Person.objects.get(pk=transfer.person_id)
    rule.check_on_the_active_roll(person)
    rule.check_probation_decided_before_transfer(person, on)
    transfer.letter_number = next_letter_number(on)
    transfer.issued_on = on
    transfer.valid_until = rule.valid_until(on, valid_days)
    transfer.return_reason = ""
    person = set_status(
        actor=actor,
        person=person,
        status=Status.IN_TRANSIT,
        on=on,
        reason=_("Introduction letter %(number)s to %(to)s")
        % {"number": transfer.letter_number, "to": destination_of(transfer)},
    )
    _file(
        actor,
        person,
        transfer,
        _("Introduction letter %(number)s issued") % {"number": transfer.letter_number},
        on,
        "approval",
        to=destination_of(transfer),
        valid_until=transfer.valid_until.isoformat(),
    )
    transfer.status = TransferStatus.APPROVED
    if transfer.kind == TransferKind.WITHIN_COUNTY:
        # The receiving side's steps are acted on by the receiving branch and its committee.
        _move_process(process, org=transfer.to_org)
    if transfer.kind == TransferKind.BETWEEN_COUNTIES:
        letter = mailbox.post(
            kind=Letter.Kind.LETTER,
            to_county=County.objects.get(slug=transfer.to_county_slug),
            payload=letter_payload(transfer, person),
            valid_until=transfer.valid_until,
        )
        transfer.letter_id = letter.pk
        transfer.status = TransferStatus.SENT
    _save(transfer, "letter_number", "issued_on", "valid_until", "return_reason", "status", "letter_id")
    return transfer


def retire_letter(transfer: Transfer) -> None:
    """Keep the returned or expired letter's number and fate beside the transfer before a new one is issued."""
    transfer.earlier_letters = [
        *transfer.earlier_letters,
        {
            "letter_number": transfer.letter_number,
            "issued_on": transfer.issued_on.isoformat() if transfer.issued_on else None,
            "valid_until": transfer.valid_until.isoformat() if transfer.valid_until else None,
            "status": transfer.status,
            "return_reason": transfer.return_reason,
        },
    ]
    transfer.letter_id = None
    _save(transfer, "earlier_letters", "letter_id")


def return_to_sender(
    process: WorkflowProcess,
    transfer: Transfer,
    *,
    actor,
    on: datetime.date,
    reason: str,
    status: str,
    step: str = "await_receipt",
) -> Transfer:
    """The letter came back (returned with a reason, or expired): the member is on the sender's active roll again."""
    person = set_status(actor=actor, person=transfer.person, status=Status.ACTIVE, on=on, reason=reason)
    transfer.status = status
    transfer.return_reason = reason
    _save(transfer, "status", "return_reason")
    if process.org_id != transfer.from_org_id:
        _move_process(process, org=transfer.from_org)
    _file(
        actor,
        person,
        transfer,
        _("Introduction letter %(number)s came back") % {"number": transfer.letter_number},
        on,
        step,
        reason=reason,
    )
    return transfer


def end_admission_here(person: Person, on: datetime.date, reason: str) -> None:
    """The admission under way continues in the receiving county: it stops here, its records kept."""
    admission = rule.open_admission(person)
    if admission is None:
        return
    admission.ended_on = on
    admission.end_reason = reason
    admission.save(update_fields=["ended_on", "end_reason"])
    admission.process.flow_class.instance.cancel(admission.process)


def complete_outgoing(
    process: WorkflowProcess, transfer: Transfer, *, actor, on: datetime.date, receipt_date: datetime.date
) -> Transfer:
    """The receipt is back: the member leaves this county's roll (their archive stays here too, never deleted)."""
    reason = _("Transferred to %(to)s (letter %(number)s)") % {
        "to": destination_of(transfer),
        "number": transfer.letter_number,
    }
    person = set_status(
        actor=actor, person=transfer.person, status=Status.TRANSFERRED_OUT, on=receipt_date, reason=reason
    )
    end_admission_here(person, receipt_date, reason)
    transfer.status = TransferStatus.COMPLETED
    transfer.receipt_date = receipt_date
    transfer.completed_on = on
    _save(transfer, "status", "receipt_date", "completed_on")
    _file(
        actor,
        person,
        transfer,
        _("Receipt of introduction letter %(number)s") % {"number": transfer.letter_number},
        receipt_date,
        "await_receipt",
    )
    return transfer


def _move_admission(person: Person, to: Organization) -> None:
    """Within the county the admission under way continues, acted on by the new branch and its committee."""
    admission = rule.open_admission(person)
    if admission is None:
        return
    process = admission.process
    _move_process(process, org=to)
    for step_task in StepTask.objects.filter(process=process, task__status__in=OPEN_STATUSES):
        step_task.org = acting_org(step_task.actor, process)
        step_task.save(update_fields=["org"])


def complete_within_county(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    """The receiving branch takes the member in: the same record, in the new branch, on the active roll."""
    person = update_person(actor=record.actor, person=transfer.person, org=transfer.to_org)
    person = set_status(
        actor=record.actor,
        person=person,
        status=Status.ACTIVE,
        on=record.event_date,
        reason=_("Transferred to %(to)s (letter %(number)s)")
        % {"to": transfer.to_org.name, "number": transfer.letter_number},
    )
    _move_admission(person, transfer.to_org)
    transfer.status = TransferStatus.COMPLETED
    transfer.receipt_date = record.event_date
    transfer.completed_on = record.event_date
    _save(transfer, "status", "receipt_date", "completed_on")
    _file(
        record.actor,
        person,
        transfer,
        _("Taken into %(org)s") % {"org": transfer.to_org.name},
        record.event_date,
        record.step,
    )


def _on_approval(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    if record.decision == REJECT:
        transfer.status = TransferStatus.RETURNED
        transfer.return_reason = record.data["reason"]
        _save(transfer, "status", "return_reason")
        return
    issue_letter(process, transfer, actor=record.actor, on=record.event_date, valid_days=record.data.get("valid_days"))


def _on_receiving_side(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    """Within the county: the receiving committee or branch refuses with a reason, or the branch takes the member."""
    if record.decision == REJECT:
        return_to_sender(
            process,
            transfer,
            actor=record.actor,
            on=record.event_date,
            reason=record.data["reason"],
            status=TransferStatus.RETURNED,
            step=record.step,
        )
    elif record.step == "branch_acceptance":
        complete_within_county(process, transfer, record)


def _on_reissue(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    """A new letter (a new number and validity) replaces the returned or expired one; or the transfer closes as it is."""
    if record.decision == REJECT:
        return
    retire_letter(transfer)
    issue_letter(process, transfer, actor=record.actor, on=record.event_date, valid_days=record.data.get("valid_days"))


# --- The receiving county ----------------------------------------------------------------------------


def _answerable(transfer: Transfer) -> Letter:
    """The letter, locked: neither void (expired) nor answered yet. A letter is answered once."""
    letter = mailbox.locked(transfer.letter_id)
    if letter.voided_at is not None:
        raise RuleViolation(
            _("The sending county has voided this letter (it expired); it will send a new one."), field="decision"
        )
    if mailbox.is_answered(letter):
        raise Conflict(_("This letter has already been answered."))
    return letter


def _answer(transfer: Transfer, letter: Letter, kind: str, payload: dict) -> None:
    """Post the receipt or the return to the sending county, in this transaction."""
    mailbox.post(
        kind=kind,
        to_county=County.objects.get(slug=transfer.from_county_slug),
        payload={"letter_number": transfer.letter_number, **payload},
        in_reply_to=letter,
    )


def accept_incoming(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    """The member joins the chosen branch with their stage, dates, admission under way and sealed archive."""
    letter = _answerable(transfer)
    payload = transfer.payload
    check_seal(payload["archive"])
    branch = Organization.objects.get(pk=record.data["org"])
    actor, on = record.actor, record.event_date
    person = person_in_receiver(actor, payload["person"], branch, on)
    if payload.get("admission"):
        continue_admission(actor, person, branch, payload["admission"])
    entries = file_archive(actor, person, payload["archive"], transfer, on)
    transfer.person, transfer.to_org = person, branch
    transfer.status = TransferStatus.ACCEPTED
    transfer.receipt_date = on
    _save(transfer, "person", "to_org", "status", "receipt_date")
    _move_process(process, person=person, org=branch)
    _answer(
        transfer,
        letter,
        Letter.Kind.RECEIPT,
        {
            "accepted_on": on.isoformat(),
            "org_name": branch.name,
            "county_name": mailbox.this_county().name,
            "entries_received": entries,
            "digest": payload["archive"]["digest"],
        },
    )


def return_incoming(transfer: Transfer, record: StepRecord) -> None:
    """The receiving county returns the letter with its reason (it may not refuse without cause)."""
    letter = _answerable(transfer)
    transfer.status = TransferStatus.RETURNED
    transfer.return_reason = record.data["reason"]
    _save(transfer, "status", "return_reason")
    _answer(
        transfer,
        letter,
        Letter.Kind.RETURN,
        {"returned_on": record.event_date.isoformat(), "reason": transfer.return_reason},
    )


def _on_letter_acceptance(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    if record.decision == APPROVE:
        accept_incoming(process, transfer, record)
    else:
        return_incoming(transfer, record)


def _on_archive_check(process: WorkflowProcess, transfer: Transfer, record: StepRecord) -> None:
    transfer.status = TransferStatus.COMPLETED
    transfer.completed_on = record.event_date
    _save(transfer, "status", "completed_on")
    archive.file_entry(
        actor=record.actor,
        person=transfer.person,
        kind=ArchiveKind.TALK,
        title=_("Archive checked against the member"),
        event_date=record.event_date,
        data={"talker": record.data["talker"], "letter_number": transfer.letter_number},
        source_process=process.pk,
        source_step=record.step,
    )


STEP_EFFECTS = {
    "approval": _on_approval,
    "receiving_approval": _on_receiving_side,
    "branch_acceptance": _on_receiving_side,
    "reissue": _on_reissue,
    "letter_acceptance": _on_letter_acceptance,
    "archive_check": _on_archive_check,
}


def on_recorded(process: WorkflowProcess, record: StepRecord) -> None:
    """Every transfer step: its consequences for the transfer, the person and the mailbox."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_org", "to_org")
        .get(pk=process.pk)
    )
    STEP_EFFECTS[record.step](process, transfer, record)
