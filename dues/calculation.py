"""The arithmetic of monthly dues: which band a base falls in, the amount, the cap, relief.

Pure functions over a rate table's rows: no queries, no writes, so the batch assessment, the API
and the pages all compute the same fen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import BaseKind, RateBand, RateColumn, RateTable, ReliefKind
from .rules import to_fen

COLUMN_OF_KIND = {
    BaseKind.SALARIED: RateColumn.EMPLOYED,
    BaseKind.ANNUAL_SALARY: RateColumn.EMPLOYED,
    BaseKind.SELF_EMPLOYED: RateColumn.EMPLOYED,
    BaseKind.RETIRED: RateColumn.RETIRED,
}


@dataclass(frozen=True)
class Amount:
    monthly_amount: Decimal
    rate: Decimal | None
    capped: bool


def band_rate(bands: Iterable[RateBand], column: str, base: Decimal) -> Decimal:
    """The one rate the whole base takes: the band it lies over the lower bound of and up to (inclusive) the upper."""
    for band in bands:
        if band.column != column:
            continue
        if (band.above is None or base > band.above) and (band.up_to is None or base <= band.up_to):
            return band.rate
    raise LookupError(f"rate table has no {column} band for {base}")


def percentage_amount(table: RateTable, bands: Iterable[RateBand], kind: str, base: Decimal) -> Amount:
    """The monthly dues on a base: one rate on the whole base, to the fen half up, at most the table's cap."""
    rate = band_rate(bands, COLUMN_OF_KIND[BaseKind(kind)], base)
    amount = to_fen(base * rate)
    if amount > table.monthly_cap:
        return Amount(table.monthly_cap, rate, True)
    return Amount(amount, rate, False)


def amount_after_relief(base_amount: Decimal, relief_kind: str | None, reduced_amount: Decimal | None) -> Decimal:
    """What a month owes under an approved relief: nothing when waived, the reduced amount when reduced."""
    if relief_kind == ReliefKind.WAIVE:
        return Decimal("0.00")
    if relief_kind == ReliefKind.REDUCE and reduced_amount is not None:
        return min(base_amount, reduced_amount)
    return base_amount
