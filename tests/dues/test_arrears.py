"""Monthly statuses and arrears: a month is due during its collection period and overdue after it,
across the year boundary; more than 3 months unpaid feeds scoring, 6 consecutive months feeds the
self-lapse ground (党章第三十八条); the monthly computation is idempotent."""

import datetime
from decimal import Decimal

import pytest

from config.celery import OutsideCountyError
from dues import rules
from dues.models import Arrears
from dues.selectors import (
    account,
    consecutive_unpaid_months,
    months_unpaid,
    persons_with_arrears_over,
    persons_with_consecutive_unpaid,
)
from dues.services import approve_relief, compute_arrears, propose_relief
from dues.tasks import monthly_run
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory


def member_with_bases(tree, years=(2024, 2025)):
    person = PersonFactory(org=tree.b1)
    for year in years:
        DuesBaseFactory(person=person, year=year, monthly_base=Decimal("4500.00"))
    return person


def statuses(person, year, as_of):
    return {f"{line.month:%Y-%m}": line.status for line in account(person, year, as_of)["months"]}


def test_december_is_overdue_in_january_while_january_is_still_due(tree):
    person = member_with_bases(tree)
    pay(person, [month(f"2024-{m:02d}") for m in range(7, 12)], paid_on=datetime.date(2024, 11, 20))
    as_of = datetime.date(2025, 1, 15)
    assert statuses(person, 2024, as_of)["2024-11"] == "paid"
    assert statuses(person, 2024, as_of)["2024-12"] == "overdue"
    assert statuses(person, 2025, as_of)["2025-01"] == "due"
    assert statuses(person, 2025, as_of)["2025-02"] == "due"


def test_unpaid_months_run_on_across_the_year_boundary(tree):
    person = member_with_bases(tree)
    pay(person, [month(f"2024-{m:02d}") for m in range(6, 12)], paid_on=datetime.date(2024, 11, 20))
    as_of = datetime.date(2025, 3, 1)  # December, January and February are over and unpaid
    assert consecutive_unpaid_months(person, as_of) == 3
    assert months_unpaid(person, as_of) == 3 + 5  # and January to May 2024, never paid
    assert months_unpaid(person, as_of, since=datetime.date(2025, 1, 1)) == 2
    pay(person, [month("2025-01")], paid_on=datetime.date(2025, 3, 1))
    assert consecutive_unpaid_months(person, as_of) == 1  # February alone; January is paid


def test_a_waived_month_is_relieved_and_ends_a_run_of_unpaid_months(tree):
    person = member_with_bases(tree, years=(2025,))
    relief = propose_relief(
        actor=tree.secretary,
        person=person,
        kind="waive",
        start_month=month("2025-02"),
        end_month=month("2025-02"),
        reason="住院",
        proposed_on=datetime.date(2025, 1, 20),
    )
    approve_relief(actor=tree.reviewer, relief=relief, decided_on=datetime.date(2025, 1, 25))
    as_of = datetime.date(2025, 4, 1)
    assert statuses(person, 2025, as_of)["2025-02"] == "relieved"
    assert consecutive_unpaid_months(person, as_of) == 1  # March; February owes nothing
    assert months_unpaid(person, as_of) == 2


def test_the_arrears_computation_feeds_scoring_and_disposition_and_is_idempotent(tree):
    six_in_a_row = member_with_bases(tree, years=(2025,))
    pay(six_in_a_row, [month("2025-01"), month("2025-02")], paid_on=datetime.date(2025, 2, 28))
    four_scattered = member_with_bases(tree, years=(2025,))
    pay(four_scattered, [month(f"2025-{m:02d}") for m in (1, 3, 5, 7)], paid_on=datetime.date(2025, 7, 31))
    up_to_date = member_with_bases(tree, years=(2025,))
    pay(up_to_date, [month(f"2025-{m:02d}") for m in range(1, 7)], paid_on=datetime.date(2025, 6, 30))
    pay(up_to_date, [month("2025-07"), month("2025-08")], paid_on=datetime.date(2025, 8, 31))

    as_of = datetime.date(2025, 9, 1)
    compute_arrears(as_of=as_of)
    rows = Arrears.objects.order_by("person_id").values_list(
        "person_id", "months_unpaid", "consecutive_unpaid", "since"
    )
    first = list(rows)
    compute_arrears(as_of=as_of)
    assert list(rows) == first

    assert rows.get(person=six_in_a_row)[1:] == (6, 6, month("2025-03"))
    assert rows.get(person=four_scattered)[1:] == (4, 1, month("2025-02"))
    assert not Arrears.objects.filter(person=up_to_date).exists()
    over = persons_with_arrears_over(rules.ARREARS_SCORING_ABOVE_MONTHS)
    lapsing = persons_with_consecutive_unpaid(rules.SELF_LAPSE_CONSECUTIVE_MONTHS)
    assert set(over) == {six_in_a_row, four_scattered}
    assert set(lapsing) == {six_in_a_row}


def test_paying_up_clears_the_arrears_row_at_the_next_computation(tree):
    person = member_with_bases(tree, years=(2025,))
    compute_arrears(as_of=datetime.date(2025, 3, 1))
    assert Arrears.objects.get(person=person).months_unpaid == 2
    pay(person, [month("2025-01"), month("2025-02")], paid_on=datetime.date(2025, 3, 1))
    compute_arrears(as_of=datetime.date(2025, 3, 1))
    assert not Arrears.objects.filter(person=person).exists()


def test_the_monthly_task_assesses_and_computes_arrears_in_the_county(tree):
    person = member_with_bases(tree, years=(2025,))
    result = monthly_run.apply(kwargs={"as_of": "2025-05-02"}).get()
    assert result["county"] == "alpha"
    assert result["in_arrears"] >= 1
    assert Arrears.objects.get(person=person).months_unpaid == 4


def test_the_monthly_task_refuses_to_run_outside_a_county(public_schema):
    with pytest.raises(OutsideCountyError):
        monthly_run.apply()
