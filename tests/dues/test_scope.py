"""Scope: a person of another county, or outside the caller's branch, does not exist for the caller (404),
and nothing is written."""

from decimal import Decimal

import pytest
from django.db.models import Max

from dues.models import DuesBase, Payment
from members.models import Person
from tenants.models import County
from tests.conftest import in_county
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def b2_member(tree):
    person = PersonFactory(org=tree.b2)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    return person


def test_a_person_of_another_county_is_not_found(tree, as_user):
    unused_here = (Person.objects.aggregate(top=Max("pk"))["top"] or 0) + 1000
    with in_county(County.objects.get(slug="beta")):
        stranger = PersonFactory(pk=unused_here)
        DuesBaseFactory(person=stranger, monthly_base=Decimal("4500.00"))
    api = as_user(tree.admin)
    assert api.get(f"/api/dues/accounts/{stranger.pk}/?year=2025").status_code == 404
    payment = {
        "person": stranger.pk,
        "months": ["2025-03"],
        "amount": "45.00",
        "paid_on": "2025-03-10",
        "channel": "cash",
    }
    assert api.post("/api/dues/payments/", payment, format="json").status_code == 404
    assert api.get(f"/api/dues/bases/?person={stranger.pk}").status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/dues/accounts/{person}/?year=2025", None),
        ("post", "/api/dues/bases/", {"person": "{person}", "year": 2026, "kind": "salaried", "monthly_base": "3000"}),
        (
            "post",
            "/api/dues/payments/",
            {
                "person": "{person}",
                "months": ["2025-03"],
                "amount": "45.00",
                "paid_on": "2025-03-10",
                "channel": "cash",
            },
        ),
        (
            "post",
            "/api/dues/reliefs/",
            {"person": "{person}", "kind": "waive", "start_month": "2025-03", "end_month": "2025-03", "reason": "困难"},
        ),
        ("post", "/api/dues/accounts/{person}/arrangement/", {"pays_quarterly": True, "consented_on": "2025-01-05"}),
        ("get", "/api/dues/ledger/?org={org}&year=2025", None),
        ("get", "/api/dues/ledger.xlsx?org={org}&year=2025", None),
    ],
)
def test_a_branch_secretary_of_another_branch_finds_nothing(tree, as_user, b2_member, method, url, body):
    url = url.format(person=b2_member.pk, org=tree.b2.pk)
    if body is not None:
        body = {k: (b2_member.pk if v == "{person}" else v) for k, v in body.items()}
    answer = (
        getattr(as_user(tree.secretary), method)(url, body, format="json") if body else as_user(tree.secretary).get(url)
    )
    assert answer.status_code == 404
    assert DuesBase.objects.filter(person=b2_member).count() == 1
    assert not Payment.objects.exists()


def test_the_committee_above_sees_both_branches(tree, as_user, b2_member):
    assert as_user(tree.reviewer).get(f"/api/dues/accounts/{b2_member.pk}/?year=2025").status_code == 200
    assert as_user(tree.other_secretary).get(f"/api/dues/accounts/{b2_member.pk}/?year=2025").status_code == 200


def test_a_member_sees_only_their_own_account(tree, as_user, b2_member):
    me = PersonFactory(org=tree.b1, user=UserFactory(username="plain-member"))
    api = as_user(me.user)
    assert api.get(f"/api/dues/accounts/{me.pk}/?year=2025").status_code == 200
    assert api.get(f"/api/dues/accounts/{b2_member.pk}/?year=2025").status_code == 404
    refused = api.post(
        "/api/dues/bases/", {"person": me.pk, "year": 2025, "kind": "salaried", "monthly_base": "100"}, format="json"
    )
    assert refused.status_code == 403
