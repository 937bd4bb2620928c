"""The dues pages: the branch's monthly collection sheet, the member's own dues, relief, ledgers, publication."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from dues.services import propose_relief, publish_annual
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def browser(tree):
    def signed_in(user) -> Client:
        client = Client(HTTP_HOST=f"{tree.county.slug}.localhost", HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return signed_in


def test_the_collection_sheet_shows_who_paid_and_who_owes(tree, browser):
    paid, owing = PersonFactory(org=tree.b1, name="王已交"), PersonFactory(org=tree.g1, name="李未交")
    PersonFactory(org=tree.b2, name="赵外支部")
    for person in (paid, owing):
        DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    pay(paid, [month("2025-03")], actor=tree.treasurer, paid_on=datetime.date(2025, 3, 8))
    page = browser(tree.secretary).get(f"/dues/collection/?org={tree.b1.pk}&month=2025-03")
    assert page.status_code == 200
    rows = {person.name: line.status for person, line in page.context["rows"]}
    assert rows == {"王已交": "paid", "李未交": "overdue"}
    assert "1 paid, 1 still owe." in page.content.decode()
    assert browser(tree.secretary).get(f"/dues/collection/?org={tree.b2.pk}&month=2025-03").status_code == 404


def test_a_member_sees_their_own_dues(tree, browser):
    me = PersonFactory(org=tree.b1, user=UserFactory(username="page-member"))
    DuesBaseFactory(person=me, monthly_base=Decimal("4500.00"))
    pay(me, [month("2025-01")], paid_on=datetime.date(2025, 1, 9))
    page = browser(me.user).get("/me/dues/?year=2025")
    assert page.status_code == 200
    assert [line.status for line in page.context["months"]][:2] == ["paid", "overdue"]
    assert page.context["arrears_months"] == 11
    assert "45.00" in page.content.decode()


def test_the_relief_list_offers_the_decision_to_the_committee_only(tree, browser):
    person = PersonFactory(org=tree.b1)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    relief = propose_relief(
        actor=tree.secretary,
        person=person,
        kind="waive",
        start_month=month("2025-03"),
        end_month=month("2025-04"),
        reason="困难",
    )
    assert [item["decidable"] for item in browser(tree.secretary).get("/dues/reliefs/").context["items"]] == [False]
    committee = browser(tree.reviewer)
    assert [item["decidable"] for item in committee.get("/dues/reliefs/").context["items"]] == [True]
    committee.post(f"/dues/reliefs/{relief.pk}/decide/", {"decision": "approve"})
    relief.refresh_from_db()
    assert relief.status == "approved"


def test_the_ledger_and_publication_pages(tree, browser):
    person = PersonFactory(org=tree.b1, user=UserFactory(username="ledger-member"))
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    pay(person, [month("2025-03")], actor=tree.treasurer, paid_on=datetime.date(2025, 3, 8))
    ledger = browser(tree.secretary).get(f"/dues/ledger/?org={tree.b1.pk}&year=2025")
    assert ledger.status_code == 200
    assert ledger.context["ledger"]["collection_keepers"] == ["treasurer"]
    assert f"/api/dues/ledger.xlsx?org={tree.b1.pk}&amp;year=2025" in ledger.content.decode()
    publish_annual(actor=tree.secretary, org=tree.b1, year=2025, published_on=datetime.date(2025, 12, 30))
    seen = browser(person.user).get("/dues/publication/?year=2025")
    assert [item.org for item in seen.context["publications"]] == [tree.b1]
