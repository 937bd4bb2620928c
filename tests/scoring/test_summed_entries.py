"""The batch reads plain items' entries summed per period (scoring.engine.summing_period): every preset's
results must be those of the engine fed each entry on its own."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from members.models import Person
from scoring.compute import compute_results, schemes_in_force
from scoring.engine import EntryFact, evaluate, summing_period
from scoring.models import Entry, EntryStatus, JointDeduction, Result
from scoring.presets import PRESETS, preset_config

from .conftest import YEAR, member, scheme


def _quantity(item, person: int, index: int) -> Decimal:
    if item.counts_occurrences:
        return Decimal(1 + (person + index) % 3)
    if item.per is not None:
        return item.per * Decimal("0.7") * (1 + index % 2)
    return Decimal(f"{1 + (person * index) % 4}.{(25 * index) % 100:02d}")


def _entries(config, scheme, people: list[Person]) -> list[Entry]:
    """Every item of the scheme for every person: several entries a month, in several months and quarters."""
    rows = []
    for person_index, person in enumerate(people):
        for item_index, item in enumerate(config.items.values()):
            if item.veto and person_index != 1:
                continue
            for index in range(6):
                month = 1 + (person_index + item_index + 2 * index) % 12
                rows.append((person, item.code, datetime.date(YEAR, month, 1 + (7 * index) % 28),
                             _quantity(item, person_index, index)))
    # A negative quantity (the services refuse it; data may hold it) among the positive ones of a capped plain
    # item: that person's entries of the item must come one by one.
    capped = next(
        (item for item in config.items.values() if item.cap is not None and summing_period(config, item)), None
    )
    if capped is not None:
        rows.append((people[2], capped.code, datetime.date(YEAR, 3, 15), Decimal("-2.50")))
    return [
        Entry(scheme=scheme, year=YEAR, person=person, org=person.org, item=code, date=date, quantity=quantity,
              status=EntryStatus.FINAL, approval_level="general_meeting", source="branch")
        for person, code, date, quantity in rows
    ]


def _caps_by_quarter_and_month() -> dict:
    """red_yellow with caps no preset has: a quarter's and a month's."""
    config = preset_config("red_yellow")
    for item in config["items"]:
        if item["code"] == "org_life":
            item["cap"] = {"period": "quarter", "points": "5"}
        if item["code"] == "study":
            item["cap"] = {"period": "month", "points": "1.5"}
    return config


@pytest.mark.parametrize("preset, config", [*((code, None) for code in sorted(PRESETS)), ("red_yellow", _caps_by_quarter_and_month())])
def test_the_batch_reading_summed_entries_gives_the_results_of_every_entry_one_by_one(
    preset, config, admin_a, tree, secretary, secretary_person
):
    created = scheme(admin_a, preset, config=config)
    config = schemes_in_force(YEAR)[""].config
    people = [secretary_person, *(member(tree.branch if n % 2 else tree.other_branch) for n in range(5))]
    Entry.objects.bulk_create(_entries(config, created, people))

    compute_results(YEAR)

    for person in people:
        facts = [
            EntryFact(entry.id, entry.item, entry.date, entry.quantity, post_holder=person == secretary_person)
            for entry in Entry.objects.filter(year=YEAR, person=person)
        ]
        joint = JointDeduction.objects.filter(year=YEAR, person=person).aggregate(points=Sum("points"))["points"]
        expected = evaluate(config, year=YEAR, stage=person.stage, entries=facts, joint=[joint] if joint else ())
        stored = Result.objects.get(year=YEAR, person=person)
        assert stored.total == expected.total, person.name
        assert stored.components == {code: str(value) for code, value in expected.components.items()}
        assert stored.months == {
            month: {code: str(value) for code, value in values.items()} for month, values in expected.months.items()
        }
        assert (stored.grade, stored.vetoed_by or None) == (expected.grade, expected.vetoed_by)
        assert stored.consequences == expected.consequences
