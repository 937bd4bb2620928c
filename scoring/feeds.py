"""Feeds: what other modules know that a scheme scores, proposed as entries with their source.

A feed reads another module's records for a year and proposes entries (a person, an event date, a
quantity, a reference that makes the proposal unique). A scheme's item names the feed that fills it
(`"feed": "dues_arrears"`); `scoring.services.run_feeds` turns the proposals into declared entries,
which the branch reviews like any other. The functions import the other modules' models when they
run, so this registry stays importable by the configuration reader.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import rules


@dataclass(frozen=True)
class Proposal:
    person_id: int
    date: datetime.date
    quantity: Decimal
    note: str
    source_ref: str


@dataclass(frozen=True)
class Feed:
    code: str
    label: object
    propose: Callable[[int, datetime.date], Iterator[Proposal]]


def _last_day(year: int, as_of: datetime.date) -> datetime.date | None:
    """The day a state observed on `as_of` is recorded for `year`: none when `as_of` is before the year."""
    if as_of.year < year:
        return None
    return min(as_of, datetime.date(year, 12, 31))


def dues_arrears(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Members with dues unpaid for more than 3 months (seed 000), from the dues module's arrears computation."""
    from dues.selectors import persons_with_arrears_over

    day = _last_day(year, as_of)
    if day is None:
        return
    rows = persons_with_arrears_over(rules.RED_YELLOW_DUES_UNPAID_MONTHS).values_list(
        "id", "dues_arrears__months_unpaid", "dues_arrears__as_of"
    )
    for person_id, months, computed_on in rows:
        yield Proposal(
            person_id=person_id,
            date=min(day, computed_on) if computed_on.year == year else day,
            quantity=Decimal(1),
            note=f"dues unpaid for {months} months",
            source_ref=f"dues_arrears:{year}:{person_id}",
        )


def lost_contact(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Members flagged lost contact: DOMAIN.md §5 flags a member after 3 months without contact."""
    from members.models import Person, Status

    day = _last_day(year, as_of)
    if day is None:
        return
    for person_id in Person.objects.filter(status=Status.LOST_CONTACT).values_list("id", flat=True):
        yield Proposal(person_id, day, Decimal(1), "lost contact for 3 months", f"lost_contact:{year}:{person_id}")


def _attendance(year: int, as_of: datetime.date, status: str) -> Iterator[Proposal]:
    """One proposal per person and ended month (members declare monthly, 每月末申报), counting the meetings."""
    from orgs.models import Attendance

    rows = (
        Attendance.objects.filter(status=status, meeting__date__year=year, meeting__date__lt=as_of.replace(day=1))
        .order_by("person_id", "meeting__date")
        .values_list("person_id", "meeting__date", "meeting__kind")
    )
    months: dict[tuple[int, int], list[tuple[datetime.date, str]]] = {}
    for person_id, date, kind in rows:
        months.setdefault((person_id, date.month), []).append((date, kind))
    for (person_id, month), meetings in months.items():
        yield Proposal(
            person_id=person_id,
            date=meetings[-1][0],
            quantity=Decimal(len(meetings)),
            note=", ".join(f"{kind} {date:%m-%d}" for date, kind in meetings),
            source_ref=f"attendance_{status}:{year}-{month:02d}:{person_id}",
        )


def meeting_absent(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Absences without leave recorded by organizational life (an excused absence is not one)."""
    yield from _attendance(year, as_of, "absent")


def meeting_attended(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Meetings attended, recorded by organizational life."""
    yield from _attendance(year, as_of, "present")


FEEDS: dict[str, Feed] = {
    feed.code: feed
    for feed in (
        Feed("dues_arrears", _("Dues unpaid for more than 3 months"), dues_arrears),
        Feed("lost_contact", _("Lost contact for 3 months"), lost_contact),
        Feed("meeting_absent", _("Absent from a meeting without leave"), meeting_absent),
        Feed("meeting_attended", _("Attended a meeting"), meeting_attended),
    )
}
