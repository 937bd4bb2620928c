"""The one engine: a person's year of entries, read through a scheme's configuration, gives a result.

Pure computation on plain values: no database, no per-scheme code. The services feed it the entries
that count (approved, under notice or final) and store what it returns; the simulation feeds it a
past year under another scheme and stores nothing.

Order of operations for each item, entries taken by event date:
1. occurrences: each whole unit of quantity of a deduction (or of an item with an escalation or a
   streak) is one occurrence; the n-th occurrence in the year costs the n-th escalation step, an
   occurrence completing a run of consecutive months costs the streak's points;
2. multipliers on deductions: a repeat (second and later occurrence of the item) × repeat, a post
   holder × post_holder, the two multiplied; each such single deduction passes shares of itself to
   the liable leaders by the joint liability thresholds;
3. indicators (`target`): full points at the target quantity, in proportion below it, and
   `excess_points` per unit beyond it into their own component; `per` items earn their points per
   whole `per` units counted over the year;
4. caps per period on the item, then each component clamped (month by month when monthly);
5. the total, the veto, the floor, the band and the consequences.

The subject is a person at a stage, or an organization (`stage=None`: always graded); the
organization assessments (scoring.assessment) run their sheets and their weighting through it.
"""

import datetime
import functools
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from . import rules
from .config import JOINT_COMPONENT, Item, SchemeConfig
from .reading import Band

ZERO = Decimal(0)


class EntryFact(NamedTuple):
    """An entry as the engine sees it (a named tuple: a county's batch builds a million of them)."""

    id: int
    item: str
    date: datetime.date
    quantity: Decimal
    post_holder: bool = False  # the person held a party or administrative post on the event date


class Line(NamedTuple):
    """What one entry (or one occurrence of it) adds to the score (a named tuple, as EntryFact)."""

    entry_id: int
    item: str
    date: datetime.date
    points: Decimal
    component: str
    occurrence: int = 0
    repeat: bool = False
    post_holder: bool = False
    streak: bool = False
    weight: Decimal = Decimal(1)  # the units a "mean" component averages over (ballots)


@dataclass(frozen=True)
class Liability:
    """A share of one deduction passed on to a liable leader (joint liability)."""

    entry_id: int
    role: str
    points: Decimal
    deduction: Decimal


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    components: dict[str, Decimal]
    months: dict[str, dict[str, Decimal]]
    band: Band | None
    vetoed_by: str | None
    consequences: list[dict]
    lines: list[Line] = field(default_factory=list)
    liabilities: list[Liability] = field(default_factory=list)

    @property
    def grade(self) -> str:
        return self.band.code if self.band else ""


def quantize(value: Decimal) -> Decimal:
    return value.quantize(rules.SCORE_PLACES, rounding=ROUND_HALF_UP)


def _whole(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@functools.lru_cache(maxsize=4096)  # a county's batch asks it for every line: a few hundred distinct dates
def _month_key(date: datetime.date) -> str:
    return f"{date.year:04d}-{date.month:02d}"


_DATE_THEN_ID = operator.attrgetter("date", "id")


@functools.lru_cache(maxsize=64)
def _months_of(year: int) -> tuple[str, ...]:
    return tuple(_month_key(datetime.date(year, number, 1)) for number in range(1, 13))


def _period_key(period: str, date: datetime.date) -> tuple[int, int]:
    if period == "month":
        return date.year, date.month
    if period == "quarter":
        return date.year, (date.month - 1) // 3
    return date.year, 0


def _previous_month(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year - 1, 12) if number == 1 else (year, number - 1)


def _occurrence_lines(config: SchemeConfig, item: Item, entries: list[EntryFact]) -> tuple[list[Line], list[Liability]]:
    lines, liabilities = [], []
    modifiers = config.modifiers if item.modifiers and item.sign < 0 else None
    months_seen: set[tuple[int, int]] = set()
    occurrence = 0
    for entry in entries:
        units = _whole(entry.quantity / item.per) if item.per else _whole(entry.quantity)
        for _unit in range(units):
            occurrence += 1
            value = item.escalation[min(occurrence, len(item.escalation)) - 1] if item.escalation else item.points
            streak = False
            month = (entry.date.year, entry.date.month)
            if item.streak is not None and month not in months_seen:
                months_seen.add(month)
                run, previous = 1, _previous_month(month)
                while previous in months_seen:
                    run, previous = run + 1, _previous_month(previous)
                if run >= item.streak.months:
                    value, streak = item.streak.points, True
            repeat = bool(modifiers and modifiers.repeat and occurrence > 1)
            post = bool(modifiers and modifiers.post_holder and entry.post_holder)
            if repeat:
                value *= modifiers.repeat
            if post:
                value *= modifiers.post_holder
            lines.append(
                Line(entry.id, item.code, entry.date, item.sign * value, item.component, occurrence, repeat, post, streak)
            )
            if item.sign < 0:
                liabilities.extend(
                    Liability(entry.id, rule.role, value * rule.share, value)
                    for rule in config.joint_liability
                    if rule.when.admits(value)
                )
    return lines, liabilities


def _counted_lines(item: Item, entries: list[EntryFact]) -> list[Line]:
    """Items that add per unit: indicators with a target, `per` items counted over the year, plain items."""
    if item.target is None and item.per is None:
        # Plain: points × quantity, the quantity weighing in a mean (Line positional: a batch builds a million).
        signed, code, component = item.signed_points, item.code, item.component
        return [
            Line(entry.id, code, entry.date, signed * entry.quantity, component, 0, False, False, False, entry.quantity)
            for entry in entries
        ]
    lines = []
    counted = ZERO
    for entry in entries:
        before, counted = counted, counted + entry.quantity
        if item.target is not None:
            within = min(counted, item.target) - min(before, item.target)
            lines.append(Line(entry.id, item.code, entry.date, item.points * within / item.target, item.component))
            beyond = entry.quantity - within
            if item.excess_points and beyond > 0:
                lines.append(Line(entry.id, item.code, entry.date, item.excess_points * beyond, item.excess_component))
        else:
            units = _whole(counted / item.per) - _whole(before / item.per)
            lines.append(Line(entry.id, item.code, entry.date, item.sign * item.points * units, item.component))
    return lines


def _capped(
    item: Item, lines: list[Line], monthly: frozenset[str], contributions: dict[tuple[str, str | None], Decimal],
) -> None:
    """Add the item's contribution to each (component, month) after its cap; the month only for monthly
    components (None for the others)."""
    if item.cap is None:
        for line in lines:
            component = line.component
            contributions[(component, _month_key(line.date) if component in monthly else None)] += line.points
        return
    # One pass over the lines, in date order, each period's cap used up as its lines come (a county's batch
    # runs this for every line of the year: no grouping lists, no call per line for the period).
    period, cap = item.cap.period, item.cap.points
    remaining: dict[tuple[int, int], Decimal] = {}
    for line in lines:
        date, points, component = line.date, line.points, line.component
        key = _period_key(period, date) if period != "year" else (date.year, 0)
        left = remaining.get(key, cap)
        magnitude = min(abs(points), left)
        remaining[key] = left - magnitude
        contributions[(component, _month_key(date) if component in monthly else None)] += (
            magnitude if points >= 0 else -magnitude
        )


def summing_period(config: SchemeConfig, item: Item) -> str | None:
    """The period ("month", "quarter" or "year") within which an item's entries may reach `evaluate` summed,
    or None when each entry must come on its own.

    A period's entries come as one fact: the period's first date, one of their ids and the sum of their
    quantities. Only plain items qualify: each entry adds points × quantity and weighs its quantity in a
    mean, so one fact adds what the entries added. The period is the item's cap period, or the month when
    its component is clamped monthly, so that caps and clamps see the same amounts per period (a cap used
    up in date order needs entries of one sign: see `sums_within_cap`). Occurrences (escalations, streaks,
    multipliers, joint shares), indicators with a target and `per` items read each entry.
    """
    if item.veto or item.counts_occurrences or item.target is not None or item.per is not None:
        return None
    if item.component in config.monthly_components:
        return "month"
    return item.cap.period if item.cap is not None else "year"


def sums_within_cap(item: Item, negative: bool) -> bool:
    """Whether a period's summed entries use up the item's cap as the entries one by one would, `negative`
    telling whether any of them has a negative quantity.

    A cap takes each line's magnitude in date order: a negative quantity among positive ones would free
    what the sum never used, so the person's entries of such an item come one by one.
    """
    return item.cap is None or not negative


def _running(bands: tuple[str, ...], years: int, previous_bands: Sequence[str]) -> bool:
    """The earlier years a condition reads were in its bands too (this year's band is checked by the caller)."""
    earlier = tuple(previous_bands[: years - 1])
    return len(earlier) == years - 1 and all(code in bands for code in earlier)


def evaluate(
    config: SchemeConfig,
    *,
    year: int,
    stage: str | None,
    entries: Iterable[EntryFact],
    joint: Iterable[Decimal] = (),
    previous_bands: Sequence[str] = (),
) -> Outcome:
    """A subject's result for `year` from the entries that count and the joint deductions passed to them.

    `stage` is a person's stage; None when the subject is an organization, which is always graded.
    `previous_bands` are the subject's bands of the years before, the latest first ("" for a year without
    one): a consequence for a band several years running reads them.
    """
    ordered = sorted(entries, key=_DATE_THEN_ID)
    by_item: dict[str, list[EntryFact]] = defaultdict(list)
    for entry in ordered:
        by_item[entry.item].append(entry)

    lines: list[Line] = []
    liabilities: list[Liability] = []
    vetoes: list[tuple[datetime.date, int, str]] = []
    contributions: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    ballots: dict[str, Decimal] = defaultdict(Decimal)
    monthly, mean = config.monthly_components, config.mean_components
    for code, item_entries in by_item.items():
        item = config.items.get(code)
        if item is None:
            continue
        if item.veto:
            vetoes.append((item_entries[0].date, item_entries[0].id, code))
            continue
        if item.counts_occurrences:
            item_lines, item_liabilities = _occurrence_lines(config, item, item_entries)
            liabilities.extend(item_liabilities)
        else:
            item_lines = _counted_lines(item, item_entries)
        lines.extend(item_lines)
        _capped(item, item_lines, monthly, contributions)
        if item.component in mean:
            ballots[item.component] += sum((line.weight for line in item_lines), ZERO)

    months = _months_of(year)
    # Each component's contributions over the months, added in the order they came (one pass for all).
    over_the_year: dict[str, Decimal] = {}
    for (component_code, _month), value in contributions.items():
        over_the_year[component_code] = over_the_year.get(component_code, ZERO) + value
    components: dict[str, Decimal] = {}
    month_values: dict[str, dict[str, Decimal]] = {}
    for code, component in config.components.items():
        if component.monthly:
            per_month = {month: component.clamp(contributions.get((code, month), ZERO)) for month in months}
            for month, value in per_month.items():
                month_values.setdefault(month, {})[code] = quantize(value)
            components[code] = sum(per_month.values(), ZERO) / rules.MONTHS_IN_YEAR
            continue
        summed = over_the_year.get(code, ZERO)
        if component.combine == "mean":
            summed = summed / ballots[code] if ballots[code] else ZERO
        components[code] = component.clamp(summed)

    joint_total = sum(joint, ZERO)
    total = config.start + sum((config.components[code].weight * value for code, value in components.items()), ZERO)
    total -= joint_total
    vetoed_by = min(vetoes)[2] if vetoes else None
    if vetoed_by and not config.veto_keeps_total:
        total = ZERO
    if config.floor is not None and total < config.floor:
        total = config.floor
    total = quantize(total)

    shown = {code: quantize(value) for code, value in components.items()}
    if joint_total:
        shown[JOINT_COMPONENT] = quantize(-joint_total)
    band = None
    if stage is None or stage in config.graded_stages:
        band = config.veto_band if vetoed_by and config.veto_band else config.band_for(total)
    streaks = {line.item for line in lines if line.streak}
    consequences = []
    for consequence in config.consequences:
        if consequence.stages and stage not in consequence.stages:
            continue
        when = consequence.when
        if (
            (when.bands and band is not None and band.code in when.bands and _running(when.bands, when.years, previous_bands))
            or (when.total is not None and when.total.admits(total))
            or (when.vetoed and vetoed_by is not None)
            or (when.streak is not None and when.streak in streaks)
        ):
            consequences.append(
                {"code": consequence.code, "kind": consequence.kind, "label": consequence.label, "params": consequence.params}
            )
    return Outcome(
        total=total,
        components=shown,
        months=month_values,  # filled only by monthly components
        band=band,
        vetoed_by=vetoed_by,
        consequences=consequences,
        lines=lines,
        liabilities=liabilities,
    )
