"""A county's batch stores what changed: new results stream in, changed ones are rewritten, the rest left alone;
the year's lock keeps recomputations out while a batch runs."""

import datetime
from decimal import Decimal

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from members.models import Person, Stage
from scoring import storing
from scoring.compute import compute_results
from scoring.models import Entry, EntryStatus, Result
from scoring.services import recompute_county
from tests.factories import make_id_number

from .conftest import YEAR, day, scheme


def _people(tree, count: int, first: int = 0) -> list[Person]:
    return Person.objects.bulk_create(
        Person(
            name=f"党员{n}",
            id_number=make_id_number(birth=datetime.date(1960, 1, 1) + datetime.timedelta(days=n)),
            sex="male",
            birth_date=datetime.date(1990, 1, 1),
            org=tree.branch,
            stage=Stage.FULL,
        )
        for n in range(first, first + count)
    )


def _late_dues(twelve, person: Person, quantity: int, month: int = 3) -> None:
    Entry.objects.create(
        scheme=twelve, year=YEAR, person=person, org=person.org, item="late_dues", date=day(month), quantity=quantity,
        status=EntryStatus.FINAL, approval_level="general_meeting", source="branch",
    )


@pytest.fixture
def twelve(admin_a):
    return scheme(admin_a, "twelve_point")


def test_a_batch_streams_new_results_rewrites_changed_ones_and_leaves_the_rest(admin_a, tree, twelve, monkeypatch):
    monkeypatch.setattr(storing, "STREAMED_PER_COPY", 4)  # several COPYs, the last one partial
    people = _people(tree, 10)
    for person in people:
        _late_dues(twelve, person, 1)
    recompute_county(actor=admin_a, year=YEAR)
    first = {row.person_id: row for row in Result.objects.filter(year=YEAR, person__in=people)}
    assert {row.total for row in first.values()} == {Decimal("10")}  # 12 − 1 × 2, each of the ten

    changed, newcomer = people[3], _people(tree, 1, first=10)[0]
    _late_dues(twelve, changed, 2, month=5)
    _late_dues(twelve, newcomer, 3)
    recompute_county(actor=admin_a, year=YEAR)

    after = {row.person_id: row for row in Result.objects.filter(year=YEAR, person__in=[*people, newcomer])}
    assert after[changed.pk].total == Decimal("6")  # 12 − (1 + 2) × 2
    assert after[changed.pk].computed_at > first[changed.pk].computed_at
    assert after[newcomer.pk].total == Decimal("6")  # 12 − 3 × 2
    unchanged = [person.pk for person in people if person != changed]
    assert all(after[pk].computed_at == first[pk].computed_at for pk in unchanged)  # not rewritten


def _other_session():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"], host=settings["HOST"],
        port=settings["PORT"] or None, autocommit=True,
    )


def _can_take(session, year: int, *, exclusive: bool) -> bool:
    function = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
    unlock = "pg_advisory_unlock" if exclusive else "pg_advisory_unlock_shared"
    key = "hashtext('scoring_result:' || %s)"
    taken = session.execute(f"SELECT {function}({key}, %s)", [connection.schema_name, year]).fetchone()[0]
    if taken:
        session.execute(f"SELECT {unlock}({key}, %s)", [connection.schema_name, year])
    return taken


def test_the_year_lock_lets_recomputations_share_it_and_a_batch_hold_it_alone(admin_a, tree, twelve, alice):
    # The locks last until the test's transaction ends; creating the scheme already ran the year's batch.
    with _other_session() as other:
        assert not _can_take(other, YEAR, exclusive=False)  # the batch: nobody else until it commits
        compute_results(YEAR + 1, [alice.pk])  # one person's recomputation (of a year without a batch yet)
        assert _can_take(other, YEAR + 1, exclusive=False)  # other recomputations go on
        assert not _can_take(other, YEAR + 1, exclusive=True)  # a batch waits for it
        assert _can_take(other, YEAR + 2, exclusive=True)  # another year is free


def test_a_result_the_stream_cannot_store_fails_the_batch_and_stores_nothing(tree, twelve, alice):
    stored = Result.objects.count()
    row = (twelve.pk, twelve.version, tree.branch.pk, Stage.FULL, Decimal("12"), {}, {}, "", "", [])
    writer = storing.ResultWriter(YEAR)
    with pytest.raises(IntegrityError), transaction.atomic(), writer.streaming():
        writer.add(alice.pk, row)
        writer.add(10**9, row)  # nobody: the COPY's reference check refuses it
    assert Result.objects.count() == stored
