"""The `score_unqualified` ground: scoring's results propose disposition cases (DOMAIN.md §6 and §7).

A grade is known once the year is over; during the year only what later entries cannot undo proposes
(a score at 0 in a scheme that only deducts, three meetings missed in a row), from the day it happened.
"""

import datetime

from scoring.services import approve_entry, declare_entry, review_entry
from workflows.services.disposition_proposals import open_proposals, refresh_proposals

from .conftest import YEAR, day, member, scheme


def _final(entry, secretary):
    review_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    return approve_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)


def _record(secretary, person, item, date, **extra):
    return _final(declare_entry(actor=secretary, person=person, item=item, date=date, **extra), secretary)


def _proposed(on: datetime.date) -> dict:
    refresh_proposals(on=on)
    return {proposal.person_id: proposal for proposal in open_proposals().filter(grounds="score_unqualified")}


def test_an_unqualified_grade_is_proposed_once_the_year_is_over_dated_its_last_day(admin_a, tree, secretary, alice):
    scheme(admin_a, "weighted_80_20", category="on_the_job")
    alice.category = "on_the_job"
    alice.save(update_fields=["category"])
    _record(secretary, alice, "volunteer_post", day(3), quantity=1)  # 20
    _record(secretary, alice, "volunteer", day(5), quantity=2)  # 20 → 40: unqualified (60分以下)

    assert _proposed(day(11, 30)) == {}  # in November a total counting up says nothing yet
    found = _proposed(datetime.date(YEAR + 1, 1, 10))
    assert set(found) == {alice.pk}
    assert found[alice.pk].since == datetime.date(YEAR, 12, 31)
    assert found[alice.pk].evidence == {
        "year": YEAR,
        "scheme": "weighted_80_20",
        "total": "40.00",
        "grade": "unqualified",
        "grade_label": "不合格",
        "vetoed_by": "",
        "consequences": ["按不合格党员处置程序处理"],
    }
    # The year after next, last year's grade no longer proposes.
    assert _proposed(datetime.date(YEAR + 2, 1, 10)) == {}


def test_a_twelve_point_score_at_zero_is_proposed_from_the_day_it_reached_zero(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    bob = member(tree.branch)
    _record(secretary, alice, "sanctioned", day(4), evidence=["处分决定"])  # 12 − 6 = 6
    _record(secretary, alice, "bad_influence", day(6, 5), evidence=["情况说明"])  # 6 − 3 = 3
    _record(secretary, alice, "masses_complaint", day(8, 20), evidence=["调查记录"])  # 3 − 3 = 0
    _record(secretary, bob, "late_dues", day(5))  # 10: nothing

    assert _proposed(day(8, 19)) == {}  # the day before, the score was still 3
    found = _proposed(day(9, 1))
    assert set(found) == {alice.pk}
    assert found[alice.pk].since == day(8, 20)
    assert (found[alice.pk].evidence["total"], found[alice.pk].evidence["consequences"]) == (
        "0.00", ["积分扣完，纳入不合格党员处置"]
    )
    # The same facts stay one proposal when the year is over.
    assert _proposed(datetime.date(YEAR + 1, 1, 5))[alice.pk].pk == found[alice.pk].pk


def test_three_meetings_missed_in_a_row_are_proposed_from_the_third_month(admin_a, tree, secretary, alice):
    scheme(admin_a, "monthly_60_40")
    for month in (3, 4, 5):
        _record(secretary, alice, "missed_meetings", day(month, 12))
    for month in range(1, 13):  # full monthly ratings: 100 before penalties, four stars or more
        _record(secretary, alice, "performance_rating", day(month, 28), quantity=40)
    found = _proposed(day(9, 1))
    assert set(found) == {alice.pk}
    assert found[alice.pk].since == day(5, 12)
    assert found[alice.pk].evidence["consequences"] == ["连续3次不参加“三会一课”，作为不合格党员处置"]
