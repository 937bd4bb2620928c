"""Background work of the members app, run by Celery beat in every county (config.celery)."""

import datetime

from celery import shared_task
from django.db import connection

from config.celery import CountyTask

from .mobile.checks import check_mobile_members


@shared_task(base=CountyTask)
def check_mobile_contacts(as_of: str | None = None) -> dict:
    """Flag mobile members without contact for 3 months and refresh the lost-contact proposals (idempotent)."""
    on = datetime.date.fromisoformat(as_of) if as_of else None
    return {"county": connection.schema_name, **check_mobile_members(on=on)}
