"""Publication (DOMAIN.md §7): a summary each quarter, a notice each half year, the annual report; the
daily run; and the consequences other modules read."""

import pytest

from core.exceptions import Conflict, RuleViolation
from scoring.models import Entry, EntryStatus, Result
from scoring.selectors import results_with_consequence
from scoring.services import approve_entry, declare_entry, publish, review_entry, start_notice
from scoring.tasks import daily_run

from .conftest import YEAR, day, member, scheme


def _final(entry, secretary):
    review_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    return approve_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)


def test_a_quarterly_summary_counts_the_entries_dated_in_the_year_up_to_the_quarter_end(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    _final(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(2)), secretary)
    _final(declare_entry(actor=secretary, person=alice, item="study_missed", date=day(5)), secretary)
    first = publish(actor=secretary, org=tree.branch, year=YEAR, period="q1", date=day(5, 20))
    assert first.kind == "summary"
    row = next(row for row in first.rows if row["person"] == alice.pk)
    assert row["total"] == "10.00"  # 12 − 2; the May entry is after 31 March
    with pytest.raises(Conflict):
        publish(actor=secretary, org=tree.branch, year=YEAR, period="q1", date=day(5, 21))
    with pytest.raises(RuleViolation):  # a half-year notice waits for the half year to end
        publish(actor=secretary, org=tree.branch, year=YEAR, period="h1", date=day(6, 29))
    report = publish(actor=secretary, org=tree.branch, year=YEAR, period="year", date=day(12, 31))
    assert report.kind == "report"
    assert next(row for row in report.rows if row["person"] == alice.pk)["total"] == "9.00"


def test_the_daily_run_closes_notices_proposes_feed_entries_and_recomputes(admin_a, tree, secretary, alice):
    scheme(admin_a, "categories_base80")
    _final(declare_entry(actor=secretary, person=alice, item="collective_study", date=day(3), quantity=3), secretary)
    start_notice(actor=secretary, org=tree.branch, date=day(4, 21))
    newcomer = member(tree.branch)  # joined after the last computation
    outcome = daily_run(as_of=day(12, 1).isoformat())
    assert outcome["final"] == 1
    assert Entry.objects.get(person=alice).status == EntryStatus.FINAL
    assert Result.objects.filter(person=newcomer, year=YEAR).exists()


def test_results_triggering_a_disposition_proposal_are_listed_for_the_disposition_module(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    for item in ("sanctioned", "bad_influence", "masses_complaint"):  # 12 − 6 − 3 − 3 = 0
        _final(declare_entry(actor=secretary, person=alice, item=item, date=day(4), evidence=["file"]), secretary)
    proposed = results_with_consequence("disposition_proposal", YEAR)
    assert [(result.person_id, result.total) for result in proposed] == [(alice.pk, 0)]
