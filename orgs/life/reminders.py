"""Reminders before a branch falls behind on its meetings, and political birthday greetings.

Run daily in each county by Celery beat (orgs.tasks). A reminder is keyed by what it is about, so a
rerun on the same day, or the next day, writes nothing new.
"""

import datetime

from django.db.models import Q, QuerySet

from core.actions import action
from core.dates import today
from orgs.access import scope
from orgs.county_settings import setting
from orgs.selectors import branch_of, root_organization

from .care import political_birthdays
from .compliance import OPEN, compliance
from .models import POLITICAL_BIRTHDAY, Reminder


def _meeting_reminders(on: datetime.date) -> list[dict]:
    """The meetings whose current period is not yet satisfied and ends (or whose themed day falls) within the lead."""
    lead = setting("org_life.reminder_lead_days", on=on)
    found = []
    for checked in compliance(root_organization(), on, on, on=on)["organizations"]:
        for requirement in checked["requirements"]:
            for period in requirement["periods"]:
                if period["status"] != OPEN:
                    continue
                expected_on = period["expected_on"]
                due_on = expected_on if expected_on is not None and on <= expected_on else period["end"]
                if (due_on - on).days <= lead:
                    found.append(
                        {
                            "org_id": checked["org"],
                            "key": f"{requirement['kind']}:{period['start']:%Y-%m-%d}",
                            "kind": requirement["kind"],
                            "period_start": period["start"],
                            "due_on": due_on,
                        }
                    )
    return found


def _birthday_reminders(on: datetime.date) -> list[dict]:
    ahead = datetime.timedelta(days=setting("care.birthday_reminder_days", on=on))
    return [
        {
            "org_id": (branch_of(birthday.person.org) or birthday.person.org).pk,
            "key": f"birthday:{birthday.person.pk}:{birthday.anniversary.year}",
            "kind": POLITICAL_BIRTHDAY,
            "person": birthday.person,
            "due_on": birthday.anniversary,
        }
        for birthday in political_birthdays(on, on + ahead)
    ]


def create_reminders(on: datetime.date | None = None) -> int:
    """Write the reminders due on a day; answers how many are new."""
    on = on or today()
    created = 0
    with action(None):
        for reminder in _meeting_reminders(on) + _birthday_reminders(on):
            org_id, key = reminder.pop("org_id"), reminder.pop("key")
            _row, new = Reminder.objects.get_or_create(org_id=org_id, key=key, defaults=reminder)
            created += new
    return created


def reminders_for(user) -> QuerySet[Reminder]:
    """Reminders of the organizations the user's roles cover, and the user's own birthday greetings."""
    if not getattr(user, "is_authenticated", False):
        return Reminder.objects.none()
    return Reminder.objects.filter(scope(user, "view_org_life") | Q(person__user=user)).select_related("org", "person")
