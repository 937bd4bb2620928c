"""The monthly assessment: every member's dues for a month in one set-based batch, idempotent, never
touching a month already paid, and dropping members no longer on the roll."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import today
from dues.assessment import assess_month
from dues.models import MonthlyDue
from members.models import Status
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory

NEXT_YEAR = today().year + 1  # bases for a year still ahead are not assessed until its months come


def members(tree, count: int, org=None):
    people = []
    for index in range(count):
        person = PersonFactory(org=org or tree.b1)
        DuesBaseFactory(person=person, year=NEXT_YEAR, monthly_base=Decimal(2000 + index * 1000))
        people.append(person)
    return people


def test_a_months_assessment_covers_every_member_in_one_batch(tree):
    people = members(tree, 5) + members(tree, 2, org=tree.b3)
    january = datetime.date(NEXT_YEAR, 1, 1)
    assert not MonthlyDue.objects.filter(month=january).exists()
    with CaptureQueriesContext(connection) as queries:
        result = assess_month(actor=tree.admin, month=january)
    assert result.created == 7
    assert len(queries) < 15  # set-based: the same handful of statements for 7 members or 40,000
    amounts = dict(MonthlyDue.objects.filter(month=january).values_list("person_id", "amount"))
    assert amounts[people[0].pk] == Decimal("10.00")  # 2,000 × 0.5%
    assert amounts[people[2].pk] == Decimal("40.00")  # 4,000 × 1%


def test_running_the_assessment_again_changes_nothing(tree):
    members(tree, 3)
    january = datetime.date(NEXT_YEAR, 1, 1)
    assess_month(actor=tree.admin, month=january)
    before = list(MonthlyDue.objects.order_by("id").values_list("id", "person_id", "amount"))
    again = assess_month(actor=tree.admin, month=january)
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 3)
    assert list(MonthlyDue.objects.order_by("id").values_list("id", "person_id", "amount")) == before


def test_an_organizations_assessment_stays_in_its_subtree(tree, as_user):
    members(tree, 2)
    members(tree, 1, org=tree.b3)
    answer = as_user(tree.secretary).post(
        "/api/dues/assessments/", {"month": f"{NEXT_YEAR}-01", "org": tree.b1.pk}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["created"] == 2
    assert (
        as_user(tree.secretary).post("/api/dues/assessments/", {"month": f"{NEXT_YEAR}-01"}, format="json").status_code
        == 403
    )
    assert (
        as_user(tree.secretary)
        .post("/api/dues/assessments/", {"month": f"{NEXT_YEAR}-01", "org": tree.b3.pk}, format="json")
        .status_code
        == 404
    )


def test_a_member_who_left_the_roll_is_dropped_from_the_unpaid_month(tree):
    leaving, staying = members(tree, 2)
    january = datetime.date(NEXT_YEAR, 1, 1)
    assess_month(actor=tree.admin, month=january)
    leaving.status = Status.TRANSFERRED_OUT
    leaving.save()
    result = assess_month(actor=tree.admin, month=january)
    assert result.removed == 1
    assert list(MonthlyDue.objects.filter(month=january).values_list("person_id", flat=True)) == [staying.pk]
