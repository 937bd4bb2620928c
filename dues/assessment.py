"""Monthly assessment: every member's dues for a month, computed and stored in one set-based batch.

`compute` reads (bases, accounts and approved reliefs for many people and months in three queries)
and is what the account and the collection sheet show for months not stored yet; `store` writes
its result with bulk inserts and updates. Both are idempotent: running a month again changes only
what changed, and never touches a month already paid.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from core.actions import action
from core.dates import today
from members.models import Person, Stage, Status
from orgs.models import Organization

from .calculation import amount_after_relief
from .models import DuesAccount, DuesBase, MonthlyDue, Relief, ReliefStatus
from .months import add_months, first_of, last_day, month_range, quarter_last_month

BATCH_SIZE = 2000

# Members on the roll owe dues; applicants and candidates do not yet, and a suspended, departed or
# deceased member no longer does.
OWING_STAGES = (Stage.PROBATIONARY, Stage.FULL)
OWING_STATUSES = (Status.ACTIVE, Status.IN_TRANSIT, Status.MOBILE, Status.LOST_CONTACT, Status.RECTIFYING)


def owing_people() -> QuerySet[Person]:
    return Person.objects.filter(stage__in=OWING_STAGES, status__in=OWING_STATUSES)


@dataclass(frozen=True)
class Assessed:
    person_id: int
    month: datetime.date
    base_id: int
    base_amount: Decimal
    amount: Decimal
    relief_id: int | None
    relief_kind: str | None
    overdue_on: datetime.date


def overdue_on(month: datetime.date, pays_quarterly: bool) -> datetime.date:
    """Dues are collected monthly: a month is overdue once it is over; a quarterly payer's once the quarter is."""
    last_month = quarter_last_month(month) if pays_quarterly else month
    return add_months(last_month, 1)


def compute(months: Iterable[datetime.date], people: QuerySet[Person]) -> dict[tuple[int, datetime.date], Assessed]:
    """What each of `people` owes for each of `months`, keyed by (person id, month).

    A month is owed when the member has a base for it (the year's base, or an annual-salary
    earner's base for that month) and it does not lie before the day dues are owed from.
    """
    months = sorted({first_of(m) for m in months})
    if not months:
        return {}
    years = {m.year for m in months}
    bases: dict[tuple[int, int], list[tuple[int | None, int, Decimal]]] = defaultdict(list)
    for person_id, year, month, base_id, amount in DuesBase.objects.filter(
        person__in=people, year__in=years
    ).values_list("person_id", "year", "month", "id", "monthly_amount"):
        bases[(person_id, year)].append((month, base_id, amount))
    accounts = {
        person_id: (dues_from, quarterly)
        for person_id, dues_from, quarterly in DuesAccount.objects.filter(person__in=people).values_list(
            "person_id", "dues_from", "pays_quarterly"
        )
    }
    reliefs: dict[int, list[tuple[datetime.date, datetime.date, int, str, Decimal | None]]] = defaultdict(list)
    for person_id, start, end, relief_id, kind, reduced in Relief.objects.filter(
        person__in=people, status=ReliefStatus.APPROVED, start_month__lte=months[-1], end_month__gte=months[0]
    ).values_list("person_id", "start_month", "end_month", "id", "kind", "reduced_amount"):
        reliefs[person_id].append((start, end, relief_id, kind, reduced))

    result: dict[tuple[int, datetime.date], Assessed] = {}
    for (person_id, year), rows in bases.items():
        dues_from, quarterly = accounts.get(person_id, (None, False))
        by_month = {month: (base_id, amount) for month, base_id, amount in rows}
        for month in months:
            if month.year != year or (dues_from is not None and last_day(month) < dues_from):
                continue
            found = by_month.get(month.month) or by_month.get(None)
            if found is None:
                continue
            base_id, base_amount = found
            relief = next((r for r in reliefs.get(person_id, ()) if r[0] <= month <= r[1]), None)
            result[(person_id, month)] = Assessed(
                person_id=person_id,
                month=month,
                base_id=base_id,
                base_amount=base_amount,
                amount=amount_after_relief(base_amount, relief[3] if relief else None, relief[4] if relief else None),
                relief_id=relief[2] if relief else None,
                relief_kind=relief[3] if relief else None,
                overdue_on=overdue_on(month, quarterly),
            )
    return result


@dataclass(frozen=True)
class StoreResult:
    created: int
    updated: int
    removed: int
    unchanged: int


_STORED_FIELDS = ("base_id", "base_amount", "amount", "relief_id", "overdue_on")


def store(
    computed: dict[tuple[int, datetime.date], Assessed], months: list[datetime.date], people: QuerySet[Person]
) -> StoreResult:
    """Write `computed` for `people` × `months`: insert new months, refresh unpaid ones, drop unpaid ones no longer owed.

    Paid months keep what they were assessed at: a later correction or relief does not reopen them.
    """
    existing = {
        (row["person_id"], row["month"]): row
        for row in MonthlyDue.objects.filter(month__in=months, person__in=people).values(
            "id", "person_id", "month", "payment_id", *_STORED_FIELDS
        )
    }
    now = timezone.now()
    to_create, to_update, to_remove, unchanged = [], [], [], 0
    for key, item in computed.items():
        row = existing.get(key)
        if row is None:
            to_create.append(
                MonthlyDue(
                    person_id=item.person_id,
                    month=item.month,
                    base_id=item.base_id,
                    base_amount=item.base_amount,
                    amount=item.amount,
                    relief_id=item.relief_id,
                    overdue_on=item.overdue_on,
                )
            )
        elif row["payment_id"] is None and any(row[f] != getattr(item, f) for f in _STORED_FIELDS):
            to_update.append(
                MonthlyDue(
                    id=row["id"],
                    base_id=item.base_id,
                    base_amount=item.base_amount,
                    amount=item.amount,
                    relief_id=item.relief_id,
                    overdue_on=item.overdue_on,
                    assessed_at=now,
                )
            )
        else:
            unchanged += 1
    for key, row in existing.items():
        if key not in computed and row["payment_id"] is None:
            to_remove.append(row["id"])
    MonthlyDue.objects.bulk_create(to_create, batch_size=BATCH_SIZE, ignore_conflicts=True)
    # The payment filter is checked again by each UPDATE and DELETE: a month paid meanwhile stays as it was paid.
    unpaid = MonthlyDue.objects.filter(payment__isnull=True)
    unpaid.bulk_update(
        to_update, ["base_id", "base_amount", "amount", "relief_id", "overdue_on", "assessed_at"], batch_size=BATCH_SIZE
    )
    for start in range(0, len(to_remove), BATCH_SIZE):
        unpaid.filter(id__in=to_remove[start : start + BATCH_SIZE]).delete()
    return StoreResult(len(to_create), len(to_update), len(to_remove), unchanged)


def assess_month(*, actor, month: datetime.date, org: Organization | None = None) -> StoreResult:
    """The monthly assessment: every member's dues for `month` (in `org`'s subtree, or the whole county)."""
    month = first_of(month)
    people = Person.objects.all() if org is None else Person.objects.filter(org__path__startswith=org.path)
    with action(actor):
        computed = compute([month], people.filter(pk__in=owing_people().values("pk")))
        return store(computed, [month], people)


def reassess_person(person: Person, first: datetime.date, last: datetime.date) -> StoreResult:
    """Re-assess one member's months from `first` to `last`, up to the current month (later ones are computed when shown).

    Called inside the write that changed the member's base, account or relief.
    """
    last = min(first_of(last), first_of(today()))
    months = month_range(first_of(first), last) if first_of(first) <= last else []
    people = Person.objects.filter(pk=person.pk)
    computed = compute(months, people.filter(pk__in=owing_people().values("pk")))
    return store(computed, months, people)
