"""Delivering notices through the outbox (docs/decisions/0008 and 0012)."""

import logging

from celery import shared_task

from outbox.consumer import OnceTask

from . import services

logger = logging.getLogger(__name__)

# Attempts through Celery's retry: after 1, 2, 4 … 32 minutes. Past them the message stays unconsumed
# and the outbox's sweep publishes it again (up to its own limit, then an operator is alerted).
MAX_RETRIES = 6
FIRST_RETRY_SECONDS = 60


def backoff(retries: int) -> int:
    return FIRST_RETRY_SECONDS * 2**retries


class DeliveryTask(OnceTask):
    """A OnceTask whose failed attempts are counted on the delivery after their transaction rolled back."""

    abstract = True

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        services.record_failure(*args, error=exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        services.record_failure(*args, error=exc)


@shared_task(base=DeliveryTask, bind=True, name="notifications.tasks.deliver_notice", max_retries=MAX_RETRIES)
def deliver_notice(self, notice_id: int, channel: str) -> str:
    """Send one notice through one channel: once, retried with backoff while the channel fails."""
    try:
        return services.deliver(notice_id, channel)
    except Exception as exc:
        logger.warning("Notice %s by %s failed (attempt %s): %r", notice_id, channel, self.request.retries + 1, exc)
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
