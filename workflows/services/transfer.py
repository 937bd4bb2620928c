"""Requesting a relation transfer, the paper receipt, the expiry of letters, and the reads of transfers.

The steps in between are tasks of the `transfer` flow, recorded through workflows.services.tasks like
any other; `approve_and_send` records the sending committee's approval in one call (what a benchmark
of letter delivery times, with tenants.mailbox.deliver_pending).
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members.models import Person
from orgs.access import can, scope
from orgs.models import Organization
from orgs.selectors import branch_of
from tenants import mailbox
from tenants.selectors import counties

from .. import transfer_rules as rule
from ..engine import APPROVE, EXPIRED, OPEN_STATUSES, RECEIPTED, SUBMIT
from ..flows.transfer import TransferFlow
from ..models import (
    StepRecord,
    StepTask,
    Transfer,
    TransferDirection,
    TransferKind,
    TransferStatus,
)
from .tasks import complete_task, track_open_tasks
from .transfer_effects import complete_outgoing, issue_letter, return_to_sender
from .transfer_mailbox import run_await_receipt

TEXT_LIMITS = {"to_org_name": 200, "to_address": 300}


def sending_org(person: Person) -> Organization:
    """The organization that sends the member: their branch (a party group's branch), or where they are kept."""
    return branch_of(person.org) or person.org


def _text(value: str, field: str, message: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise RuleViolation(message, field=field)
    if len(text) > TEXT_LIMITS.get(field, 10_000):
        raise RuleViolation(_("At most %(count)d characters.") % {"count": TEXT_LIMITS[field]}, field=field)
    return text


def _destination(
    kind: str,
    from_org: Organization,
    to_org: Organization | None,
    to_county: str,
    to_org_name: str,
    to_name: str,
    to_address: str,
) -> dict[str, Any]:
    """Where the member goes, checked for the kind of transfer."""
    if kind == TransferKind.WITHIN_COUNTY:
        rule.check_destination_is_another_branch(from_org, to_org)
        return {"to_org": to_org, "to_org_name": to_org.name}
    if kind == TransferKind.BETWEEN_COUNTIES:
        county = counties().filter(slug=(to_county or "").strip()).exclude(pk=mailbox.this_county().pk).first()
        if county is None:
            raise RuleViolation(_("Choose another county of the platform."), field="to_county")
        name = _text(to_org_name, "to_org_name", _("Name the organization the letter is addressed to."))
        return {"to_county_slug": county.slug, "to_county_name": county.name, "to_org_name": name}
    name = _text(to_name, "to_name", _("Name the party organization the member goes to."))
    return {"to_org_name": name, "to_address": _text(to_address, "to_address", "", required=False)}


def request_transfer(
    *,
    actor,
    person: Person,
    kind: str,
    date: datetime.date,
    reason: str,
    to_org: Organization | None = None,
    to_county: str = "",
    to_org_name: str = "",
    to_name: str = "",
    to_address: str = "",
) -> Transfer:
    """Step `request`: the branch asks to transfer the member; the letter follows the approvals the kind needs."""
    check_event_date(date)
    from_org = sending_org(person)
    if not can(actor, "request_transfer", from_org):
        raise PermissionDenied
    if kind not in TransferKind.values:
        raise RuleViolation(_("Choose from: %(choices)s.") % {"choices": ", ".join(TransferKind.values)}, field="kind")
    reason = _text(reason, "reason", _("Record the reason for the transfer."))
    destination = _destination(kind, from_org, to_org, to_county, to_org_name, to_name, to_address)
    rule.check_may_transfer(person, date)
    routing = rule.routing(kind, from_org, destination.get("to_org"), date)

    with action(actor):
        process = TransferFlow.request.run(person=person, org=from_org, actor=actor, routing=routing)
        transfer = Transfer.objects.create(
            process=process,
            direction=TransferDirection.OUTGOING,
            kind=kind,
            person=person,
            person_name=person.name,
            id_number=person.id_number,
            stage=person.stage,
            from_org=from_org,
            from_county_slug=mailbox.this_county().slug,
            from_county_name=mailbox.this_county().name,
            from_org_name=from_org.name,
            reason=reason,
            requested_on=date,
            **destination,
        )
        StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=TransferFlow.request),
            step=TransferFlow.request.code,
            decision=SUBMIT,
            event_date=date,
            actor=actor,
            on_behalf_of_org=from_org,
            data={"kind": kind, "reason": reason, "to": transfer.to_org_name, "to_county": transfer.to_county_slug},
        )
        if not routing["sending_approval"]:
            # Within the county, where the county asks no committee to approve: the branch issues the letter.
            issue_letter(process, transfer, actor=actor, on=date)
        track_open_tasks(process)
    return transfer


def open_task(transfer: Transfer, step: str) -> StepTask | None:
    return StepTask.objects.filter(process_id=transfer.pk, step=step, task__status__in=OPEN_STATUSES).first()


def approve_and_send(
    *, actor, transfer: Transfer, date: datetime.date | None = None, valid_days: int | None = None
) -> Transfer:
    """The sending committee approves and the letter goes out (into the mailbox when it is for another county)."""
    step_task = open_task(transfer, "approval") or open_task(transfer, "reissue")
    if step_task is None:
        raise Conflict(_("This transfer is not waiting for an approval."))
    data = {} if valid_days is None else {"valid_days": valid_days}
    complete_task(actor=actor, step_task=step_task, decision=APPROVE, date=date, data=data)
    return Transfer.objects.get(pk=transfer.pk)


def register_receipt(*, actor, transfer: Transfer, date: datetime.date) -> Transfer:
    """The paper receipt of a letter to an organization outside the platform has come back (回执)."""
    check_event_date(date)
    if not can(actor, "register_receipt", transfer.from_org):
        raise PermissionDenied
    if transfer.kind != TransferKind.OUTSIDE_PLATFORM:
        raise RuleViolation(
            _("Only a letter to an organization outside the platform has its receipt registered by hand."), field="date"
        )
    if transfer.status == TransferStatus.COMPLETED:
        raise Conflict(_("The receipt of this letter has already been registered."))
    if transfer.status != TransferStatus.APPROVED:
        raise Conflict(_("This transfer has no letter out waiting for its receipt."))
    if date < transfer.issued_on:
        raise RuleViolation(_("The receipt cannot come back before the letter was issued."), field="date")
    with action(actor):
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("person", "from_org", "process")
            .get(pk=transfer.pk)
        )
        complete_outgoing(transfer.process, transfer, actor=actor, on=today(), receipt_date=date)
        run_await_receipt(transfer, decision=RECEIPTED, on=date, actor=actor)
    return transfer


# --- Expiry ------------------------------------------------------------------------------------------


def _expire_outgoing(transfer: Transfer, on: datetime.date) -> bool:
    """A letter out of the county past its last day, still unanswered, is void; the member is active here again."""
    if transfer.letter_id is not None:
        letter = mailbox.locked(transfer.letter_id)
        if mailbox.is_answered(letter):
            return False  # its answer is in the mailbox and will be delivered
        mailbox.void(letter)
    expired_on = transfer.valid_until + datetime.timedelta(days=1)
    return_to_sender(
        transfer.process,
        transfer,
        actor=None,
        on=expired_on,
        reason=_("Introduction letter %(number)s expired on %(date)s unused")
        % {
            "number": transfer.letter_number,
            "date": transfer.valid_until.isoformat(),
        },
        status=TransferStatus.EXPIRED,
    )
    run_await_receipt(transfer, decision=EXPIRED, on=expired_on)
    return True


def expire_letters(on: datetime.date | None = None) -> dict[str, int]:
    """The daily sweep of this county: void the letters out past their last day, close incoming ones voided.

    Idempotent: an expired transfer is no longer out, a cancelled incoming process no longer open.
    """
    on = on or today()
    expired = cancelled = 0
    outgoing = Transfer.objects.filter(
        direction=TransferDirection.OUTGOING,
        kind__in=(TransferKind.BETWEEN_COUNTIES, TransferKind.OUTSIDE_PLATFORM),
        status__in=rule.LETTER_OUT,
        valid_until__lt=on,
    ).values_list("pk", flat=True)
    for pk in outgoing:
        with action(None):
            transfer = (
                Transfer.objects.select_for_update(of=("self",))
                .select_related("person", "from_org", "process")
                .get(pk=pk)
            )
            if transfer.status in rule.LETTER_OUT:
                expired += _expire_outgoing(transfer, on)
    incoming = Transfer.objects.filter(
        direction=TransferDirection.INCOMING, status=TransferStatus.RECEIVED, process__finished__isnull=True
    ).select_related("process")
    for transfer in incoming:
        if not mailbox.is_void(transfer.letter_id):
            continue
        with action(None):
            transfer.status = TransferStatus.EXPIRED
            transfer.save(update_fields=["status"])
            transfer.process.flow_class.instance.cancel(transfer.process)
        cancelled += 1
    return {"expired": expired, "cancelled": cancelled}


# --- Reads -------------------------------------------------------------------------------------------


def transfers_visible_to(user) -> QuerySet[Transfer]:
    """Transfers from, to or running in the subtrees the user's roles cover, and the user's own."""
    if not getattr(user, "is_authenticated", False):
        return Transfer.objects.none()
    condition = (
        scope(user, "view_transfers", "from_org__")
        | scope(user, "view_transfers", "to_org__")
        | scope(user, "view_transfers", "process__org__")
        | Q(person__user_id=user.pk)
    )
    return Transfer.objects.filter(condition).select_related("process", "person", "from_org", "to_org").distinct()
