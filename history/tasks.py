"""Background work of the audit history: the nightly check of every county's chain (config.celery beat)."""

from celery import shared_task
from django.db import connection

from outbox.consumer import OnceTask

from .chain import verify_chain as verify


@shared_task(base=OnceTask, name="history.tasks.verify_chain")
def verify_chain() -> dict:
    """Check this county's history chain; a break is recorded and raised as a critical log alert."""
    result = verify()
    return {
        "county": connection.schema_name,
        "ok": result.ok,
        "through": result.through_seq,
        "broken_at": result.broken_at_seq,
        "verification": result.pk,
    }
