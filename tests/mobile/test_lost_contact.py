"""Lost contact (DOMAIN.md §5): 3 months flags, 6 months proposes suspension, 2 years proposes removal.

The checks run daily from Celery beat (members.tasks.check_mobile_contacts); a person decides on each proposal.
"""

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta

from config.celery import app
from core.dates import today
from core.exceptions import RuleViolation
from members.mobile.checks import check_mobile_members
from members.mobile.services import record_contact, record_report, suspend_for_lost_contact
from members.models import MobileContact, Status
from members.statuses import status_since
from members.tasks import check_mobile_contacts
from scoring.feeds import FEEDS
from workflows.models import DispositionProposal
from workflows.services.disposition_proposals import open_proposals

from .conftest import months_ago


def status_of(person) -> str:
    person.refresh_from_db()
    return person.status


def proposed(grounds: str) -> dict:
    return {proposal.person_id: proposal for proposal in open_proposals().filter(grounds=grounds)}


def contact(tree, registration, day):
    return record_contact(actor=tree.secretary, registration=registration, date=day, channel="phone", note="电话联系")


def test_no_contact_for_3_months_flags_lost_contact(tree, away):
    lost = away(person=tree.member, left_on=months_ago(5))
    contact(tree, lost, months_ago(3, days=1))
    reached = away(person=tree.b1_members[1], left_on=months_ago(5))
    contact(tree, reached, months_ago(2, days=25))

    result = check_mobile_members()

    assert result["flagged_lost_contact"] == 1
    assert status_of(tree.member) == Status.LOST_CONTACT
    # Flagged from the day the 3 months were up, not the day the check ran.
    assert status_since(tree.member) == months_ago(3, days=1) + relativedelta(months=3)
    assert status_of(tree.b1_members[1]) == Status.MOBILE


def test_3_months_from_the_day_of_leaving_when_never_contacted(tree, away):
    away(left_on=months_ago(3))
    check_mobile_members()
    assert status_of(tree.member) == Status.LOST_CONTACT


def test_a_report_from_the_member_counts_as_contact(tree, away):
    registration = away(left_on=months_ago(5))
    record_report(
        actor=tree.member.user, registration=registration, date=months_ago(1), text="在杭州参加流入地党组织活动"
    )
    check_mobile_members()
    assert status_of(tree.member) == Status.MOBILE


def test_lost_contact_6_months_proposes_suspension(tree, away):
    registration = away(left_on=months_ago(10))
    contact(tree, registration, months_ago(6))
    check_mobile_members()
    assert status_of(tree.member) == Status.LOST_CONTACT
    found = proposed("lost_contact_6m")
    assert set(found) == {tree.member.pk}
    assert found[tree.member.pk].since == months_ago(6)
    assert found[tree.member.pk].evidence["months"] == 6
    assert tree.member.pk not in proposed("lost_contact_2y")
    # A proposal, not a decision: the status stays lost contact until the committee decides.
    assert status_of(tree.member) == Status.LOST_CONTACT


def test_lost_contact_under_6_months_proposes_nothing_yet(tree, away):
    registration = away(left_on=months_ago(10))
    contact(tree, registration, months_ago(5, days=20))
    check_mobile_members()
    assert status_of(tree.member) == Status.LOST_CONTACT
    assert tree.member.pk not in proposed("lost_contact_6m")


def test_lost_contact_2_years_proposes_removal(tree, away):
    away(left_on=months_ago(25))
    check_mobile_members()
    assert set(proposed("lost_contact_2y")) == {tree.member.pk}
    assert tree.member.pk not in proposed("lost_contact_6m")


def test_a_member_suspended_for_lost_contact_is_proposed_for_removal_after_2_years(tree, away):
    registration = away(left_on=months_ago(25))
    check_mobile_members(on=months_ago(2))
    assert set(proposed("lost_contact_6m")) == {tree.member.pk}
    suspend_for_lost_contact(
        actor=tree.reviewer, registration=registration, on=months_ago(2), reason="党委会研究决定停止党籍"
    )
    assert status_of(tree.member) == Status.SUSPENDED
    check_mobile_members()
    found = proposed("lost_contact_2y")
    assert set(found) == {tree.member.pk}
    assert found[tree.member.pk].since == registration.left_on
    assert tree.member.pk not in proposed("lost_contact_6m")


def test_suspension_is_decided_only_after_6_months_of_lost_contact_and_by_the_committee(tree, away):
    registration = away(left_on=months_ago(5))
    check_mobile_members()
    assert status_of(tree.member) == Status.LOST_CONTACT
    with pytest.raises(RuleViolation) as refused:
        suspend_for_lost_contact(actor=tree.reviewer, registration=registration, on=today(), reason="停止党籍")
    assert "date" in refused.value.errors
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        suspend_for_lost_contact(actor=tree.secretary, registration=registration, on=today(), reason="停止党籍")
    with pytest.raises(PermissionDenied):
        suspend_for_lost_contact(actor=tree.reviewer_t2, registration=registration, on=today(), reason="停止党籍")


def test_the_beat_job_is_idempotent(tree, away):
    away(person=tree.member, left_on=months_ago(8))
    away(person=tree.b1_members[1], left_on=months_ago(26))
    away(person=tree.b1_members[2], left_on=months_ago(1))

    first = check_mobile_contacts.apply().get()
    statuses = {p.pk: status_of(p) for p in (tree.member, tree.b1_members[1], tree.b1_members[2])}
    proposals = sorted(DispositionProposal.objects.values_list("person_id", "grounds", "since"))
    audit_entries = LogEntry.objects.count()

    second = check_mobile_contacts.apply().get()

    assert first["county"] == second["county"] == tree.county.schema_name
    assert first["flagged_lost_contact"] == 2 and first["proposals_created"] == 2
    assert second["flagged_lost_contact"] == 0 and second["proposals_created"] == 0
    assert {p.pk: status_of(p) for p in (tree.member, tree.b1_members[1], tree.b1_members[2])} == statuses
    assert sorted(DispositionProposal.objects.values_list("person_id", "grounds", "since")) == proposals
    assert LogEntry.objects.count() == audit_entries
    assert proposals == sorted(
        [
            (tree.member.pk, "lost_contact_6m", months_ago(8)),
            (tree.b1_members[1].pk, "lost_contact_2y", months_ago(26)),
        ]
    )


def test_the_beat_schedule_runs_the_check_in_every_county():
    entry = app.conf.beat_schedule["mobile-member-contacts"]
    assert entry["task"] == "config.run_in_every_county"
    assert entry["args"] == ("members.tasks.check_mobile_contacts",)


def test_a_contact_regained_makes_the_member_mobile_again(tree, away):
    registration = away(left_on=months_ago(5))
    check_mobile_members()
    assert status_of(tree.member) == Status.LOST_CONTACT
    contact(tree, registration, today())
    assert status_of(tree.member) == Status.MOBILE
    # A contact recorded late, from before the flag, does not make the member reachable now.
    other = away(person=tree.b1_members[1], left_on=months_ago(9))
    check_mobile_members()
    contact(tree, other, months_ago(5))
    assert status_of(tree.b1_members[1]) == Status.LOST_CONTACT
    assert MobileContact.objects.filter(registration=other).count() == 1


def test_lost_contact_3_months_feeds_the_scoring_veto(tree, away):
    away(left_on=months_ago(4))
    feed = FEEDS["lost_contact"]
    assert tree.member.pk not in {p.person_id for p in feed.propose(today().year, today())}
    check_mobile_members()
    assert tree.member.pk in {p.person_id for p in feed.propose(today().year, today())}
