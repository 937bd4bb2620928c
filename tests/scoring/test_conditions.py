"""Vetoes and items fed by other modules, from those modules' own records (DOMAIN.md §7: "entries fed by
other modules arrive as proposed entries with their source"): dues arrears computed from the dues
books, lost contact as the mobile member register flags it (and any reader of the named condition),
disciplinary sanctions recorded with the disposition module, care visits for elderly members."""

import datetime
from decimal import Decimal

import pytest

from dues.services import compute_arrears
from members.models import Category, Status
from members.statuses import set_status
from orgs.life.care import add_care_recipient, record_care_visit, record_community_service, register_with_community
from scoring.feeds import FEEDS, LOST_CONTACT_3_MONTHS, Fact, register_condition, unregister_condition
from scoring.models import Entry, EntryStatus, Result
from scoring.services import approve_entry, review_entry, run_feeds
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import make_id_number
from workflows.services.sanctions import record_sanction

from .conftest import YEAR, day, member, scheme


def _approve(entry: Entry, secretary) -> Result:
    review_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    approve_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    return Result.objects.get(person=entry.person, year=YEAR)


def test_dues_unpaid_more_than_3_months_in_the_dues_books_zeroes_a_red_yellow_year(admin_a, tree, secretary, alice):
    scheme(admin_a, "red_yellow")
    three_months = member(tree.branch)
    for person in (alice, three_months):
        DuesBaseFactory(person=person, year=YEAR, monthly_base=Decimal("4500.00"))
    pay(alice, [month(f"{YEAR}-01")], paid_on=day(1, 20))  # February to June unpaid: 5 months
    pay(three_months, [month(f"{YEAR}-{m:02d}") for m in (1, 2, 3)], paid_on=day(3, 20))  # April to June: 3
    compute_arrears(as_of=day(7, 1))

    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(7, 2)) == 1  # 超过3个月: 3 months is not more than 3
    entry = Entry.objects.get(item="dues_unpaid_over_3_months")
    assert (entry.person_id, entry.source, entry.status, entry.date) == (
        alice.pk, "dues_arrears", EntryStatus.DECLARED, day(7, 1)
    )
    result = _approve(entry, secretary)
    assert (result.total, result.grade, result.vetoed_by) == (Decimal("0"), "class_4", "dues_unpaid_over_3_months")


@pytest.fixture
def lost_contact_readers():
    added = []

    def register(reader):
        register_condition(LOST_CONTACT_3_MONTHS, reader)
        added.append(reader)

    yield register
    for reader in added:
        unregister_condition(LOST_CONTACT_3_MONTHS, reader)


def test_lost_contact_3_months_is_the_status_the_mobile_register_sets_dated_the_day_the_3_months_were_reached(
    admin_a, tree, secretary, alice, bob, lost_contact_readers
):
    scheme(admin_a, "red_yellow")
    # The mobile member register flags a member on the day 3 months without contact are reached.
    set_status(actor=secretary, person=alice, status=Status.LOST_CONTACT, on=day(2, 20), reason="3个月未取得联系")
    flagged_last_year = member(tree.branch)
    set_status(
        actor=secretary, person=flagged_last_year, status=Status.LOST_CONTACT, on=datetime.date(YEAR - 1, 11, 5), reason="失联"
    )
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(4, 1)) == 2
    dates = {entry.person_id: entry.date for entry in Entry.objects.filter(item="lost_contact_3_months")}
    # Still out of contact this year: the veto applies from the year's first day.
    assert dates == {alice.pk: day(2, 20), flagged_last_year.pk: datetime.date(YEAR, 1, 1)}
    assert {entry.source for entry in Entry.objects.all()} == {"lost_contact"}

    # A module answering the named condition from its contact records adds members not flagged yet,
    # and the earliest day any reader gives is the day of the veto.
    def contact_records(year, as_of):
        yield Fact(alice.pk, day(1, 31), "no contact since 31 October")
        yield Fact(bob.pk, day(3, 15), "no contact since 15 December")

    lost_contact_readers(contact_records)
    proposals = {p.person_id: p.date for p in FEEDS["lost_contact"].propose(YEAR, day(4, 1))}
    assert proposals == {alice.pk: day(1, 31), bob.pk: day(3, 15), flagged_last_year.pk: datetime.date(YEAR, 1, 1)}
    # Facts after the day asked about, or of another year, are not facts yet.
    assert bob.pk not in {p.person_id for p in FEEDS["lost_contact"].propose(YEAR, day(3, 14))}
    with pytest.raises(ValueError):
        register_condition("lost_contact_one_month", contact_records)


def test_a_heavy_sanction_recorded_with_the_disposition_module_zeroes_a_categories_base80_year(
    admin_a, tree, secretary, reviewer, alice, bob
):
    scheme(admin_a, "categories_base80")
    record_sanction(
        actor=reviewer, person=alice, kind="party_probation", reference="纪字〔2025〕3号", decided_on=day(6, 1),
        decided_by="县纪委", probation_months=12,
    )
    warned = member(tree.branch)
    record_sanction(
        actor=reviewer, person=warned, kind="serious_warning", reference="纪字〔2025〕4号", decided_on=day(6, 2),
        decided_by="县纪委",
    )
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(6, 30)) == 2
    heavy = Entry.objects.get(person=alice)
    assert (heavy.item, heavy.source, heavy.date) == ("heavy_sanction", "heavy_sanction", day(6, 1))
    result = _approve(heavy, secretary)
    assert (result.total, result.vetoed_by) == (Decimal("0"), "heavy_sanction")  # 留党察看以上的，全年记0分

    minor = Entry.objects.get(person=warned)
    assert (minor.item, minor.source) == ("minor_sanction", "minor_sanction")
    assert _approve(minor, secretary).components["deductions"] == "-10.00"  # 受留党察看以下处分的扣10分
    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(7, 1)) == 0


def test_care_visits_feed_the_elderly_members_keep_in_touch_indicator(admin_a, tree, secretary):
    scheme(admin_a, "weighted_80_20", category=Category.ELDERLY)
    elderly = member(tree.branch, category=Category.ELDERLY, id_number=make_id_number(datetime.date(1950, 3, 2)))
    care = add_care_recipient(actor=secretary, person=elderly, reason="elderly_sick", since=day(1, 5))
    record_care_visit(actor=secretary, recipient=care, date=day(3, 8), visitors="支部书记、组织委员", support="送学习资料")

    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(4, 1)) == 1
    entry = Entry.objects.get(person=elderly)
    assert (entry.item, entry.source, entry.date, entry.quantity) == ("keep_in_touch", "care_visits", day(3, 8), 1)
    result = _approve(entry, secretary)
    assert result.components["indicators"] == "40.00"  # visited once: the target of 1, worth 40


def test_services_in_the_residential_community_feed_the_on_the_job_members_volunteer_indicator(admin_a, tree, secretary):
    scheme(admin_a, "weighted_80_20", category=Category.ON_THE_JOB)
    on_the_job = member(tree.branch, category=Category.ON_THE_JOB)
    registration = register_with_community(
        actor=secretary, person=on_the_job, community=tree.other_branch, registered_on=day(1, 10), card_number="BD-001"
    )
    for date in (day(3, 5), day(6, 12)):
        record_community_service(actor=secretary, registration=registration, date=date, activity="社区环境整治", hours=Decimal(2))

    assert run_feeds(actor=admin_a, year=YEAR, as_of=day(7, 1)) == 2
    entries = list(Entry.objects.filter(person=on_the_job).order_by("date"))
    assert [(entry.item, entry.source, entry.date) for entry in entries] == [
        ("volunteer", "community_services", day(3, 5)),
        ("volunteer", "community_services", day(6, 12)),
    ]
    for entry in entries:
        result = _approve(entry, secretary)
    assert result.components["indicators"] == "20.00"  # 参加社区志愿服务活动不少于2次: the target of 2, worth 20
