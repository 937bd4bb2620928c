"""Feeds: what other modules know that a scheme scores, proposed as entries with their source.

A feed reads another module's records for a year and proposes entries (a person, an event date, a
quantity, a reference that makes the proposal unique). A scheme's item names the feed that fills it
(`"feed": "dues_arrears"`); `scoring.services.run_feeds` turns the proposals into declared entries,
which the branch reviews like any other. The functions import the other modules' models when they
run, so this registry stays importable by the configuration reader.

Named conditions (`CONDITIONS`) are facts about a member that zero a year, answered by the module
that knows them; each has a built-in reader, and another module adds its own with
`register_condition(name, reader)` (from its AppConfig.ready). A reader takes the year and the day
asked about and yields a `Fact` for each member the condition holds for in that year: the person, the
first day of the year it held, and a note shown with the proposed entry. The feed of the same name
proposes one veto entry per member and year, dated the earliest day any reader gives.

- `lost_contact_3_months` (失联3个月, seed 000; DOMAIN.md §5): built in, the members whose status is
  `lost_contact`, dated the day the status took effect (members.statuses.status_since). The mobile
  member register flags a member with `set_status(status="lost_contact", on=<last contact + 3 months>)`,
  so the veto falls on the day the 3 months were reached; a reader registered under this name may
  answer from contact records directly.
- `heavy_sanction` (受留党察看以上处分, seed 001 篇3): built in, the disciplinary sanctions recorded with
  the disposition module (workflows.models.DisciplinarySanction) of probation within the party or
  expulsion, dated the day decided.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
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


# --- Named conditions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A named condition holding for a member in a year, from `date` on (a day of that year)."""

    person_id: int
    date: datetime.date
    note: str


ConditionReader = Callable[[int, datetime.date], Iterable[Fact]]

LOST_CONTACT_3_MONTHS = "lost_contact_3_months"
HEAVY_SANCTION = "heavy_sanction"
_readers: dict[str, list[ConditionReader]] = {}


def register_condition(name: str, reader: ConditionReader) -> None:
    """Add a reader answering a named condition (e.g. the mobile member register for lost contact)."""
    if name not in CONDITIONS:
        raise ValueError(f"Unknown scoring condition {name!r}.")
    readers = _readers.setdefault(name, [])
    if reader not in readers:
        readers.append(reader)


def unregister_condition(name: str, reader: ConditionReader) -> None:
    if reader in _readers.get(name, []):
        _readers[name].remove(reader)


def condition_facts(name: str, year: int, as_of: datetime.date) -> dict[int, Fact]:
    """Who the condition holds for in `year` up to `as_of`, by every reader: the earliest day per person."""
    found: dict[int, Fact] = {}
    if _last_day(year, as_of) is None:
        return found
    for reader in (CONDITIONS[name], *_readers.get(name, [])):
        for fact in reader(year, as_of):
            if fact.date.year != year or fact.date > as_of:
                continue
            if fact.person_id not in found or fact.date < found[fact.person_id].date:
                found[fact.person_id] = fact
    return found


def _flagged_lost_contact(year: int, as_of: datetime.date) -> Iterator[Fact]:
    """Members whose status is `lost_contact` (DOMAIN.md §5 flags a member after 3 months without contact),
    from the day the status took effect, or the year's first day when flagged in an earlier year."""
    from members.models import Person, Status
    from members.statuses import status_since

    for person in Person.objects.filter(status=Status.LOST_CONTACT):
        since = status_since(person)
        yield Fact(person.pk, max(since, datetime.date(year, 1, 1)), f"lost contact since {since.isoformat()}")


def _heavy_sanctions(year: int, as_of: datetime.date) -> Iterator[Fact]:
    """Sanctions of probation within the party or expulsion decided in the year (seed 001 篇3 二(五)(3))."""
    from workflows.models import DisciplinarySanction

    sanctions = DisciplinarySanction.objects.filter(kind__in=DisciplinarySanction.HEAVY, decided_on__year=year)
    for person_id, decided_on, kind, reference in sanctions.values_list("person_id", "decided_on", "kind", "reference"):
        yield Fact(person_id, decided_on, f"{kind} {reference}")


CONDITIONS: dict[str, ConditionReader] = {
    LOST_CONTACT_3_MONTHS: _flagged_lost_contact,
    HEAVY_SANCTION: _heavy_sanctions,
}


def _condition_feed(name: str, ref: str) -> Callable[[int, datetime.date], Iterator[Proposal]]:
    def propose(year: int, as_of: datetime.date) -> Iterator[Proposal]:
        for fact in condition_facts(name, year, as_of).values():
            yield Proposal(fact.person_id, fact.date, Decimal(1), fact.note, f"{ref}:{year}:{fact.person_id}")

    return propose


# --- Feeds -------------------------------------------------------------------------------------------


def minor_sanctions(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Sanctions below probation within the party decided in the year, one entry each (seed 001 篇3: 扣10分)."""
    from workflows.models import DisciplinarySanction

    sanctions = DisciplinarySanction.objects.filter(
        decided_on__year=year, decided_on__lte=as_of
    ).exclude(kind__in=DisciplinarySanction.HEAVY)
    for pk, person_id, decided_on, kind, reference in sanctions.values_list("pk", "person_id", "decided_on", "kind", "reference"):
        yield Proposal(person_id, decided_on, Decimal(1), f"{kind} {reference}", f"sanction:{pk}")


def _appraisal_grade(grade: str) -> Callable[[int, datetime.date], Iterator[Proposal]]:
    """Members given this grade in the year's democratic appraisal (orgs.life), once decided: one entry each,
    dated the decision (the year's last day when it was decided after the year)."""

    def propose(year: int, as_of: datetime.date) -> Iterator[Proposal]:
        from orgs.models import AppraisalResult

        results = AppraisalResult.objects.filter(
            appraisal__year=year, appraisal__decided_on__lte=as_of, grade=grade
        ).values_list("pk", "person_id", "appraisal__decided_on")
        for pk, person_id, decided_on in results:
            date = min(decided_on, datetime.date(year, 12, 31))
            yield Proposal(person_id, date, Decimal(1), f"democratic appraisal {year}: {grade}", f"appraisal:{pk}")

    return propose


def community_services(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Services an on-the-job member did in their residential community in the year (orgs.life 双报到), one entry each."""
    from orgs.models import CommunityService

    services = CommunityService.objects.filter(date__year=year, date__lte=as_of)
    for pk, person_id, date, activity in services.values_list("pk", "registration__person_id", "date", "activity"):
        yield Proposal(person_id, date, Decimal(1), activity, f"community_service:{pk}")


def care_visits(year: int, as_of: datetime.date) -> Iterator[Proposal]:
    """Care visits the party organization paid to a member in the year (orgs.life), one entry each."""
    from orgs.models import CareVisit

    visits = CareVisit.objects.filter(date__year=year, date__lte=as_of, recipient__person__isnull=False)
    for pk, person_id, date, visitors in visits.values_list("pk", "recipient__person_id", "date", "visitors"):
        yield Proposal(person_id, date, Decimal(1), f"visited by {visitors}", f"care_visit:{pk}")


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
        Feed("lost_contact", _("Lost contact for 3 months"), _condition_feed(LOST_CONTACT_3_MONTHS, "lost_contact")),
        Feed("heavy_sanction", _("Sanction of probation within the party or heavier"), _condition_feed(HEAVY_SANCTION, "heavy_sanction")),
        Feed("minor_sanction", _("Sanction below probation within the party"), minor_sanctions),
        Feed("care_visits", _("Care visit by the party organization"), care_visits),
        Feed("community_services", _("Service in the residential community"), community_services),
        Feed("appraisal_qualified", _("Qualified in the democratic appraisal"), _appraisal_grade("qualified")),
        Feed(
            "appraisal_basically_qualified",
            _("Basically qualified in the democratic appraisal"),
            _appraisal_grade("basically_qualified"),
        ),
        Feed("meeting_absent", _("Absent from a meeting without leave"), meeting_absent),
        Feed("meeting_attended", _("Attended a meeting"), meeting_attended),
    )
}
