"""Dues bases: fixed at the start of the year and locked (a correction is a recorded adjustment),
month by month for annual-salary earners, last quarter's average for the self-employed, and owed by
probationary members from the admission vote."""

import datetime
from decimal import Decimal

from auditlog.models import LogEntry

from dues.models import DuesBase, MonthlyDue
from dues.selectors import dues_start_date
from dues.services import adjust_base, set_dues_from
from members.models import Stage
from tests.dues.factories import DuesBaseFactory, county_admin, month, pay
from tests.factories import PersonFactory


def post_base(api, **body):
    return api.post("/api/dues/bases/", {"year": 2025, "kind": "salaried", **body}, format="json")


def test_a_base_answers_its_monthly_amount(tree, as_user):
    person = PersonFactory(org=tree.b1)
    answer = post_base(as_user(tree.secretary), person=person.pk, monthly_base="4500.00")
    assert answer.status_code == 201
    assert answer.json()["monthly_amount"] == "45.00"
    assert answer.json()["rate"] == "0.0100"


def test_the_base_is_locked_for_the_year_a_second_one_is_a_conflict(tree, as_user):
    api = as_user(tree.secretary)
    person = PersonFactory(org=tree.b1)
    assert post_base(api, person=person.pk, monthly_base="4500.00").status_code == 201
    second = post_base(api, person=person.pk, monthly_base="6000.00")
    assert second.status_code == 409
    assert (
        post_base(api, person=person.pk, kind="annual_salary", month="2025-03", monthly_base="9000").status_code == 409
    )
    assert DuesBase.objects.get(person=person).monthly_amount == Decimal("45.00")
    assert post_base(api, person=person.pk, year=2026, monthly_base="6000.00").status_code == 201


def test_a_correction_is_a_recorded_adjustment_that_keeps_history(tree, as_user):
    api = as_user(tree.secretary)
    person = PersonFactory(org=tree.b1)
    base = post_base(api, person=person.pk, monthly_base="4500.00").json()
    refused = api.post(f"/api/dues/bases/{base['id']}/adjust/", {"monthly_base": "6000.00"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    answer = api.post(
        f"/api/dues/bases/{base['id']}/adjust/", {"monthly_base": "6000.00", "reason": "工资核定有误"}, format="json"
    )
    assert answer.status_code == 200
    adjusted = answer.json()
    assert adjusted["monthly_amount"] == "90.00"
    assert adjusted["adjustments"][0]["previous_monthly_amount"] == "45.00"
    assert adjusted["adjustments"][0]["reason"] == "工资核定有误"
    assert adjusted["adjustments"][0]["recorded_by"] == "secretary"
    assert LogEntry.objects.get_for_object(DuesBase.objects.get(pk=base["id"])).filter(actor=tree.secretary).exists()


def test_a_correction_reaches_the_unpaid_months_only(tree):
    person = PersonFactory(org=tree.b1)
    base = DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    pay(person, [month("2025-01")])
    adjust_base(actor=county_admin(), base=base, monthly_base=Decimal("6000.00"), reason="工资核定有误")
    amounts = dict(MonthlyDue.objects.filter(person=person).values_list("month", "amount"))
    assert amounts[month("2025-01")] == Decimal("45.00")
    assert amounts[month("2025-02")] == Decimal("90.00")


def test_annual_salary_earners_have_a_base_per_month_from_that_months_pay(tree, as_user):
    api = as_user(tree.secretary)
    person = PersonFactory(org=tree.b1)
    march = post_base(api, person=person.pk, kind="annual_salary", month="2025-03", monthly_base="12000.00")
    april = post_base(api, person=person.pk, kind="annual_salary", month="2025-04", monthly_base="4000.00")
    assert (march.json()["monthly_amount"], april.json()["monthly_amount"]) == ("240.00", "40.00")
    assert (
        post_base(api, person=person.pk, kind="annual_salary", month="2025-03", monthly_base="1.00").status_code == 409
    )
    assert post_base(api, person=person.pk, kind="annual_salary", monthly_base="4000.00").status_code == 400
    assert post_base(api, person=person.pk, monthly_base="4000.00").status_code == 409
    account = api.get(f"/api/dues/accounts/{person.pk}/?year=2025").json()
    assert [(m["month"], m["due"]) for m in account["months"]] == [("2025-03", "240.00"), ("2025-04", "40.00")]


def test_self_employed_base_is_last_quarters_monthly_average(tree, as_user):
    api = as_user(tree.secretary)
    from_total = post_base(api, person=PersonFactory(org=tree.b1).pk, kind="self_employed", quarter_income="15000.00")
    assert from_total.status_code == 201
    assert (from_total.json()["monthly_base"], from_total.json()["monthly_amount"]) == ("5000.00", "50.00")
    from_average = post_base(api, person=PersonFactory(org=tree.b1).pk, kind="self_employed", monthly_base="5000.00")
    assert from_average.json()["monthly_amount"] == "50.00"
    both = post_base(
        api, person=PersonFactory(org=tree.b1).pk, kind="self_employed", monthly_base="5000", quarter_income="15000"
    )
    assert both.status_code == 400


def test_only_party_members_pay_dues(tree, as_user):
    applicant = PersonFactory(org=tree.b1, stage=Stage.CANDIDATE)
    answer = post_base(as_user(tree.secretary), person=applicant.pk, monthly_base="4500.00")
    assert answer.status_code == 400
    assert not DuesBase.objects.exists()


def test_probationary_members_owe_dues_from_the_admission_vote(tree, as_user):
    person = PersonFactory(org=tree.b1, stage=Stage.PROBATIONARY)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    set_dues_from(actor=tree.secretary, person=person, dues_from=datetime.date(2025, 6, 18))
    assert dues_start_date(person) == datetime.date(2025, 6, 18)
    account = as_user(tree.secretary).get(f"/api/dues/accounts/{person.pk}/?year=2025").json()
    assert [m["month"] for m in account["months"]] == [f"2025-{m:02d}" for m in range(6, 13)]
    assert sorted(MonthlyDue.objects.filter(person=person).values_list("month", flat=True))[0] == month("2025-06")


def test_the_admission_vote_date_can_come_with_the_base(tree, as_user):
    person = PersonFactory(org=tree.b1, stage=Stage.PROBATIONARY)
    answer = post_base(as_user(tree.secretary), person=person.pk, monthly_base="2000.00", dues_from="2025-11-03")
    assert answer.status_code == 201
    assert list(MonthlyDue.objects.filter(person=person).values_list("month", flat=True)) == [
        month("2025-11"),
        month("2025-12"),
    ]


def test_a_base_with_a_float_like_fraction_of_a_fen_is_refused(tree, as_user):
    answer = post_base(as_user(tree.secretary), person=PersonFactory(org=tree.b1).pk, monthly_base="3000.005")
    assert answer.status_code == 400
    assert "monthly_base" in answer.json()["errors"]
