"""The 2008 rates (2008 regulation 第二条 and the retirees' column): one rate on the whole base, bands read
以下（含） / 以上, the 1,000 yuan cap, the fixed amounts, and rounding to the fen half up."""

import datetime
from decimal import Decimal

import pytest

from dues.models import RateBand, RateTable
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory

EMPLOYED_BAND_EDGES = [
    ("3000.00", "15.00"),  # 3000元以下（含3000元）: 0.5%
    ("3000.01", "30.00"),  # 3000元以上: 1% on the whole base (30.0001 → 30.00)
    ("5000.00", "50.00"),  # 至5000元（含）: still 1%
    ("5000.01", "75.00"),  # 5000元以上: 1.5% (75.00015 → 75.00)
    ("10000.00", "150.00"),  # 至10000元（含）: still 1.5%
    ("10000.01", "200.00"),  # 10000元以上: 2% (200.0002 → 200.00)
]


@pytest.mark.parametrize(("base", "expected"), EMPLOYED_BAND_EDGES)
def test_employed_band_edges_belong_to_the_lower_band_and_the_whole_base_takes_one_rate(tree, base, expected):
    dues = DuesBaseFactory(person=PersonFactory(org=tree.b1), monthly_base=Decimal(base))
    assert dues.monthly_amount == Decimal(expected)


@pytest.mark.parametrize(
    ("base", "expected"),
    [("5000.00", "25.00"), ("5000.01", "50.00"), ("12000.00", "120.00")],
)
def test_retirees_pay_half_a_percent_up_to_5000_inclusive_and_one_percent_above(tree, base, expected):
    dues = DuesBaseFactory(person=PersonFactory(org=tree.b1), kind="retired", monthly_base=Decimal(base))
    assert dues.monthly_amount == Decimal(expected)


def test_monthly_dues_are_capped_at_1000_yuan(tree):
    capped = DuesBaseFactory(person=PersonFactory(org=tree.b1), monthly_base=Decimal("80000.00"))
    at_cap = DuesBaseFactory(person=PersonFactory(org=tree.b1), monthly_base=Decimal("50000.00"))
    assert (capped.monthly_amount, capped.capped) == (Decimal("1000.00"), True)
    assert (at_cap.monthly_amount, at_cap.capped) == (Decimal("1000.00"), False)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("3002.50", "30.03"),  # 30.025: half up gives 30.03 where banker's rounding would give 30.02
        ("1001.00", "5.01"),  # 5.005 → 5.01
        ("1000.99", "5.00"),  # 5.00495 → 5.00
        ("6666.67", "100.00"),  # 100.00005 → 100.00
    ],
)
def test_amounts_round_to_the_fen_half_up(tree, base, expected):
    assert DuesBaseFactory(person=PersonFactory(org=tree.b1), monthly_base=Decimal(base)).monthly_amount == Decimal(
        expected
    )


@pytest.mark.parametrize("category", ["student", "unemployed", "relief_recipient"])
def test_students_the_unemployed_and_relief_recipients_pay_twenty_fen(tree, category):
    dues = DuesBaseFactory(person=PersonFactory(org=tree.b1), kind="fixed", monthly_base=None, fixed_category=category)
    assert dues.monthly_amount == Decimal("0.20")


def test_farmers_pay_what_the_branch_sets_between_twenty_fen_and_one_yuan(tree, as_user):
    api = as_user(tree.secretary)
    farmer = PersonFactory(org=tree.b1)
    answer = api.post(
        "/api/dues/bases/",
        {"person": farmer.pk, "year": 2025, "kind": "fixed", "fixed_category": "farmer", "monthly_amount": "0.50"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["monthly_amount"] == "0.50"
    for outside in ("0.10", "1.01"):
        refused = api.post(
            "/api/dues/bases/",
            {
                "person": PersonFactory(org=tree.b1).pk,
                "year": 2025,
                "kind": "fixed",
                "fixed_category": "farmer",
                "monthly_amount": outside,
            },
            format="json",
        )
        assert refused.status_code == 400
        assert "monthly_amount" in refused.json()["errors"]


def test_farmers_default_to_the_county_setting_in_force(tree, as_user):
    person = PersonFactory(org=tree.b1)
    assert DuesBaseFactory(
        person=person, year=2024, kind="fixed", monthly_base=None, fixed_category="farmer"
    ).monthly_amount == Decimal("0.20")
    answer = as_user(tree.admin).post(
        "/api/dues/settings/farmer-default/",
        {"effective_from": "2025-01-01", "farmer_monthly_amount": "1.00"},
        format="json",
    )
    assert answer.status_code == 201
    later = DuesBaseFactory(person=person, year=2025, kind="fixed", monthly_base=None, fixed_category="farmer")
    assert later.monthly_amount == Decimal("1.00")
    assert (
        as_user(tree.secretary)
        .post(
            "/api/dues/settings/farmer-default/",
            {"effective_from": "2026-01-01", "farmer_monthly_amount": "0.50"},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_rates_endpoint_shows_the_2008_table_in_force(tree, as_user):
    answer = as_user(tree.secretary).get("/api/dues/rates/")
    assert answer.status_code == 200
    table = answer.json()
    assert table["effective_from"] == "2008-04-01"
    assert table["monthly_cap"] == "1000.00"
    assert table["employed"] == [
        {"over": None, "up_to": "3000.00", "rate": "0.0050"},
        {"over": "3000.00", "up_to": "5000.00", "rate": "0.0100"},
        {"over": "5000.00", "up_to": "10000.00", "rate": "0.0150"},
        {"over": "10000.00", "up_to": None, "rate": "0.0200"},
    ]
    assert table["retired"] == [
        {"over": None, "up_to": "5000.00", "rate": "0.0050"},
        {"over": "5000.00", "up_to": None, "rate": "0.0100"},
    ]
    assert as_user(tree.secretary).get("/api/dues/rates/?date=2008-03-31").status_code == 404


def test_a_later_rate_table_applies_from_its_effective_date_and_past_years_keep_theirs(tree, as_user):
    newer = RateTable.objects.create(
        name="假设的新标准",
        effective_from=datetime.date(2026, 1, 1),
        monthly_cap=Decimal("1000.00"),
        farmer_min=Decimal("0.20"),
        farmer_max=Decimal("1.00"),
        low_income_amount=Decimal("0.20"),
    )
    RateBand.objects.create(table=newer, column="employed", above=None, up_to=None, rate=Decimal("0.0100"))
    person = PersonFactory(org=tree.b1)
    assert DuesBaseFactory(person=person, year=2025, monthly_base=Decimal("2000.00")).monthly_amount == Decimal("10.00")
    assert DuesBaseFactory(person=person, year=2026, monthly_base=Decimal("2000.00")).monthly_amount == Decimal("20.00")
    assert as_user(tree.secretary).get("/api/dues/rates/?date=2025-12-31").json()["name"] != "假设的新标准"
