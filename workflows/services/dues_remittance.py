"""Quarterly remittance reminders as tasks of the branches' inboxes (DOMAIN.md §8: quarterly, never later
than 6 months). The task falls due on the regulation's deadline; the overdue sweep marks and notifies it."""

import datetime
from decimal import Decimal

from core.actions import action
from dues import services as dues_services
from dues.models import Remittance
from dues.months import add_months, first_of, quarter_of
from dues.selectors import quarter_collected
from orgs.models import Organization

from ..engine import OPEN_STATUSES, SUBMIT
from ..flows.dues import DuesFlow
from ..models import StepTask, WorkflowProcess
from .tasks import complete_task, track_open_tasks


def last_ended_quarter(on: datetime.date) -> tuple[int, int]:
    """The (year, quarter) that ended most recently before `on`."""
    month = add_months(first_of(on), -3)
    return month.year, quarter_of(month)


def _reminders(year: int, quarter: int):
    return WorkflowProcess.objects.filter(flow_class=DuesFlow, data__year=year, data__quarter=quarter)


def open_remittance_reminders(*, year: int, quarter: int) -> int:
    """Open a `remittance` task for every branch that collected dues in the quarter and has not remitted
    them yet. Idempotent: a branch already reminded or already remitted gets nothing new."""
    remitted = Remittance.objects.filter(year=year, quarter=quarter).values("org_id")
    reminded = _reminders(year, quarter).values("org_id")
    branches = (
        Organization.objects.filter(kind__in=dues_services.REMITTING_KINDS, parent__isnull=False)
        .exclude(pk__in=remitted)
        .exclude(pk__in=reminded)
        .order_by("path")
    )
    opened = 0
    with action(None):
        for org in branches:
            collected = quarter_collected(org, year, quarter)
            if collected <= 0:
                continue
            process = DuesFlow.remittance_opened.run(org=org, year=year, quarter=quarter, collected=collected)
            track_open_tasks(process)
            opened += 1
    return opened


def open_reminder(org: Organization, year: int, quarter: int) -> StepTask | None:
    return StepTask.objects.filter(
        process__in=_reminders(year, quarter).filter(org=org), task__status__in=OPEN_STATUSES
    ).first()


def record_remittance(
    *,
    actor,
    org: Organization,
    year: int,
    quarter: int,
    amount: Decimal,
    remitted_on: datetime.date,
    late_reason: str = "",
) -> Remittance:
    """Record a quarter's remittance; while its reminder is open, by completing that task, so the reminder
    leaves the inbox with the record of who remitted and when (a late one gives its reason)."""
    reminder = open_reminder(org, year, quarter)
    if reminder is None:
        return dues_services.record_remittance(
            actor=actor, org=org, year=year, quarter=quarter, amount=amount, remitted_on=remitted_on
        )
    complete_task(
        actor=actor,
        step_task=reminder,
        decision=SUBMIT,
        date=remitted_on,
        comment=late_reason,
        data={"amount": str(amount)},
    )
    return Remittance.objects.get(org=org, year=year, quarter=quarter)
