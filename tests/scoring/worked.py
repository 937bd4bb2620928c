"""Running a preset on hand-made entries, for the worked examples."""

import datetime
from decimal import Decimal

from scoring.config import parse_config
from scoring.engine import EntryFact, Outcome, evaluate
from scoring.presets import preset_config

YEAR = 2025


def entry(item: str, month: int, quantity="1", day: int = 10, post_holder: bool = False, id: int = 0) -> tuple:
    return (item, datetime.date(YEAR, month, day), Decimal(str(quantity)), post_holder, id)


def score(preset: str, entries, *, stage: str = "full", joint=(), profile: str = "", previous_bands=()) -> Outcome:
    config = parse_config(preset_config(preset, profile=profile))
    facts = [
        EntryFact(id=given_id or index + 1, item=item, date=date, quantity=quantity, post_holder=post_holder)
        for index, (item, date, quantity, post_holder, given_id) in enumerate(entries)
    ]
    return evaluate(
        config,
        year=YEAR,
        stage=stage,
        entries=facts,
        joint=[Decimal(str(j)) for j in joint],
        previous_bands=previous_bands,
    )


def codes(outcome: Outcome) -> set[str]:
    return {consequence["code"] for consequence in outcome.consequences}
