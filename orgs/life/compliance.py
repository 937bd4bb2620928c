"""Which meetings a branch and its party groups owe in a period, which were held, which are missing.

Frequencies are county settings (orgs.rules.COUNTY_SETTING_DEFAULTS, "org_life.<kind>"): the least
number of meetings in each calendar month, quarter, half year or year. Each period is judged by
the frequency in force on its first day, so a county's change applies from the next period on.
Periods that overlap the asked range are taken whole: a quarterly meeting held in January answers
for a range starting in February.

Branches and joint branches owe the three meetings and the lecture, the themed party day, the
organizational life meeting and the democratic appraisal; the committee meeting only where a branch
committee is expected (7 full members or more); party groups owe their group meeting. Temporary
branches and general branches owe nothing of their own here: their members' branches do.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count

from core.dates import today
from members.models import Person, Stage, Status
from orgs import rules
from orgs.county_settings import timeline
from orgs.models import Organization, OrgKind

from .models import Meeting, MeetingKind

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
BRANCH_REQUIREMENTS = (
    MeetingKind.GENERAL_MEETING,
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.LECTURE,
    MeetingKind.THEMED_DAY,
    MeetingKind.LIFE_MEETING,
    MeetingKind.APPRAISAL,
)
CHECKED_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GROUP)

HELD, MISSING, OPEN = "held", "missing", "open"


def period_containing(day: datetime.date, period: str) -> tuple[datetime.date, datetime.date]:
    """The calendar month, quarter, half year or year around a day, as (first day, last day)."""
    months = PERIOD_MONTHS[period]
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, start + relativedelta(months=months) - datetime.timedelta(days=1)


def themed_day_in(month_start: datetime.date, day_of_month: int) -> datetime.date:
    """The county's fixed day in a month; in a shorter month, its last day."""
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    return month_start.replace(day=min(day_of_month, last))


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    at_least: int
    dates: list[datetime.date] = field(default_factory=list)
    expected_on: datetime.date | None = None
    status: str = OPEN

    @property
    def held(self) -> int:
        return len(self.dates)

    @property
    def shortfall(self) -> int:
        return max(0, self.at_least - self.held)

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "at_least": self.at_least,
            "held": self.held,
            "dates": self.dates,
            "status": self.status,
            "expected_on": self.expected_on,
        }


def periods(kind: str, start: datetime.date, end: datetime.date) -> list[Period]:
    """The periods of one kind of meeting that overlap [start, end], each with the frequency in force then."""
    frequency_on = timeline(f"org_life.{kind}")
    themed_day_on = timeline("org_life.themed_day_of_month") if kind == MeetingKind.THEMED_DAY else None
    found: list[Period] = []
    cursor = start
    while cursor <= end:
        frequency = frequency_on(cursor)
        first, last = period_containing(cursor, frequency["period"])
        if found and first < cursor:
            # The frequency changed inside a period: the new one counts from the change on.
            first = cursor
        period = Period(start=first, end=last, at_least=frequency["at_least"])
        if themed_day_on is not None and frequency["period"] == "month":
            period.expected_on = themed_day_in(first, themed_day_on(first))
        found.append(period)
        cursor = last + datetime.timedelta(days=1)
    return found


def requirements_of(org: Organization, full_members: int) -> tuple[str, ...]:
    if org.kind == OrgKind.GROUP:
        return (MeetingKind.GROUP_MEETING,)
    if org.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH):
        if full_members >= rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS:
            return BRANCH_REQUIREMENTS
        return tuple(kind for kind in BRANCH_REQUIREMENTS if kind != MeetingKind.COMMITTEE_MEETING)
    return ()


def checked_organizations(org: Organization) -> list[Organization]:
    """The organizations that owe meetings within org's subtree: org itself when it is a branch or a group."""
    return list(org.subtree().filter(kind__in=CHECKED_KINDS).order_by("path"))


def _full_members_by_branch(root: Organization, orgs: list[Organization]) -> dict[int, int]:
    """Active full members in each organization's subtree, from one grouped query over root's subtree."""
    per_path = list(
        Person.objects.filter(org__path__startswith=root.path, stage=Stage.FULL, status=Status.ACTIVE)
        .values_list("org__path")
        .annotate(count=Count("id"))
    )
    return {org.id: sum(count for path, count in per_path if path.startswith(org.path)) for org in orgs}


def _meeting_dates(orgs: list[Organization], start: datetime.date, end: datetime.date) -> dict[tuple[int, str], list]:
    dates: dict[tuple[int, str], list] = defaultdict(list)
    rows = (
        Meeting.objects.filter(org__in=orgs, date__range=(start, end))
        .order_by("date")
        .values_list("org_id", "kind", "date")
    )
    for org_id, kind, date in rows:
        dates[(org_id, kind)].append(date)
    return dates


def _judge(period: Period, on: datetime.date) -> Period:
    if period.held >= period.at_least:
        period.status = HELD
    elif period.end < on:
        period.status = MISSING
    else:
        period.status = OPEN
    return period


def requirement(kind: str, periods_of_kind: list[Period], dates: list, on: datetime.date) -> dict:
    judged = []
    for period in periods_of_kind:
        copy = Period(start=period.start, end=period.end, at_least=period.at_least, expected_on=period.expected_on)
        copy.dates = [date for date in dates if period.start <= date <= period.end]
        judged.append(_judge(copy, on))
    return {
        "kind": kind,
        "label": str(MeetingKind(kind).label),
        # Periods over by `on`: the meetings that have fallen due.
        "due": sum(period.at_least for period in judged if period.end < on),
        "held": sum(period.held for period in judged),
        "missing": sum(period.shortfall for period in judged if period.status == MISSING),
        "open": sum(1 for period in judged if period.status == OPEN),
        "periods": [period.as_dict() for period in judged],
    }


def compliance(org: Organization, start: datetime.date, end: datetime.date, on: datetime.date | None = None) -> dict:
    """Meetings due, held and missing in [start, end] for org, or for every branch and group under it."""
    on = on or today()
    orgs = checked_organizations(org)
    kinds = {kind: periods(kind, start, end) for kind in MeetingKind.values}
    span_start = min((found[0].start for found in kinds.values() if found), default=start)
    span_end = max((found[-1].end for found in kinds.values() if found), default=end)
    dates = _meeting_dates(orgs, span_start, span_end)
    full = _full_members_by_branch(org, orgs)
    organizations = []
    for checked in orgs:
        requirements = [
            requirement(kind, kinds[kind], dates.get((checked.id, kind), []), on)
            for kind in requirements_of(checked, full[checked.id])
        ]
        organizations.append(
            {
                "org": checked.id,
                "name": checked.name,
                "kind": checked.kind,
                "due": sum(r["due"] for r in requirements),
                "held": sum(r["held"] for r in requirements),
                "missing": sum(r["missing"] for r in requirements),
                "requirements": requirements,
            }
        )
    return {
        "org": org.id,
        "name": org.name,
        "from": start,
        "to": end,
        "on": on,
        "due": sum(o["due"] for o in organizations),
        "held": sum(o["held"] for o in organizations),
        "missing": sum(o["missing"] for o in organizations),
        "organizations": organizations,
    }
