"""Payments: the amount must match the months' dues (plus a declared voluntary extra), idempotent by
reference, a month is paid once, back payment reaches at most 6 months back (2008 regulation 第十二条),
by proxy or quarterly only with the branch's consent, and large voluntary payments are kept apart."""

import datetime
from decimal import Decimal

import pytest

from dues.models import LargeVoluntaryPayment, MonthlyDue, Payment
from tests.dues.factories import DuesBaseFactory, month
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def member(tree):
    """A member of branch B1 paying 45.00 a month in 2025."""
    person = PersonFactory(org=tree.b1)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    return person


def post_payment(api, person, **body):
    payload = {
        "person": person.pk,
        "months": ["2025-03"],
        "amount": "45.00",
        "paid_on": "2025-03-10",
        "channel": "cash",
    }
    return api.post("/api/dues/payments/", {**payload, **body}, format="json")


def test_a_payment_of_the_months_dues_is_recorded(tree, as_user, member):
    answer = post_payment(
        as_user(tree.treasurer), member, months=["2025-03", "2025-04"], amount="90.00", paid_on="2025-04-02"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["months"] == ["2025-03", "2025-04"]
    assert answer.json()["dues_amount"] == "90.00"
    account = as_user(tree.treasurer).get(f"/api/dues/accounts/{member.pk}/?year=2025").json()
    statuses = {m["month"]: (m["paid"], m["status"]) for m in account["months"]}
    assert statuses["2025-03"] == ("45.00", "paid")
    assert statuses["2025-05"] == ("0.00", "overdue")


def test_an_amount_that_does_not_match_the_months_dues_is_refused(tree, as_user, member):
    answer = post_payment(as_user(tree.treasurer), member, amount="50.00")
    assert answer.status_code == 400
    assert "amount" in answer.json()["errors"]
    assert not Payment.objects.exists()
    assert not MonthlyDue.objects.filter(payment__isnull=False).exists()


def test_paying_more_needs_a_declared_voluntary_extra(tree, as_user, member):
    answer = post_payment(as_user(tree.treasurer), member, amount="50.00", voluntary_extra="5.00")
    assert answer.status_code == 201
    assert (answer.json()["dues_amount"], answer.json()["voluntary_extra"]) == ("45.00", "5.00")
    assert answer.json()["large_voluntary"] is False


def test_a_voluntary_extra_of_1000_or_more_at_once_is_a_large_voluntary_payment_kept_apart(tree, as_user, member):
    answer = post_payment(as_user(tree.treasurer), member, amount="1045.00", voluntary_extra="1000.00")
    assert answer.json()["large_voluntary"] is True
    large = LargeVoluntaryPayment.objects.get()
    assert (large.amount, large.person, large.org) == (Decimal("1000.00"), member, tree.b1)
    below = post_payment(
        as_user(tree.treasurer),
        member,
        months=["2025-04"],
        amount="1044.99",
        voluntary_extra="999.99",
        paid_on="2025-04-10",
    )
    assert below.json()["large_voluntary"] is False


def test_payments_are_idempotent_by_reference(tree, as_user, member):
    api = as_user(tree.treasurer)
    first = post_payment(api, member, reference="WX-20250310-001", channel="wechat")
    again = post_payment(api, member, reference="WX-20250310-001", channel="wechat")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Payment.objects.count() == 1


def test_the_same_reference_with_different_content_is_a_conflict(tree, as_user, member):
    api = as_user(tree.treasurer)
    assert post_payment(api, member, reference="WX-1").status_code == 201
    other = post_payment(api, member, reference="WX-1", months=["2025-04"], paid_on="2025-04-10")
    assert other.status_code == 409
    assert Payment.objects.count() == 1


def test_a_month_is_paid_only_once(tree, as_user, member):
    api = as_user(tree.treasurer)
    assert post_payment(api, member).status_code == 201
    twice = post_payment(api, member, months=["2025-03", "2025-04"], amount="90.00", paid_on="2025-04-10")
    assert twice.status_code == 409
    assert Payment.objects.count() == 1


def test_back_payment_reaches_at_most_6_months_back(tree, as_user, member):
    api = as_user(tree.treasurer)
    six_back = post_payment(api, member, months=["2025-01"], paid_on="2025-07-31")
    assert six_back.status_code == 201
    seven_back = post_payment(api, member, months=["2025-01", "2025-02"], amount="90.00", paid_on="2025-09-01")
    assert seven_back.status_code == 400
    assert "months" in seven_back.json()["errors"]


def test_months_ahead_are_not_paid_monthly_but_may_be_within_the_quarter_with_consent(tree, as_user, member):
    api = as_user(tree.treasurer)
    ahead = post_payment(api, member, months=["2025-04"], paid_on="2025-03-10")
    assert ahead.status_code == 400
    consent = api.post(
        f"/api/dues/accounts/{member.pk}/arrangement/",
        {"pays_quarterly": True, "consented_on": "2025-01-05"},
        format="json",
    )
    assert consent.status_code == 200
    quarter = post_payment(api, member, months=["2025-01", "2025-02", "2025-03"], amount="135.00", paid_on="2025-01-10")
    assert quarter.status_code == 201
    next_quarter = post_payment(api, member, months=["2025-04"], paid_on="2025-03-31")
    assert next_quarter.status_code == 400


def test_a_quarterly_payers_months_are_overdue_only_after_the_quarter(tree, as_user, member):
    api = as_user(tree.treasurer)
    api.post(
        f"/api/dues/accounts/{member.pk}/arrangement/",
        {"pays_quarterly": True, "consented_on": "2025-01-05"},
        format="json",
    )
    overdue_on = {
        m["month"]: m["overdue_on"] for m in api.get(f"/api/dues/accounts/{member.pk}/?year=2025").json()["months"]
    }
    assert overdue_on["2025-01"] == overdue_on["2025-03"] == "2025-04-01"


def test_someone_else_pays_only_with_the_branchs_consent(tree, as_user, member):
    api = as_user(tree.treasurer)
    relative = PersonFactory(org=tree.b1)
    refused = post_payment(api, member, paid_by=relative.pk)
    assert refused.status_code == 400
    assert "paid_by" in refused.json()["errors"]
    api.post(
        f"/api/dues/accounts/{member.pk}/arrangement/",
        {"proxy": relative.pk, "consented_on": "2025-01-05"},
        format="json",
    )
    answer = post_payment(api, member, paid_by=relative.pk)
    assert answer.status_code == 201
    assert answer.json()["paid_by"] == relative.pk


def test_the_payment_date_is_never_in_the_future(tree, as_user, member):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    answer = post_payment(as_user(tree.treasurer), member, paid_on=tomorrow.isoformat())
    assert answer.status_code == 400
    assert "paid_on" in answer.json()["errors"]


def test_a_month_without_a_base_cannot_be_paid(tree, as_user):
    person = PersonFactory(org=tree.b1)
    answer = post_payment(as_user(tree.treasurer), person)
    assert answer.status_code == 400
    assert "months" in answer.json()["errors"]


def test_a_member_pays_their_own_dues(tree, as_user, member):
    member.user = UserFactory(username="member-self")
    member.save()
    answer = post_payment(as_user(member.user), member, channel="alipay", reference="ALI-1")
    assert answer.status_code == 201
    other = PersonFactory(org=tree.b1)
    DuesBaseFactory(person=other, monthly_base=Decimal("4500.00"))
    assert post_payment(as_user(member.user), other).status_code == 404


def test_mobile_member_dues_go_to_the_collecting_organization(tree, as_user, member):
    answer = post_payment(as_user(tree.treasurer), member)
    assert answer.json()["org"] == tree.b1.pk
    assert month("2025-03") in MonthlyDue.objects.filter(payment__isnull=False).values_list("month", flat=True)
