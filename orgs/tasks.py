"""Background work of organizational life, run by Celery beat in every county (config.celery)."""

from celery import shared_task
from django.db import connection

from config.celery import CountyTask

from .life.reminders import create_reminders


@shared_task(base=CountyTask)
def remind_org_life() -> dict:
    """Remind branches of meetings about to fall due, and of their members' political birthdays (idempotent)."""
    return {"county": connection.schema_name, "reminders": create_reminders()}
