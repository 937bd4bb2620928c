"""Background work about a county as a whole, and the delivery of the mailbox between counties."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from config.celery import CountyTask
from members.models import Person
from orgs.models import Organization

from . import mailbox


@shared_task(base=CountyTask, ignore_result=False)
def county_census() -> dict:
    """The size of the county that sent the task: organizations, users and people by stage.

    Its answer names the schema it ran in, so it doubles as the check that a worker serves each
    county in that county's own schema (docs/operator-guide.md).
    """
    people = dict(Person.objects.order_by().values_list("stage").annotate(count=Count("id")))
    return {
        "county": connection.schema_name,
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "people": people,
    }


# A letter is retried until it is delivered: quickly at first, then every 10 minutes at most; the beat
# sweep (deliver_pending_letters) picks up any letter whose message was lost.
@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_letter(self, letter_id: str) -> bool:
    """Deliver one letter of the mailbox (idempotent by its UUID); runs in the public schema."""
    try:
        return mailbox.deliver(letter_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc


@shared_task
def deliver_pending_letters() -> dict:
    """The beat sweep of the mailbox: every letter not yet delivered (nor void)."""
    return mailbox.deliver_pending()
