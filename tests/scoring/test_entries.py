"""Entries from declaration to final (DOMAIN.md §7): review, approval by level, public notice, objections,
and the results recomputed as entries change."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.exceptions import Conflict, RuleViolation
from scoring.models import Entry, EntryStatus, JointDeduction, Result, Scheme, SchemeVersion
from scoring.services import (
    answer_objection,
    approve_entry,
    close_notices,
    create_scheme,
    declare_entry,
    object_to_entry,
    record_post,
    review_entry,
    set_responsibility,
    start_notice,
    update_scheme,
)

from .conftest import YEAR, day, member, scheme


def _approved(entry, secretary, approver=None, date=None):
    entry = review_entry(actor=secretary, entry=entry, decision="approve", date=date or entry.date)
    return approve_entry(actor=approver or secretary, entry=entry, decision="approve", date=date or entry.date)


def test_a_member_declares_an_entry_and_it_counts_only_once_approved(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    entry = declare_entry(actor=alice.user, person=alice, item="late_dues", date=day(3))
    assert (entry.status, entry.source, entry.approval_level) == ("declared", "member", "general_meeting")
    assert Result.objects.get(person=alice).total == Decimal("12")  # a declared entry does not count yet

    entry = review_entry(actor=secretary, entry=entry, decision="approve", date=day(3, 12))
    assert entry.status == EntryStatus.BRANCH_REVIEWED
    entry = approve_entry(actor=secretary, entry=entry, decision="approve", date=day(3, 20))
    assert entry.status == EntryStatus.APPROVED
    result = Result.objects.get(person=alice, year=YEAR)
    assert result.total == Decimal("10")  # 12 − 2
    assert [d.step for d in entry.decisions.all()] == ["declaration", "branch_review", "approval"]


def test_a_member_cannot_declare_for_someone_else_and_a_branch_cannot_record_outside_its_subtree(
    admin_a, tree, secretary, alice, bob
):
    scheme(admin_a, "twelve_point")
    with pytest.raises(PermissionDenied):
        declare_entry(actor=alice.user, person=bob, item="late_dues", date=day(3))
    with pytest.raises(PermissionDenied):
        declare_entry(actor=secretary, person=bob, item="late_dues", date=day(3))
    recorded = declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3))
    assert recorded.source == "branch"


def test_an_entry_breaking_a_rule_answers_with_the_field_and_writes_nothing(admin_a, tree, secretary, alice):
    scheme(admin_a, "categories_base80")
    cases = [
        ({"item": "bribery"}, "item"),
        ({"item": "complaint"}, "evidence"),  # a verified complaint needs its evidence
        ({"item": "unexcused_absence", "quantity": "1.5"}, "quantity"),  # occurrences are whole
        ({"item": "study_note", "quantity": "0"}, "quantity"),
        ({"item": "study_note", "date": day(1).replace(year=2031)}, "date"),  # in the future
        ({"item": "study_note", "date": day(1).replace(year=2019)}, "date"),  # no scheme for 2019
    ]
    for changes, field in cases:
        arguments = {"item": "study_note", "date": day(2), "quantity": 1, **changes}
        with pytest.raises(RuleViolation) as caught:
            declare_entry(actor=secretary, person=alice, **arguments)
        assert field in caught.value.errors, changes
    assert not Entry.objects.exists()


def test_rejection_needs_a_reason_and_a_decided_entry_cannot_be_decided_again(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    entry = declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3))
    with pytest.raises(RuleViolation):
        review_entry(actor=secretary, entry=entry, decision="reject", date=day(3))
    review_entry(actor=secretary, entry=entry, decision="reject", date=day(3), comment="paid on time after all")
    with pytest.raises(Conflict):
        review_entry(actor=secretary, entry=entry, decision="approve", date=day(3))
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.REJECTED


def test_deductions_up_to_3_points_go_to_the_committee_secretary_larger_ones_to_the_committee_meeting(
    admin_a, tree, secretary, reviewer, alice
):
    scheme(admin_a, "deduction_base100")
    small = declare_entry(actor=secretary, person=alice, item="duty_neglect", date=day(2))  # 3 points
    large = declare_entry(actor=secretary, person=alice, item="discipline_breach", date=day(2), evidence=["case 7"])  # 5
    assert small.approval_level == "committee_secretary"
    assert large.approval_level == "committee_meeting"
    small = review_entry(actor=secretary, entry=small, decision="approve", date=day(2))
    with pytest.raises(PermissionDenied):  # the branch cannot approve what the committee must
        approve_entry(actor=secretary, entry=small, decision="approve", date=day(2))
    approve_entry(actor=reviewer, entry=small, decision="approve", date=day(2, 15))
    assert Result.objects.get(person=alice).total == Decimal("97")


def test_public_notice_objection_upheld_rejects_the_entry_and_recomputes(admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    colleague = member(tree.branch)
    entry = _approved(declare_entry(actor=secretary, person=alice, item="bad_influence", date=day(4), evidence=["minutes 4/2025"]), secretary)
    assert Result.objects.get(person=alice).total == Decimal("9")
    assert start_notice(actor=secretary, org=tree.branch, date=day(4, 21)) == 1  # a Monday
    entry.refresh_from_db()
    assert entry.notice_ends_on == day(4, 25)  # 5 working days: Monday 21 to Friday 25 April 2025

    with pytest.raises(RuleViolation):
        object_to_entry(actor=alice.user, entry=entry, text="too late", date=day(4, 28))
    objection = object_to_entry(actor=colleague.user, entry=entry, text="she was on sick leave", date=day(4, 23))
    assert close_notices(as_of=day(4, 28)) == 0  # an open objection holds the entry
    answer_objection(actor=secretary, objection=objection, upheld=True, answer="sick leave confirmed", date=day(4, 24))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REJECTED
    assert Result.objects.get(person=alice).total == Decimal("12")


def test_a_notice_without_objections_becomes_final(admin_a, tree, secretary, alice, bob):
    scheme(admin_a, "twelve_point")
    entry = _approved(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(4)), secretary)
    start_notice(actor=secretary, org=tree.branch, date=day(4, 21))
    with pytest.raises(PermissionDenied):  # a member of another branch does not see this notice
        object_to_entry(actor=bob.user, entry=entry, text="?", date=day(4, 22))
    assert close_notices(as_of=day(4, 25)) == 0  # the notice's last day
    assert close_notices(as_of=day(4, 26)) == 1
    entry.refresh_from_db()
    assert entry.status == EntryStatus.FINAL
    assert Result.objects.get(person=alice).total == Decimal("10")


def test_joint_liability_lowers_the_branch_secretary_and_the_leaders_results(
    admin_a, tree, secretary, secretary_person, reviewer, alice
):
    scheme(admin_a, "deduction_base100")
    supervisor = member(tree.committee, with_user=False, name="分管领导")
    liaison = member(tree.committee, with_user=False, name="联系点领导")
    set_responsibility(actor=admin_a, org=tree.committee, role="supervising_leader", person=supervisor)
    set_responsibility(actor=admin_a, org=tree.branch, role="liaison_leader", person=liaison)
    record_post(actor=secretary, person=alice, title="村委会主任", kind="administrative", started_on=day(1, 1))

    first = declare_entry(actor=secretary, person=alice, item="discipline_breach", date=day(2), evidence=["case 12"])
    _approved(first, secretary, reviewer)
    second = declare_entry(actor=secretary, person=alice, item="discipline_breach", date=day(5), evidence=["case 31"])
    _approved(second, secretary, reviewer)

    totals = dict(Result.objects.filter(year=YEAR).values_list("person_id", "total"))
    assert totals[alice.pk] == Decimal("87.90")  # 100 − 5 × 1.1 − 5 × 1.2 × 1.1
    assert totals[secretary_person.pk] == Decimal("98.79")  # 100 − (5.5 + 6.6) × 10%
    assert totals[supervisor.pk] == Decimal("97.58")  # 100 − 12.1 × 20%
    assert totals[liaison.pk] == Decimal("98.79")  # 100 − 12.1 × 10%
    assert JointDeduction.objects.filter(entry__person=alice).count() == 6

    objection = object_to_entry(
        actor=alice.user, entry=_noticed(second, secretary, tree), text="the same case twice", date=day(6, 3)
    )
    answer_objection(actor=secretary, objection=objection, upheld=True, answer="duplicate", date=day(6, 4))
    totals = dict(Result.objects.filter(year=YEAR).values_list("person_id", "total"))
    assert totals[alice.pk] == Decimal("94.50")  # 100 − 5.5
    assert totals[secretary_person.pk] == Decimal("99.45")  # 100 − 0.55
    assert totals[supervisor.pk] == Decimal("98.90")  # 100 − 1.1


def _noticed(entry, secretary, tree):
    start_notice(actor=secretary, org=tree.branch, date=day(6, 2))
    entry.refresh_from_db()
    return entry


def test_editing_a_scheme_keeps_the_version_before_and_recomputes(admin_a, tree, secretary, alice):
    twelve = scheme(admin_a, "twelve_point")
    _approved(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3)), secretary)
    config = dict(twelve.config)
    config["items"] = [dict(item, points="3") if item["code"] == "late_dues" else item for item in config["items"]]
    update_scheme(actor=admin_a, scheme=twelve, config=config, note="late dues cost 3")
    assert Result.objects.get(person=alice).total == Decimal("9")
    assert list(SchemeVersion.objects.filter(scheme=twelve).values_list("version", flat=True)) == [1, 2]
    assert Result.objects.get(person=alice).scheme_version == 2

    config["items"] = [item for item in config["items"] if item["code"] != "late_dues"]
    with pytest.raises(RuleViolation):
        update_scheme(actor=admin_a, scheme=twelve, config=config)
    with pytest.raises(PermissionDenied):
        update_scheme(actor=secretary, scheme=twelve, name="mine")
    assert Scheme.objects.get(pk=twelve.pk).version == 2


def test_a_category_scheme_applies_to_its_category_and_the_general_one_to_the_rest(admin_a, tree, secretary):
    scheme(admin_a, "twelve_point")
    scheme(admin_a, "weighted_80_20", category="on_the_job")
    worker = member(tree.branch, category="on_the_job")
    villager = member(tree.branch, category="village")
    _approved(declare_entry(actor=secretary, person=worker, item="volunteer_post", date=day(3)), secretary)
    _approved(declare_entry(actor=secretary, person=villager, item="late_dues", date=day(3)), secretary)
    assert Result.objects.get(person=worker).total == Decimal("20")
    assert Result.objects.get(person=villager).total == Decimal("10")
    with pytest.raises(RuleViolation):
        declare_entry(actor=secretary, person=worker, item="late_dues", date=day(3))



def test_one_star_two_years_running_reads_last_years_band_as_stored(admin_a, tree, secretary, alice):
    # 五(三): 连续2年评为一星级党员的纳入后进党员进行帮扶
    for year in (YEAR - 1, YEAR):
        create_scheme(actor=admin_a, year=year, name=f"{year}", preset="monthly_60_40")
        for month in range(1, 13):  # performance 40 a month: (12 × 40) ÷ 12 = 40
            _approved(declare_entry(actor=secretary, person=alice, item="performance_rating", date=datetime.date(year, month, 28), quantity=40), secretary)
        _approved(declare_entry(actor=secretary, person=alice, item="bonus", date=datetime.date(year, 12, 28), quantity=20, evidence=["表彰文件"]), secretary)
    last_year, this_year = (Result.objects.get(person=alice, year=year) for year in (YEAR - 1, YEAR))
    assert (last_year.total, last_year.grade) == (Decimal("60"), "stars_1")  # 40 + 20: 60-70分为一星级
    assert [c["code"] for c in last_year.consequences] == ["one_star_talk"]
    assert (this_year.total, this_year.grade) == (Decimal("60"), "stars_1")
    assert [c["code"] for c in this_year.consequences] == ["one_star_talk", "one_star_two_years"]
    assert this_year.consequences[1]["kind"] == "lagging_member_support"
