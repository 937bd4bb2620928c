"""Scores of an assessment, by the one engine: a sheet from its criteria's values, the result from the
stages' scores, the satisfaction ballots and the vetoes. Pure computation on plain values."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..engine import EntryFact, Outcome, evaluate
from ..reading import Band, band_for
from .config import FULL, OPINIONS, SCORE_ITEMS, IndicatorSystem, result_config, sheet_config


def _facts(year: int, quantities: Mapping[str, Decimal]) -> list[EntryFact]:
    day = datetime.date(year, 12, 31)
    return [EntryFact(id=index, item=item, date=day, quantity=Decimal(quantity))
            for index, (item, quantity) in enumerate(quantities.items(), start=1)]


def sheet(system: IndicatorSystem, year: int, values: Mapping[str, Decimal]) -> Outcome:
    """A sheet's score out of 100 from each criterion's value (an award's points, a deduction's or a
    penalty's occurrences); each indicator's own score is among the components."""
    quantities: dict[str, Decimal] = {indicator.code + FULL: Decimal(1) for indicator in system.indicators if indicator.start == "full"}
    quantities.update({code: value for code, value in values.items() if value})
    return evaluate(sheet_config(system), year=year, stage=None, entries=_facts(year, quantities))


@dataclass(frozen=True)
class Inputs:
    """What the stages gave: the sheets' and the report's scores out of 100, the ballots, the vetoes found."""

    scores: Mapping[str, Decimal | None]  # "self", "onsite", "report"
    ballots: Mapping[str, int]
    vetoes: tuple[str, ...] = ()


def result(system: IndicatorSystem, year: int, inputs: Inputs) -> Outcome:
    """The weighted total of the four stages (seed 001 第九条), its grade, and the grade a veto gives."""
    quantities: dict[str, Decimal] = {}
    for stage, item in SCORE_ITEMS.items():
        if inputs.scores.get(stage) is not None:
            quantities[item] = Decimal(inputs.scores[stage])
    for opinion in OPINIONS:
        if inputs.ballots.get(opinion):
            quantities[opinion] = Decimal(inputs.ballots[opinion])
    for code in inputs.vetoes:
        quantities[code] = Decimal(1)
    return evaluate(result_config(system), year=year, stage=None, entries=_facts(year, quantities))


def star_band(system: IndicatorSystem, total: Decimal, vetoed: bool) -> Band | None:
    """The star level of a result: by its total, or the level a veto gives."""
    if vetoed:
        return next(band for band in system.stars if band.code == system.veto_stars)
    return band_for(total, system.stars)
