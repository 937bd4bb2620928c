"""Background work of the workflow engine, run by Celery beat in every county (config.celery)."""

import datetime

from celery import shared_task
from django.db import connection
from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

from config.celery import CountyTask

from .services.disposition_proposals import refresh_proposals
from .services.tasks import sweep_overdue as sweep_overdue_steps
from .services.tasks import track_all_open_tasks
from .services.transfer import expire_letters


@shared_task(base=CountyTask)
def fire_timers() -> dict:
    """viewflow's `workflow_timers` command for this county, then due dates for the tasks it opened."""
    fired = {
        "timers": fire_due_timers(),
        "starts": fire_due_start_timers(),
        "conditions": fire_due_conditions(),
    }
    track_all_open_tasks()
    return {"county": connection.schema_name, **fired}


@shared_task(base=CountyTask)
def sweep_overdue() -> dict:
    """Mark this county's overdue tasks and notify their organizations (idempotent)."""
    return {"county": connection.schema_name, "overdue": sweep_overdue_steps()}


@shared_task(base=CountyTask)
def refresh_disposition_proposals(as_of: str | None = None) -> dict:
    """Propose disposition cases from this county's data (idempotent); nothing is opened by itself."""
    on = datetime.date.fromisoformat(as_of) if as_of else None
    return {"county": connection.schema_name, **refresh_proposals(on=on)}


@shared_task(base=CountyTask)
def expire_transfer_letters() -> dict:
    """Void this county's introduction letters past their last day and close the incoming ones voided (idempotent)."""
    return {"county": connection.schema_name, **expire_letters()}
