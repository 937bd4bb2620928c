"""Results from entries, for a few people or a whole county in one batch.

Set-based: the people, their counted entries, the posts they hold and who answers for whom are read
in a handful of queries; the one engine runs per person in memory; the results and the joint
deductions are written in bulk. A change to one person's entries recomputes that person and every
leader whose joint deductions it moves.
"""

import contextlib
import datetime
import gc
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import BoolOr
from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Min, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear

from members.models import Person
from orgs.models import Organization, OrgKind, Role, RoleAssignment

from . import rules, storing
from .config import Item, SchemeConfig, parse_config
from .engine import EntryFact, Outcome, evaluate, summing_period, sums_within_cap
from .models import COUNTED_STATUSES, Entry, JointDeduction, LiableRole, PostHolding, Responsibility, Result, Scheme

# Branch roles are party posts: their holders' deductions cost more (seed 001 篇1 第十一条(三)).
PARTY_POST_ROLES = (Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE)


@dataclass(frozen=True)
class SchemeInForce:
    scheme: Scheme
    config: SchemeConfig


def schemes_in_force(year: int) -> dict[str, SchemeInForce]:
    """The year's schemes by member category ("" for every category without a scheme of its own)."""
    return {scheme.category: SchemeInForce(scheme, parse_config(scheme.config)) for scheme in Scheme.objects.filter(year=year)}


def scheme_for_category(schemes: dict[str, SchemeInForce], category: str) -> SchemeInForce | None:
    return schemes.get(category) or schemes.get("")


def scored_people(year: int, schemes: dict[str, SchemeInForce]) -> QuerySet[Person]:
    """Everyone a scheme of the year scores: on the roll, at a stage the scheme of their category scores."""
    condition = Q(pk__in=[])
    general = schemes.get("")
    for category, in_force in schemes.items():
        if category:
            condition |= Q(category=category, stage__in=in_force.config.scored_stages)
    if general is not None:
        condition |= Q(stage__in=general.config.scored_stages) & ~Q(category__in=[c for c in schemes if c])
    return Person.objects.filter(condition, status__in=rules.SCORED_STATUSES)


class Liability:
    """Finds who answers for a member's deduction: the nearest organization above with that role filled."""

    def __init__(self):
        self.orgs = {org_id: (path, kind) for org_id, path, kind in Organization.objects.values_list("id", "path", "kind")}
        self.assigned = {(org, role): person for org, role, person in Responsibility.objects.values_list("org_id", "role", "person_id")}
        self.secretaries = dict(
            RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY, user__person__isnull=False)
            .order_by("org_id", "id")
            .values_list("org_id", "user__person__id")
        )

    def holders(self) -> set[int]:
        """Everyone `liable` may name."""
        return set(self.assigned.values()) | set(self.secretaries.values())

    def _chain(self, org_id: int) -> list[int]:
        path = self.orgs.get(org_id, ("", ""))[0]
        return [int(part) for part in reversed(path.strip("/").split("/")) if part]

    def liable(self, role: str, org_id: int) -> int | None:
        chain = self._chain(org_id)
        if role == LiableRole.BRANCH_SECRETARY:
            # 党支部书记(党小组长): a member of a party group answers to its leader, where one is named.
            if chain and self.orgs[chain[0]][1] == OrgKind.GROUP and (chain[0], LiableRole.GROUP_LEADER) in self.assigned:
                return self.assigned[(chain[0], LiableRole.GROUP_LEADER)]
            for org in chain:
                person = self.assigned.get((org, role)) or self.secretaries.get(org)
                if person:
                    return person
            return None
        return next((self.assigned[(org, role)] for org in chain if (org, role) in self.assigned), None)


def _post_holding(person_ids: Collection[int] | None) -> tuple[set[int], dict[int, list[tuple[datetime.date, datetime.date | None]]]]:
    """Who holds a party post by role (always), and everyone's recorded posts with their dates."""
    roles = RoleAssignment.objects.filter(role__in=PARTY_POST_ROLES, user__person__isnull=False)
    holdings = PostHolding.objects.all()
    if person_ids is not None:
        roles = roles.filter(user__person__id__in=person_ids)
        holdings = holdings.filter(person_id__in=person_ids)
    always = set(roles.values_list("user__person__id", flat=True))
    periods: dict[int, list] = defaultdict(list)
    for person_id, started, ended in holdings.values_list("person_id", "started_on", "ended_on"):
        periods[person_id].append((started, ended))
    return always, periods


def _summed_items(schemes: dict[str, SchemeInForce]) -> dict[str, tuple[str, dict[bool, bool]]]:
    """The items whose entries may be summed per period (engine.summing_period) under every scheme in force
    that has them, by code: the period, and whether the sums stand when some quantity is negative or not
    (engine.sums_within_cap) under all of those schemes."""
    periods: dict[str, str | None] = {}
    items: dict[str, list[Item]] = defaultdict(list)
    for in_force in schemes.values():
        for code, item in in_force.config.items.items():
            period = summing_period(in_force.config, item)
            if periods.setdefault(code, period) != period:
                periods[code] = None
            items[code].append(item)
    return {
        code: (period, {negative: all(sums_within_cap(item, negative) for item in items[code]) for negative in (False, True)})
        for code, period in periods.items()
        if period is not None
    }


def _facts(
    year: int, person_ids: Collection[int] | None, always: set[int], periods: dict[int, list],
    schemes: dict[str, SchemeInForce], until: datetime.date | None = None,
) -> dict[int, list[EntryFact]]:
    """Each person's entries that count, as the engine sees them: summed per period where the engine allows
    it, one by one otherwise (a county's year: a million entries read as a few hundred thousand rows)."""
    if person_ids is not None and not person_ids:
        return {}
    entries = Entry.objects.filter(year=year, status__in=COUNTED_STATUSES).order_by()
    if until is not None:
        entries = entries.filter(date__lte=until)
    if person_ids is not None:
        entries = entries.filter(person_id__in=person_ids)
    summed = _summed_items(schemes)
    by_period: dict[str, list[str]] = defaultdict(list)
    for code, (period, _stands) in summed.items():
        by_period[period].append(code)
    # One group per period of a summed item (its year, and its month or quarter), one per entry of any other
    # item. EXTRACT reads the date as it is; DATE_TRUNC would take it through a timestamp with time zone.
    keys = {
        "year_of": ExtractYear("date"),
        "alone": Case(When(item__in=summed, then=None), default=F("id")),
    }
    parts = [
        When(item__in=by_period[kind], then=extract("date"))
        for kind, extract in (("month", ExtractMonth), ("quarter", ExtractQuarter))
        if kind in by_period
    ]
    if parts:
        keys["part"] = Case(*parts, default=None)
    grouped = (
        entries.annotate(**keys).values("person_id", "item", *keys)
        .annotate(first_id=Min("id"), first_date=Min("date"), total=Sum("quantity"),
                  negative=BoolOr(ExpressionWrapper(Q(quantity__lt=0), output_field=BooleanField())))
        .values_list("person_id", "item", "first_id", "first_date", "total", "negative")
    )

    def holds(person_id: int, date: datetime.date) -> bool:
        # Most people hold no post: the date test runs only for those with recorded periods.
        if person_id in always:
            return True
        return person_id in periods and any(start <= date and (end is None or date <= end) for start, end in periods[person_id])

    facts: dict[int, list[EntryFact]] = defaultdict(list)
    apart: set[tuple[int, str]] = set()
    # The compiled query run on a plain cursor: the ORM's converters would build every number a second time.
    with connection.cursor() as cursor:
        cursor.execute(*grouped.query.sql_with_params())
        stands = {code: by_negative for code, (_period, by_negative) in summed.items()}
        for person_id, item, entry_id, date, quantity, negative in cursor.fetchall():
            by_negative = stands.get(item)
            if by_negative is None:
                facts[person_id].append(EntryFact(entry_id, item, date, quantity, holds(person_id, date)))
            elif by_negative[negative]:
                facts[person_id].append(EntryFact(entry_id, item, date, quantity))
            else:
                apart.add((person_id, item))
    if apart:
        for person_id, item in apart:
            facts[person_id] = [fact for fact in facts[person_id] if fact.item != item]
        one_by_one = entries.filter(person_id__in={pair[0] for pair in apart}, item__in={pair[1] for pair in apart})
        for entry_id, person_id, item, date, quantity in one_by_one.values_list("id", "person_id", "item", "date", "quantity"):
            if (person_id, item) in apart:
                facts[person_id].append(EntryFact(entry_id, item, date, quantity, holds(person_id, date)))
    return facts


def _previous_bands(year: int, person_ids: Collection[int] | None, depth: int) -> dict[int, tuple[str, ...]]:
    """Each person's stored bands of the `depth` years before `year`, the latest first ("" for a year without one)."""
    if depth == 0:
        return {}
    results = Result.objects.filter(year__gte=year - depth, year__lt=year)
    if person_ids is not None:
        results = results.filter(person_id__in=person_ids)
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for person_id, result_year, grade in results.values_list("person_id", "year", "grade"):
        grades[person_id][result_year] = grade
    return {
        person_id: tuple(by_year.get(year - back, "") for back in range(1, depth + 1))
        for person_id, by_year in grades.items()
    }


@dataclass
class _Computed:
    person_id: int
    stage: str
    org_id: int
    in_force: SchemeInForce
    outcome: Outcome


@dataclass
class _Inputs:
    """What the engine reads of the people besides their scheme: their entries and their earlier bands."""

    facts: dict[int, list[EntryFact]]
    earlier: dict[int, tuple[str, ...]]


def _read_inputs(
    year: int, schemes: dict[str, SchemeInForce], person_ids: Collection[int] | None, until: datetime.date | None = None,
) -> _Inputs:
    always, periods = _post_holding(person_ids)
    facts = _facts(year, person_ids, always, periods, schemes, until)
    depth = max((in_force.config.years_back for in_force in schemes.values()), default=0)
    return _Inputs(facts, _previous_bands(year, person_ids, depth))


def _evaluations(
    year: int, schemes: dict[str, SchemeInForce], people: Iterable[tuple], inputs: _Inputs, joint: dict[int, Decimal],
) -> Iterator[_Computed]:
    """Each person's outcome, one by one (no query: the batch streams results while these run)."""
    for person_id, stage, category, org_id in people:
        in_force = scheme_for_category(schemes, category)
        if in_force is None:
            continue
        outcome = evaluate(
            in_force.config,
            year=year,
            stage=stage,
            entries=inputs.facts.get(person_id, ()),
            joint=[joint[person_id]] if person_id in joint else (),
            previous_bands=inputs.earlier.get(person_id, ()),
        )
        yield _Computed(person_id, stage, org_id, in_force, outcome)


def _evaluate_people(
    year: int, schemes: dict[str, SchemeInForce], people: Iterable[tuple], person_ids: Collection[int] | None,
    joint: dict[int, Decimal], until: datetime.date | None = None,
) -> dict[int, _Computed]:
    inputs = _read_inputs(year, schemes, person_ids, until)
    return {computed.person_id: computed for computed in _evaluations(year, schemes, people, inputs, joint)}


def _joint_rows(year: int, computed: dict[int, _Computed], liability: Liability) -> list[JointDeduction]:
    rows = []
    for item in computed.values():
        for share in item.outcome.liabilities:
            liable = liability.liable(share.role, item.org_id)
            if liable is not None and liable != item.person_id:
                rows.append(JointDeduction(year=year, entry_id=share.entry_id, person_id=liable, role=share.role, points=share.points))
    return rows


def _joint_totals(
    year: int, person_ids: Collection[int] | None, until: datetime.date | None = None
) -> dict[int, Decimal]:
    rows = JointDeduction.objects.filter(year=year)
    if until is not None:
        rows = rows.filter(entry__date__lte=until)
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    return dict(rows.values("person_id").annotate(points=Sum("points")).values_list("person_id", "points").order_by())


def _result_row(item: _Computed) -> tuple:
    """A result as the values of storing.WRITTEN_COLUMNS: a county's batch writes tens of thousands without model instances."""
    outcome = item.outcome
    return (
        item.in_force.scheme.pk,
        item.in_force.scheme.version,
        item.org_id,
        item.stage,
        outcome.total,
        {code: str(value) for code, value in outcome.components.items()},
        {month: {code: str(value) for code, value in values.items()} for month, values in outcome.months.items()},
        outcome.grade,
        outcome.vetoed_by or "",
        outcome.consequences,
    )


@contextlib.contextmanager
def _no_cyclic_gc():
    """The cyclic collector paused while a batch builds millions of entry and line tuples.

    They hold no cycles, yet each allocation burst made the collector walk all of them again and
    again: about 40% of a county's batch. Reference counting frees everything as usual; whatever
    cycles arise meanwhile are collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_no_cyclic_gc()
def compute_results(year: int, person_ids: Collection[int] | None = None) -> int:
    """Compute and store the year's results of these people (everyone scored when None); returns how many.

    Joint deductions their entries pass to leaders are replaced, and those leaders are recomputed too.
    Runs inside the caller's transaction (services call it within their action).
    """
    everyone = person_ids is None
    storing.lock_year(year, exclusive=everyone)
    schemes = schemes_in_force(year)
    people = scored_people(year, schemes)
    if not everyone:
        people = people.filter(pk__in=person_ids)
    rows = list(people.values_list("id", "stage", "category", "org_id"))
    subset = None if everyone else [row[0] for row in rows]

    liability = Liability()
    caused = JointDeduction.objects.filter(year=year)
    if not everyone:
        caused = caused.filter(entry__person_id__in=subset)
    previously_liable = set(caused.values_list("person_id", flat=True))
    inputs = _read_inputs(year, schemes, subset)
    writer = storing.ResultWriter(year)
    first: dict[int, _Computed] = {}
    streamed: set[int] = set()
    # In a county's batch, those no joint deduction can reach (the liability rules name none of them and they
    # carry none now) are final at once and stream in; everyone else is written after the joint pass.
    may_carry = liability.holders() | previously_liable
    with writer.streaming() if everyone else contextlib.nullcontext():
        for computed in _evaluations(year, schemes, rows, inputs, {}):
            first[computed.person_id] = computed
            if everyone and computed.person_id not in may_carry:
                writer.add(computed.person_id, _result_row(computed))
                streamed.add(computed.person_id)

    caused.delete()
    new_rows = _joint_rows(year, first, liability)
    JointDeduction.objects.bulk_create(new_rows, batch_size=2000)

    leaders = previously_liable | {row.person_id for row in new_rows}
    joint = _joint_totals(year, None if everyone else set(subset) | leaders)
    # Recompute whoever carries joint deductions, and the leaders whose joint deductions just changed.
    again = [row for row in rows if row[0] in joint]
    outside = leaders - set(first)
    if outside:
        again += list(scored_people(year, schemes).filter(pk__in=outside).values_list("id", "stage", "category", "org_id"))
    if again:
        first.update(_evaluate_people(year, schemes, again, [row[0] for row in again], joint))

    for person_id in first.keys() - streamed:
        writer.add(person_id, _result_row(first[person_id]))
    writer.finish()
    stale = Result.objects.filter(year=year)
    if everyone:
        stale.exclude(person_id__in=people.values("pk")).delete()
    else:
        stale.filter(person_id__in=set(person_ids) - set(subset)).delete()
    return len(first)


def first_triggered(person_id: int, year: int, codes: Collection[str]) -> datetime.date | None:
    """The first event date from which the person's result of the year triggers one of these consequences.

    Only for consequences that settle during the year (SchemeConfig.settles_during_the_year): once
    triggered, later entries do not undo them, so the first such day is found by halving the dates.
    """
    schemes = schemes_in_force(year)
    rows = list(scored_people(year, schemes).filter(pk=person_id).values_list("id", "stage", "category", "org_id"))
    if not rows:
        return None
    dates = set(Entry.objects.filter(year=year, person_id=person_id, status__in=COUNTED_STATUSES).values_list("date", flat=True))
    dates |= set(JointDeduction.objects.filter(year=year, person_id=person_id).values_list("entry__date", flat=True))
    ordered = sorted(dates)

    def triggered(day: datetime.date) -> bool:
        joint = _joint_totals(year, [person_id], day)
        computed = _evaluate_people(year, schemes, rows, [person_id], joint, day).get(person_id)
        return computed is not None and any(item["code"] in codes for item in computed.outcome.consequences)

    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if triggered(ordered[middle]):
            high = middle
        else:
            low = middle + 1
    return ordered[low] if low < len(ordered) else None


@_no_cyclic_gc()
def simulate(scheme: Scheme, config: SchemeConfig, year: int, people: QuerySet[Person]) -> dict[int, Outcome]:
    """What `config` would give these people for `year` on the entries that count, without saving anything.

    Joint deductions are recomputed under the simulated configuration.
    """
    schemes = {"": SchemeInForce(scheme, config)}
    rows = list(people.filter(status__in=rules.SCORED_STATUSES, stage__in=config.scored_stages).values_list("id", "stage", "category", "org_id"))
    ids = [row[0] for row in rows]
    # Every category is computed by the simulated scheme.
    rows = [(person_id, stage, "", org_id) for person_id, stage, _category, org_id in rows]
    first = _evaluate_people(year, schemes, rows, ids, {})
    joint: dict[int, Decimal] = defaultdict(Decimal)
    for row in _joint_rows(year, first, Liability()):
        joint[row.person_id] += row.points
    again = [row for row in rows if row[0] in joint]
    if again:
        first.update(_evaluate_people(year, schemes, again, [row[0] for row in again], joint))
    return {person_id: item.outcome for person_id, item in first.items()}


def outcomes_until(org: Organization, year: int, until: datetime.date) -> list[tuple[int, Outcome]]:
    """The results of an organization's members on the entries dated up to `until` (a quarter's summary)."""
    schemes = schemes_in_force(year)
    rows = list(
        scored_people(year, schemes).filter(org__path__startswith=org.path).values_list("id", "stage", "category", "org_id")
    )
    ids = [row[0] for row in rows]
    joint = _joint_totals(year, ids, until)
    computed = _evaluate_people(year, schemes, rows, ids, joint, until)
    return [(person_id, item.outcome) for person_id, item in computed.items()]
