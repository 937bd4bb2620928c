"""The mailbox between counties (docs/decisions/0004, ARCHITECTURE.md "Crossing counties").

A county posts a letter inside the transaction of its own state change (an outbox): the letter
exists exactly when the change does. After the commit a Celery task delivers it (tenants.tasks),
and a beat sweep delivers whatever is still waiting, so a lost message only delays a letter.

Delivery is at least once and its effect exactly once:
1. `receive` runs the handler of the letter's kind inside the receiving county's schema. Each handler
   is idempotent by the letter's UUID (the receiver keeps the UUID under a unique constraint), so a
   second run finds its own earlier work and writes nothing.
2. `acknowledge` marks the letter delivered, once, and tells the sending county (inside its own
   schema) that it arrived.
A worker that dies between the two leaves the letter undelivered; the next attempt receives it again
(a no-op) and acknowledges it. A delivered or void letter is never delivered again.
"""

import datetime
import logging
import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tenants.utils import tenant_context

from .models import County, Letter

logger = logging.getLogger(__name__)

# What each kind of letter does in the county it reaches, and in the county that sent it once it
# has arrived. Dotted paths: the platform's mailbox knows the handlers' names, not their modules.
RECEIVERS = {
    Letter.Kind.LETTER: "workflows.services.transfer_mailbox.receive_letter",
    Letter.Kind.RECEIPT: "workflows.services.transfer_mailbox.receive_receipt",
    Letter.Kind.RETURN: "workflows.services.transfer_mailbox.receive_return",
}
ON_DELIVERED = {
    Letter.Kind.LETTER: "workflows.services.transfer_mailbox.letter_delivered",
}


def this_county() -> County:
    """The county whose schema the connection is in (the sender of what it posts now)."""
    return County.objects.get(schema_name=connection.schema_name)


def post(
    *,
    kind: str,
    to_county: County,
    payload: dict[str, Any],
    valid_until: datetime.date | None = None,
    in_reply_to: Letter | None = None,
) -> Letter:
    """Write a letter from this county in the caller's transaction; it is sent once that transaction commits."""
    letter = Letter.objects.create(
        kind=kind,
        from_county=this_county(),
        to_county=to_county,
        payload=payload,
        valid_until=valid_until,
        in_reply_to=in_reply_to,
    )
    transaction.on_commit(lambda: _send(letter.pk))
    return letter


def _send(letter_id: uuid.UUID) -> None:
    from .tasks import deliver_letter

    try:
        deliver_letter.delay(str(letter_id))
    except Exception:  # the broker is down: the beat sweep delivers the letter later
        logger.warning("Letter %s not queued; the sweep will deliver it.", letter_id, exc_info=True)


def locked(letter_id: uuid.UUID) -> Letter:
    """The letter, its row locked until the end of the caller's transaction (answers and voiding race on it)."""
    return Letter.objects.select_for_update().get(pk=letter_id)


def void(letter: Letter) -> None:
    """An introduction letter that expired unanswered is void: never delivered nor accepted any more."""
    letter.voided_at = timezone.now()
    letter.save(update_fields=["voided_at"])


def is_void(letter_id: uuid.UUID) -> bool:
    return Letter.objects.filter(pk=letter_id, voided_at__isnull=False).exists()


def is_answered(letter: Letter) -> bool:
    return Letter.objects.filter(in_reply_to=letter).exists()


def receive(letter_id: uuid.UUID | str) -> bool:
    """Step 1 of a delivery: the letter's effect in the receiving county (idempotent). False when there is nothing to do."""
    letter = Letter.objects.select_related("to_county", "from_county").get(pk=letter_id)
    if letter.delivered_at is not None or letter.voided_at is not None:
        return False
    Letter.objects.filter(pk=letter.pk).update(attempts=F("attempts") + 1)
    handler = import_string(RECEIVERS[letter.kind])
    try:
        with tenant_context(letter.to_county), transaction.atomic():
            # Two workers holding the same letter take turns here; the second finds the first's work.
            current = locked(letter.pk)
            if current.voided_at is not None:
                return False
            if current.delivered_at is None:
                handler(current)
    except Exception as exc:
        Letter.objects.filter(pk=letter.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return True


def acknowledge(letter_id: uuid.UUID | str) -> bool:
    """Step 2 of a delivery: mark the letter delivered, once, and tell its sender. False when it already was."""
    with transaction.atomic():
        marked = Letter.objects.filter(pk=letter_id, delivered_at__isnull=True, voided_at__isnull=True).update(
            delivered_at=timezone.now(), last_error=""
        )
        if not marked:
            return False
        letter = Letter.objects.select_related("from_county").get(pk=letter_id)
        if letter.kind in ON_DELIVERED:
            with tenant_context(letter.from_county):
                import_string(ON_DELIVERED[letter.kind])(letter)
    return True


def deliver(letter_id: uuid.UUID | str) -> bool:
    """Deliver one letter: its effect in the receiving county, then the acknowledgement. True when delivered now."""
    return receive(letter_id) and acknowledge(letter_id)


def pending() -> Any:
    return Letter.objects.filter(delivered_at__isnull=True, voided_at__isnull=True).order_by("created_at")


def deliver_pending(limit: int | None = None) -> dict[str, int]:
    """Deliver every letter still waiting (the beat sweep); a letter that fails stays for the next sweep."""
    delivered = failed = 0
    letters = pending().values_list("pk", flat=True)
    for letter_id in letters[:limit] if limit else letters:
        try:
            delivered += deliver(letter_id)
        except Exception:
            failed += 1
            logger.exception("Letter %s not delivered; it stays in the mailbox.", letter_id)
    return {"delivered": delivered, "failed": failed}
