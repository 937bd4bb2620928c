"""The transactional outbox (docs/decisions/0008-transactional-outbox.md).

`enqueue` writes a Celery message as a row in the caller's transaction, in the county's schema. After
commit the row is published at once; if the process dies between commit and publish, or the broker
refuses, or the message is lost before a worker finishes it, the sweep publishes it again. Every
delivery carries the message's id as its Celery task id, and the consumer (`outbox.consumer.OnceTask`)
records that id in its own transaction, so however often a message arrives its work is done once.
"""

import datetime
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from celery import Task
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from config.celery import SCHEMA_HEADER, OutsideCountyError, app

from .models import Message, Receipt

logger = logging.getLogger(__name__)

# An unpublished message younger than this is left to the publisher that runs after its commit.
SETTLE = datetime.timedelta(seconds=getattr(settings, "OUTBOX_SETTLE_SECONDS", 30))
# A published message not consumed after this long is published again (the broker or worker lost it).
REDELIVER_AFTER = datetime.timedelta(seconds=getattr(settings, "OUTBOX_REDELIVER_AFTER_SECONDS", 900))
# After this many publications a message is left for an operator: its task keeps failing.
MAX_PUBLICATIONS = getattr(settings, "OUTBOX_MAX_PUBLICATIONS", 10)
# Consumed messages and receipts are kept this long, far beyond any redelivery.
KEEP = datetime.timedelta(days=getattr(settings, "OUTBOX_KEEP_DAYS", 30))


def _require_county(task_name: str) -> str:
    schema = connection.schema_name
    if schema in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
        raise OutsideCountyError(f"{task_name} is a county's message: enqueue it inside that county's context.")
    return schema


def enqueue(task: Task, args: Iterable[Any] = (), kwargs: dict[str, Any] | None = None, *, key: str) -> Message:
    """Send `task` with JSON arguments once the caller's transaction commits; nothing if it rolls back.

    `key` names the message: enqueueing the same key again (a form submitted twice, a retried request)
    returns the first message and sends nothing more.
    """
    if not getattr(task, "consumes_once", False):
        raise TypeError(f"{task.name} must be an outbox.consumer.OnceTask to be sent through the outbox.")
    schema = _require_county(task.name)
    message, created = Message.objects.get_or_create(
        key=key, defaults={"task": task.name, "args": list(args), "kwargs": dict(kwargs or {})}
    )
    if created:
        transaction.on_commit(partial(_publish_committed, schema, message.pk))
    return message


def _publish_committed(schema: str, message_id) -> None:
    """After commit: publish now. A failure only logs; the sweep publishes the message later."""
    try:
        with schema_context(schema):
            message = Message.objects.filter(pk=message_id, published_at__isnull=True).first()
            if message is not None:
                publish(message)
    except Exception:
        logger.exception("Outbox message %s of county %s was not published after commit", message_id, schema)


def publish(message: Message) -> bool:
    """Hand one message to the broker with the county's schema in its headers; True if the broker took it."""
    try:
        app.tasks[message.task].apply_async(
            args=message.args,
            kwargs=message.kwargs,
            task_id=str(message.pk),
            headers={SCHEMA_HEADER: connection.schema_name},
        )
    except Exception as exc:
        Message.objects.filter(pk=message.pk).update(last_error=repr(exc)[:2000])
        logger.warning("Outbox message %s (%s) not published: %r", message.pk, message.task, exc)
        return False
    Message.objects.filter(pk=message.pk).update(
        published_at=timezone.now(), publications=F("publications") + 1, last_error=""
    )
    return True


def claim(message_id: str, task_name: str) -> bool:
    """In the consumer's transaction: True the first time a message is acted on, False ever after.

    A second delivery running at the same moment waits on the first one's receipt row and then sees it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Receipt._meta.db_table} (message_id, task, consumed_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (message_id) DO NOTHING",
            [message_id, task_name, timezone.now()],
        )
        first = cursor.rowcount == 1
    if first:
        Message.objects.filter(pk=message_id, consumed_at__isnull=True).update(consumed_at=timezone.now())
    return first


def sweep(now: datetime.datetime | None = None, *, redeliver_after: datetime.timedelta = REDELIVER_AFTER) -> dict:
    """Publish this county's messages that were never published or never consumed; forget old ones."""
    now = now or timezone.now()
    due = Message.objects.filter(consumed_at__isnull=True, publications__lt=MAX_PUBLICATIONS).filter(
        Q(published_at__isnull=True, created_at__lt=now - SETTLE) | Q(published_at__lt=now - redeliver_after)
    )
    published = failed = 0
    with transaction.atomic():
        # Another sweep running at the same time skips the rows this one holds.
        for message in due.select_for_update(skip_locked=True).order_by("created_at")[:1000]:
            if publish(message):
                published += 1
            else:
                failed += 1
    stuck = Message.objects.filter(consumed_at__isnull=True, publications__gte=MAX_PUBLICATIONS).count()
    if stuck:
        logger.error(
            "County %s has %s outbox messages published %s times and never consumed: their tasks keep failing",
            connection.schema_name,
            stuck,
            MAX_PUBLICATIONS,
        )
    Message.objects.filter(consumed_at__lt=now - KEEP).delete()
    Receipt.objects.filter(consumed_at__lt=now - KEEP).delete()
    return {"county": connection.schema_name, "published": published, "failed": failed, "stuck": stuck}
