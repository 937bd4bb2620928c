"""What the letters of the mailbox do in the county they reach (tenants.mailbox calls these by name).

Each handler runs inside that county's schema, in a transaction with the letter's row locked, and is
idempotent by the letter's UUID: run twice, it finds its own earlier work and writes nothing.
- an introduction letter opens the receiving county's `transfer` process, whose first task is the
  acceptance (a letter already there is not opened twice: the transfer keeps the UUID, unique);
- a receipt completes the sender's transfer, and the member leaves its roll;
- a return puts the member back on the sender's active roll and the letter on its task list.
"""

import datetime

from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from core.actions import action
from core.dates import today
from orgs.selectors import root_organization
from tenants.models import Letter

from ..engine import RECEIPTED, RETURNED, SUBMIT
from ..flows.transfer import TransferFlow
from ..models import StepRecord, Transfer, TransferDirection, TransferKind, TransferStatus
from .tasks import track_open_tasks
from .transfer_effects import complete_outgoing, return_to_sender


def receive_letter(letter: Letter) -> Transfer:
    """The receiving county's side: a `transfer` process waiting for its acceptance, keyed by the letter's UUID."""
    existing = Transfer.objects.filter(letter_id=letter.pk).first()
    if existing is not None:
        return existing
    sent = letter.payload
    with action(None):
        process = TransferFlow.incoming.run(county_org=root_organization())
        transfer = Transfer.objects.create(
            process=process,
            direction=TransferDirection.INCOMING,
            kind=TransferKind.BETWEEN_COUNTIES,
            status=TransferStatus.RECEIVED,
            person_name=sent["person"]["name"],
            id_number=sent["person"]["id_number"],
            stage=sent["person"]["stage"],
            from_county_slug=letter.from_county.slug,
            from_county_name=letter.from_county.name,
            from_org_name=sent["letter"]["from_org_name"],
            to_county_slug=letter.to_county.slug,
            to_county_name=letter.to_county.name,
            to_org_name=sent["letter"]["to_org_name"],
            reason=sent["letter"]["reason"],
            requested_on=datetime.date.fromisoformat(sent["letter"]["issued_on"]),
            letter_number=sent["letter"]["letter_number"],
            letter_id=letter.pk,
            issued_on=datetime.date.fromisoformat(sent["letter"]["issued_on"]),
            valid_until=letter.valid_until,
            payload=sent,
        )
        StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=TransferFlow.incoming),
            step=TransferFlow.incoming.code,
            decision=SUBMIT,
            event_date=transfer.issued_on,
            data={
                "letter_number": transfer.letter_number,
                "from": f"{transfer.from_county_name} {transfer.from_org_name}",
            },
        )
        track_open_tasks(process)
    return transfer


def letter_delivered(letter: Letter) -> None:
    """In the sending county: the letter has reached the receiving county."""
    Transfer.objects.filter(letter_id=letter.pk, status=TransferStatus.SENT).update(status=TransferStatus.RECEIVED)


def _waiting_transfer(reply: Letter) -> Transfer | None:
    """The sender's transfer still waiting for this answer (None when the answer was already taken in)."""
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_org", "process")
        .filter(letter_id=reply.in_reply_to_id, status__in=(TransferStatus.SENT, TransferStatus.RECEIVED))
        .first()
    )


def run_await_receipt(transfer: Transfer, *, decision: str, on: datetime.date, actor=None, **data) -> None:
    """The letter's answer is in (or it expired): recorded, and the sending process moves on past `await_receipt`."""
    task = transfer.process.task_set.get(flow_task=TransferFlow.await_receipt, status=STATUS.NEW)
    StepRecord.objects.create(
        process=transfer.process,
        task=task,
        step=TransferFlow.await_receipt.name,
        decision=decision,
        event_date=on,
        actor=actor,
        on_behalf_of_org=transfer.from_org if actor is not None else None,
        data={"letter_number": transfer.letter_number, **data},
    )
    TransferFlow.await_receipt.run(task)
    track_open_tasks(transfer.process)


def receive_receipt(receipt: Letter) -> None:
    """In the sending county: the receiving county accepted; the member leaves this roll and the transfer completes."""
    transfer = _waiting_transfer(receipt)
    if transfer is None:
        return
    accepted_on = datetime.date.fromisoformat(receipt.payload["accepted_on"])
    with action(None):
        complete_outgoing(transfer.process, transfer, actor=None, on=today(), receipt_date=accepted_on)
        run_await_receipt(
            transfer,
            decision=RECEIPTED,
            on=accepted_on,
            org_name=receipt.payload["org_name"],
            county=receipt.from_county.name,
        )


def receive_return(returned: Letter) -> None:
    """In the sending county: the letter came back with a reason; the member is active here again."""
    transfer = _waiting_transfer(returned)
    if transfer is None:
        return
    reason = _("Returned by %(county)s: %(reason)s") % {
        "county": returned.from_county.name,
        "reason": returned.payload["reason"],
    }
    returned_on = datetime.date.fromisoformat(returned.payload["returned_on"])
    with action(None):
        return_to_sender(
            transfer.process, transfer, actor=None, on=returned_on, reason=reason, status=TransferStatus.RETURNED
        )
        run_await_receipt(transfer, decision=RETURNED, on=returned_on, reason=returned.payload["reason"])
