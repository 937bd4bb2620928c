"""The Celery app. Every task carries the schema of the county that sent it (tenant-schemas-celery).

Tasks that work on a county's records use `base=CountyTask`: sending one, or running one, outside
a county's schema raises OutsideCountyError instead of quietly working on the public schema.
Periodic county work is sent by beat to `run_in_every_county`, which sends the task once inside
each county's context.
"""

import os

from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("xianfeng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SCHEMA_HEADER = "_schema_name"


class OutsideCountyError(RuntimeError):
    """A county task was sent or run outside any county's schema."""


def _require_county(schema_name: str, task_name: str) -> None:
    from django_tenants.utils import get_public_schema_name

    if not schema_name or schema_name in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
        raise OutsideCountyError(f"{task_name} works on one county's records: send it inside that county's context.")


class CountyTask(TenantTask):
    """A task that works inside the schema of the county that sent it."""

    abstract = True

    def apply_async(self, args=None, kwargs=None, **options):
        headers = options.get("headers") or {}
        _require_county(headers.get(SCHEMA_HEADER) or connection.schema_name, self.name)
        return super().apply_async(args, kwargs, **options)

    def apply(self, args=None, kwargs=None, *arg, **options):
        headers = options.get("headers") or {}
        _require_county(headers.get(SCHEMA_HEADER) or connection.schema_name, self.name)
        return super().apply(args, kwargs, *arg, **options)

    def __call__(self, *args, **kwargs):
        # tenant-schemas-celery switched to the sender's schema before the task runs.
        _require_county(connection.schema_name, self.name)
        return super().__call__(*args, **kwargs)


@app.task(name="config.run_in_every_county")
def run_in_every_county(task_name: str) -> int:
    """Send a county task once in every county, each message carrying that county's schema."""
    from django_tenants.utils import tenant_context

    from tenants.selectors import counties

    task = app.tasks[task_name]
    sent = 0
    for county in counties():
        with tenant_context(county):
            task.delay()
        sent += 1
    return sent


app.conf.beat_schedule = {
    # viewflow's database-backed timers (its `workflow_timers` command), county by county.
    "workflow-timers": {"task": "config.run_in_every_county", "schedule": 60.0, "args": ("workflows.tasks.fire_timers",)},
    # Mark overdue steps and notify their organizations; idempotent, so hourly is harmless.
    "overdue-sweep": {
        "task": "config.run_in_every_county",
        "schedule": crontab(minute=7),
        "args": ("workflows.tasks.sweep_overdue",),
    },
    # Close ended public notices of score entries, propose entries from the feeds, recompute the year.
    "scoring-daily": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=2, minute=47),
        "args": ("scoring.tasks.daily_run",),
    },
    # Remind branches before they fall behind on organizational life; idempotent, once a day.
    "org-life-reminders": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=6, minute=17),
        "args": ("orgs.tasks.remind_org_life",),
    },
    # Flag mobile members without contact for 3 months and refresh their proposals; idempotent, daily.
    "mobile-member-contacts": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=5, minute=7),
        "args": ("members.tasks.check_mobile_contacts",),
    },
    # The mailbox between counties: deliver every letter still waiting (a lost message only delays it);
    # idempotent by each letter's UUID, platform-wide from the public schema.
    "deliver-letters": {"task": "tenants.tasks.deliver_pending_letters", "schedule": 300.0},
    # Void introduction letters past their last day and close the incoming ones voided; idempotent, daily.
    "transfer-letter-expiry": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=0, minute=37),
        "args": ("workflows.tasks.expire_transfer_letters",),
    },
    # Propose disposition cases from the data (after the night's dues and scoring runs); idempotent, daily.
    "disposition-proposals": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=5, minute=37),
        "args": ("workflows.tasks.refresh_disposition_proposals",),
    },
    # Assess the month's dues (and last month's again), then recompute arrears; idempotent.
    "dues-monthly": {
        "task": "config.run_in_every_county",
        "schedule": crontab(day_of_month=1, hour=1, minute=30),
        "args": ("dues.tasks.monthly_run",),
    },
    # When a quarter ends, each branch that collected dues gets its remittance task; idempotent.
    "dues-remittance-reminders": {
        "task": "config.run_in_every_county",
        "schedule": crontab(month_of_year="1,4,7,10", day_of_month=1, hour=2, minute=0),
        "args": ("dues.tasks.remind_remittances",),
    },
    # Check each county's history hash chain (history/); a break is recorded and logged as a critical alert.
    "history-chain-check": {
        "task": "config.run_in_every_county",
        "schedule": crontab(hour=3, minute=23),
        "args": ("history.tasks.verify_chain",),
    },
    # Publish outbox messages left unpublished (a crash after commit) or never consumed (a lost delivery).
    "outbox-sweep": {"task": "outbox.tasks.sweep_all", "schedule": 60.0},
}
