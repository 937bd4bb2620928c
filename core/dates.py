"""Dates in the county's time zone, and event dates that may not lie in the future."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import RuleViolation


def today() -> datetime.date:
    return timezone.localdate()


def check_event_date(date: datetime.date, field: str = "date") -> datetime.date:
    """An event date records when something happened: never later than today."""
    if date > today():
        raise RuleViolation(_("The event date cannot be in the future."), field=field)
    return date


# The years a record or a query may name: members joined from 1921 on; plans look a few years ahead.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def check_year(year: int, field: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(
            _("Give a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, field=field
        )
    return year
