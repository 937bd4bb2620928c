"""Background work of dues, run in every county by Celery beat (config.celery).

Beat entry (config/celery.py, owned by the platform): on the 1st of each month,
`config.run_in_every_county` with args ("dues.tasks.monthly_run",).
"""

import datetime

from celery import shared_task
from django.db import connection

from config.celery import CountyTask
from core.dates import today

from .assessment import assess_month
from .months import add_months, first_of
from .services import compute_arrears


@shared_task(base=CountyTask, name="dues.tasks.monthly_run")
def monthly_run(as_of: str | None = None) -> dict:
    """Assess this month's dues (and the last month's again, for bases entered late), then compute arrears.

    Every step is idempotent, so a repeated or late run changes nothing that is already right.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else today()
    month = first_of(day)
    assessed = {}
    for each in (add_months(month, -1), month):
        result = assess_month(actor=None, month=each)
        assessed[f"{each:%Y-%m}"] = result.created + result.updated
    return {"county": connection.schema_name, "assessed": assessed, "in_arrears": compute_arrears(as_of=day)}
