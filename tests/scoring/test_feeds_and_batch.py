"""Feeds from other modules arrive as proposed entries with their source; a county's year computes in one batch."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dues.models import Arrears
from members.models import Person, Stage, Status
from orgs.models import Attendance, Meeting
from scoring.models import Entry, EntryStatus, Result
from scoring.services import approve_entry, recompute_county, review_entry, run_feeds
from tests.factories import make_id_number

from .conftest import YEAR, day, member, scheme


def test_the_dues_arrears_feed_proposes_the_red_yellow_veto_once(admin_a, tree, secretary, alice, bob):
    scheme(admin_a, "red_yellow")
    Arrears.objects.create(person=alice, as_of=day(9, 1), months_unpaid=4, consecutive_unpaid=4, since=day(5, 1))
    Arrears.objects.create(person=bob, as_of=day(9, 1), months_unpaid=3, consecutive_unpaid=3, since=day(6, 1))

    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(9, 2)) == 1  # 4 months is more than 3; 3 is not (超过)
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(9, 3)) == 0  # proposed once however often the feed runs
    entry = Entry.objects.get(person=alice)
    assert (entry.item, entry.source, entry.status, entry.date) == (
        "dues_unpaid_over_3_months",
        "dues_arrears",
        EntryStatus.DECLARED,
        day(9, 1),
    )
    # Reviewed like any other entry; once approved it zeroes the year: class 4.
    review_entry(actor=secretary, entry=entry, decision="approve", date=day(9, 5))
    approve_entry(actor=secretary, entry=entry, decision="approve", date=day(9, 10))
    result = Result.objects.get(person=alice)
    assert (result.total, result.grade, result.vetoed_by) == (Decimal("0"), "class_4", "dues_unpaid_over_3_months")


def test_the_meeting_feeds_propose_a_month_once_it_has_ended(admin_a, tree, alice):
    scheme(admin_a, "categories_base80")
    lost = member(tree.branch, status=Status.LOST_CONTACT)
    for date in (day(3, 8), day(3, 20), day(4, 8)):
        meeting = Meeting.objects.create(org=tree.branch, kind="general_meeting", date=date, topic="学习")
        Attendance.objects.create(meeting=meeting, person=alice, status="present")
        Attendance.objects.create(meeting=meeting, person=lost, status="absent")
    # A month is proposed once it has ended (members declare monthly), the meetings counted.
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(4, 15)) == 2
    proposed = {(e.person_id, e.item, e.source, e.quantity) for e in Entry.objects.all()}
    # categories_base80 fills "1 per meeting attended" and "1 per unexcused absence"; it has no lost-contact item.
    assert proposed == {
        (alice.pk, "meeting_attended", "meeting_attended", 2),
        (lost.pk, "unexcused_absence", "meeting_absent", 2),
    }
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(5, 1)) == 2  # April now
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(5, 2)) == 0


def test_only_the_county_runs_the_feeds(tree, secretary):
    with pytest.raises(PermissionDenied):
        run_feeds(actor=secretary, year=YEAR)


def test_a_county_year_computes_in_one_batch_with_a_bounded_number_of_queries(admin_a, tree):
    twelve = scheme(admin_a, "twelve_point")
    people = Person.objects.bulk_create(
        Person(
            name=f"党员{n}",
            id_number=make_id_number(birth=datetime.date(1960, 1, 1) + datetime.timedelta(days=n)),
            sex="male",
            birth_date=datetime.date(1990, 1, 1),
            org=tree.branch if n % 2 else tree.other_branch,
            stage=Stage.FULL,
        )
        for n in range(600)
    )
    Entry.objects.bulk_create(
        Entry(
            scheme=twelve,
            year=YEAR,
            person=person,
            org=person.org,
            item="late_dues",
            date=day(1 + n % 12),
            quantity=1 + n % 3,
            status=EntryStatus.FINAL,
            approval_level="general_meeting",
            source="branch",
        )
        for n, person in enumerate(people)
    )
    with CaptureQueriesContext(connection) as queries:
        assert recompute_county(actor=admin_a, year=YEAR) >= 600
    assert len(queries) < 40  # set-based: not one query per person
    totals = dict(Result.objects.filter(year=YEAR, person__in=people).values_list("person_id", "total"))
    assert totals[people[0].pk] == Decimal("10")  # 12 − 1 × 2
    assert totals[people[1].pk] == Decimal("8")  # 12 − 2 × 2
    assert totals[people[2].pk] == Decimal("6")  # 12 − 3 × 2
