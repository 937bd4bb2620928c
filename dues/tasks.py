"""Background work of dues, run in every county by Celery beat (config.celery).

Beat entries (config/celery.py): on the 1st of each month `monthly_run`; on the 1st of each quarter
`remind_remittances`; both through `config.run_in_every_county`.
"""

import datetime

from celery import shared_task
from django.db import connection, transaction

from config.celery import CountyTask
from core.dates import today
from members.models import Person
from notifications.events import dues_due
from workflows.services.dues_remittance import last_ended_quarter, open_remittance_reminders

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
        with transaction.atomic():  # members are told their month is due with the month's assessment
            result = assess_month(actor=None, month=each)
            dues_due(each, Person.objects.all())
        assessed[f"{each:%Y-%m}"] = result.created + result.updated
    return {"county": connection.schema_name, "assessed": assessed, "in_arrears": compute_arrears(as_of=day)}


@shared_task(base=CountyTask, name="dues.tasks.remind_remittances")
def remind_remittances(as_of: str | None = None) -> dict:
    """Open a remittance task for each branch that collected dues in the quarter just ended (idempotent)."""
    year, quarter = last_ended_quarter(datetime.date.fromisoformat(as_of) if as_of else today())
    opened = open_remittance_reminders(year=year, quarter=quarter)
    return {"county": connection.schema_name, "quarter": f"{year}Q{quarter}", "opened": opened}
