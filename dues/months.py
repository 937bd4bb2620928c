"""Calendar months as dates on their first day, and the periods dues are counted in."""

import calendar
import datetime
import re

from django.utils.translation import gettext as _

from core.exceptions import RuleViolation

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def first_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """How many months `later` lies after `earlier` (both months; negative if it lies before)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [add_months(first, i) for i in range(months_between(first, last) + 1)]


def year_months(year: int) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in range(1, 13)]


def quarter_of(month: datetime.date) -> int:
    return (month.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * (quarter - 1) + 1, 1)


def quarter_last_month(month: datetime.date) -> datetime.date:
    return quarter_start(month.year, quarter_of(month)).replace(month=3 * quarter_of(month))


def parse_month(text: str, field: str = "month") -> datetime.date:
    """`YYYY-MM` (API.md) to the month's first day."""
    match = MONTH_PATTERN.match(str(text or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RuleViolation(_("Write a month as YYYY-MM."), field=field)
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def format_month(month: datetime.date) -> str:
    return f"{month:%Y-%m}"
