"""Background work of scoring, run in every county by Celery beat (config.celery: `scoring-daily`)."""

import datetime

from celery import shared_task
from django.db import connection

from config.celery import CountyTask
from core.dates import today

from .services import close_notices, recompute_county, run_feeds


@shared_task(base=CountyTask, name="scoring.tasks.daily_run")
def daily_run(as_of: str | None = None) -> dict:
    """Close the public notices that have ended, propose entries from the feeds, recompute the year's results.

    Each part is idempotent: a feed proposes a fact once, and a recomputation of unchanged entries changes nothing.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else today()
    return {
        "county": connection.schema_name,
        "final": close_notices(as_of=day),
        "proposed": run_feeds(actor=None, year=day.year, as_of=day),
        "results": recompute_county(actor=None, year=day.year),
    }
