"""Remittance and the ledgers: quarterly remittance upward (late past 6 months), the collection ledger and
the use ledger kept by different people (管记分离), the Excel export, the annual publication to members,
and the centre's 5% share settled by the end of April."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from dues.models import LedgerRecording
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory, UserFactory


def collect(tree, collector):
    """Two members of B1 pay January to March 2025 through `collector`: 2 × 3 × 45.00 = 270.00."""
    people = []
    for _ in range(2):
        person = PersonFactory(org=tree.b1)
        DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
        pay(
            person,
            [month("2025-01"), month("2025-02"), month("2025-03")],
            actor=collector,
            paid_on=datetime.date(2025, 3, 20),
        )
        people.append(person)
    return people


def test_one_user_does_not_keep_both_ledgers_of_a_branch_in_a_year(tree, as_user):
    collect(tree, tree.treasurer)
    refused = as_user(tree.treasurer).post(
        "/api/dues/uses/",
        {"org": tree.b1.pk, "date": "2025-06-01", "amount": "100.00", "purpose": "订购党员教育读物"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["non_field_errors"] == [refused.json()["detail"]]
    kept_apart = as_user(tree.secretary).post(
        "/api/dues/uses/",
        {"org": tree.b1.pk, "date": "2025-06-01", "amount": "100.00", "purpose": "订购党员教育读物"},
        format="json",
    )
    assert kept_apart.status_code == 201
    member = PersonFactory(org=tree.b1)
    DuesBaseFactory(person=member, monthly_base=Decimal("2000.00"))
    by_use_keeper = as_user(tree.secretary).post(
        "/api/dues/payments/",
        {"person": member.pk, "months": ["2025-06"], "amount": "10.00", "paid_on": "2025-06-10", "channel": "cash"},
        format="json",
    )
    assert by_use_keeper.status_code == 400
    assert set(LedgerRecording.objects.filter(org=tree.b1, year=2025).values_list("user__username", "ledger")) == {
        ("treasurer", "collection"),
        ("secretary", "use"),
    }
    next_year = as_user(tree.treasurer).post(
        "/api/dues/uses/",
        {"org": tree.b1.pk, "date": "2026-01-05", "amount": "10.00", "purpose": "慰问"},
        format="json",
    )
    assert next_year.status_code == 201


def test_a_quarters_remittance_is_recorded_once_and_marked_late_past_six_months(tree, as_user):
    collect(tree, tree.treasurer)
    api = as_user(tree.treasurer)
    on_time = api.post(
        "/api/dues/remittances/",
        {"org": tree.b1.pk, "year": 2025, "quarter": 1, "amount": "270.00", "remitted_on": "2025-04-10"},
        format="json",
    )
    assert on_time.status_code == 201
    assert (on_time.json()["deadline"], on_time.json()["late"], on_time.json()["to_org"]) == (
        "2025-06-30",
        False,
        tree.t1.pk,
    )
    again = api.post(
        "/api/dues/remittances/",
        {"org": tree.b1.pk, "year": 2025, "quarter": 1, "amount": "270.00", "remitted_on": "2025-04-11"},
        format="json",
    )
    assert again.status_code == 409
    late = api.post(
        "/api/dues/remittances/",
        {"org": tree.b1.pk, "year": 2025, "quarter": 2, "amount": "1.00", "remitted_on": "2025-10-01"},
        format="json",
    )
    assert (late.json()["deadline"], late.json()["late"]) == ("2025-09-30", True)
    from_a_committee = as_user(tree.admin).post(
        "/api/dues/remittances/",
        {"org": tree.t1.pk, "year": 2025, "quarter": 1, "amount": "1.00", "remitted_on": "2025-04-10"},
        format="json",
    )
    assert from_a_committee.status_code == 400
    outside_scope = api.post(
        "/api/dues/remittances/",
        {"org": tree.b2.pk, "year": 2025, "quarter": 1, "amount": "1.00", "remitted_on": "2025-04-10"},
        format="json",
    )
    assert outside_scope.status_code == 404


def test_the_ledger_shows_both_ledgers_and_their_keepers(tree, as_user):
    collect(tree, tree.treasurer)
    as_user(tree.secretary).post(
        "/api/dues/uses/",
        {"org": tree.b1.pk, "date": "2025-06-01", "amount": "100.00", "purpose": "订购党员教育读物"},
        format="json",
    )
    ledger = as_user(tree.reviewer).get(f"/api/dues/ledger/?org={tree.b1.pk}&year=2025").json()
    assert ledger["collection"]["collected"] == "270.00"
    assert len(ledger["collection"]["payments"]) == 2
    assert ledger["collection"]["keepers"] == ["treasurer"]
    assert (ledger["use"]["used"], ledger["use"]["keepers"]) == ("100.00", ["secretary"])
    assert ledger["balance"] == "170.00"


def test_the_ledger_exports_to_excel_with_chinese_headers_and_the_exporter(tree, as_user):
    collect(tree, tree.treasurer)
    answer = as_user(tree.reviewer).get(f"/api/dues/ledger.xlsx?org={tree.b1.pk}&year=2025")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(answer.content))
    assert workbook.sheetnames == ["收缴台账", "使用台账"]
    rows = list(workbook["收缴台账"].iter_rows(values_only=True))
    assert rows[2][:2] == ("导出人", "reviewer")
    assert rows[4][:4] == ("交纳日期", "姓名", "所属月份", "应交党费")
    assert rows[5][2] == "2025-01、2025-02、2025-03"
    assert Decimal(str(rows[5][3])) == Decimal("135.00")


def test_the_annual_publication_is_made_once_and_shown_to_the_branchs_members(tree, as_user):
    people = collect(tree, tree.treasurer)
    published = as_user(tree.secretary).post(
        "/api/dues/publications/", {"org": tree.b1.pk, "year": 2025, "published_on": "2025-12-28"}, format="json"
    )
    assert published.status_code == 201
    assert (
        published.json()["collected"],
        published.json()["members_owing"],
        published.json()["members_paid_in_full"],
    ) == (
        "270.00",
        2,
        0,
    )
    assert (
        as_user(tree.secretary)
        .post("/api/dues/publications/", {"org": tree.b1.pk, "year": 2025, "published_on": "2025-12-29"}, format="json")
        .status_code
        == 409
    )
    people[0].user = UserFactory(username="b1-member")
    people[0].save()
    seen = as_user(people[0].user).get("/api/dues/publications/?year=2025").json()
    assert [p["org"] for p in seen["results"]] == [tree.b1.pk]
    outsider = PersonFactory(org=tree.b3, user=UserFactory(username="b3-member"))
    assert as_user(outsider.user).get("/api/dues/publications/?year=2025").json()["count"] == 0


def test_the_centres_share_is_five_percent_plus_large_voluntary_payments_settled_by_april(tree, as_user):
    collect(tree, tree.treasurer)
    member = PersonFactory(org=tree.b1)
    DuesBaseFactory(person=member, monthly_base=Decimal("4500.00"))
    pay(
        member,
        [month("2025-05")],
        actor=tree.treasurer,
        voluntary_extra=Decimal("2000.00"),
        paid_on=datetime.date(2025, 5, 6),
    )
    api = as_user(tree.admin)
    share = api.get("/api/dues/centre-share/?year=2025").json()
    assert share["collected"] == "315.00"  # 270.00 + 45.00; the 2,000 large voluntary payment goes whole
    assert (share["share"], share["large_voluntary"], share["total"], share["deadline"]) == (
        "15.75",
        "2000.00",
        "2015.75",
        "2026-04-30",
    )
    wrong = api.post(
        "/api/dues/centre-share/", {"year": 2025, "amount": "2000.00", "settled_on": "2026-04-01"}, format="json"
    )
    assert wrong.status_code == 400
    settled = api.post(
        "/api/dues/centre-share/", {"year": 2025, "amount": "2015.75", "settled_on": "2026-04-01"}, format="json"
    )
    assert settled.status_code == 201
    assert settled.json()["late"] is False
    assert as_user(tree.secretary).get("/api/dues/centre-share/?year=2025").status_code == 403
