"""The rules of the disposition procedure (DOMAIN.md §6), each test named after its rule."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from core.dates import today
from core.exceptions import RuleViolation
from members.archive import entries_of
from members.models import Stage, Status
from members.statuses import set_status
from orgs.county_settings import set_setting
from tests.factories import PersonFactory
from workflows import disposition_rules as rule
from workflows.engine import OPEN_STATUSES
from workflows.models import DispositionOutcome, StepTask
from workflows.services.admission import start_admission

from .pipeline import OFFSETS, OPENED, D, investigation, open_case, open_task, record, run_case, vote


def steps_open(process) -> set[str]:
    return set(StepTask.objects.filter(process=process, task__status__in=OPEN_STATUSES).values_list("step", flat=True))


# --- 双过半 at the branch general meeting ------------------------------------------------------------


def test_general_meeting_vote_double_majority_exact_half_present_is_refused(tree):
    process = run_case(tree, tree.member, "rectification", through="pre_review")
    on = OPENED + datetime.timedelta(days=OFFSETS["general_meeting_vote"])
    with pytest.raises(RuleViolation) as refused:
        record(
            process, "general_meeting_vote", tree.secretary, on, **vote(eligible=10, present=5, in_favour=5, against=0)
        )
    assert "data.present" in refused.value.errors
    assert steps_open(process) == {"general_meeting_vote"}


def test_general_meeting_vote_double_majority_exact_half_in_favour_is_refused(tree):
    process = run_case(tree, tree.member, "rectification", through="pre_review")
    on = OPENED + datetime.timedelta(days=OFFSETS["general_meeting_vote"])
    with pytest.raises(RuleViolation) as refused:
        record(
            process, "general_meeting_vote", tree.secretary, on, **vote(eligible=10, present=8, in_favour=5, against=3)
        )
    assert "data.in_favour" in refused.value.errors
    # More than half of the expected voters in favour passes; a rejection against that count is refused.
    with pytest.raises(RuleViolation):
        record(process, "general_meeting_vote", tree.secretary, on, "reject", reason="x", **vote(10, 8, 6, 2))
    record(process, "general_meeting_vote", tree.secretary, on, **vote(eligible=10, present=8, in_favour=6, against=2))
    assert steps_open(process) == {"approval"}


def test_general_meeting_vote_records_the_members_defence(tree):
    process = run_case(tree, tree.member, "rectification", through="pre_review")
    on = OPENED + datetime.timedelta(days=OFFSETS["general_meeting_vote"])
    without_defence = {**vote(), "defence": ""}
    with pytest.raises(RuleViolation) as refused:
        record(process, "general_meeting_vote", tree.secretary, on, **without_defence)
    assert "data.defence" in refused.value.errors


def test_a_vote_not_passed_ends_the_case_without_a_measure(tree):
    process = run_case(tree, tree.member, "rectification", through="pre_review")
    on = OPENED + datetime.timedelta(days=OFFSETS["general_meeting_vote"])
    record(process, "general_meeting_vote", tree.secretary, on, "reject", reason="未过半数", **vote(10, 8, 4, 4))
    process.refresh_from_db()
    assert process.finished is not None
    assert process.disposition.outcome == DispositionOutcome.NOT_APPROVED
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE


# --- Rectification: 6 months unless said, at most 1 year ---------------------------------------------


def test_rectification_deadline_is_six_months_after_the_approval_by_default(tree):
    process = run_case(tree, tree.member, "rectification")
    case = process.disposition
    approved = OPENED + datetime.timedelta(days=OFFSETS["approval"])
    assert case.rectification_months == 6
    assert case.decided_on == approved
    assert case.rectification_deadline == approved + relativedelta(months=6)
    tree.member.refresh_from_db()
    assert tree.member.status == Status.RECTIFYING
    assert steps_open(process) == {"rectification_review"}
    assert open_task(process, "rectification_review").due_date == case.rectification_deadline


def test_rectification_deadline_longer_than_one_year_is_refused(tree):
    with pytest.raises(RuleViolation) as refused:
        open_case(tree, tree.member, "rectification", rectification_months=13)
    assert "rectification_months" in refused.value.errors
    with pytest.raises(RuleViolation):
        open_case(tree, tree.member, "rectification", rectification_months=0)
    process = open_case(tree, tree.member, "rectification", rectification_months=12)
    assert process.disposition.rectification_months == 12
    on = OPENED + datetime.timedelta(days=OFFSETS["investigation"])
    with pytest.raises(RuleViolation) as refused:
        record(
            process,
            "investigation",
            tree.secretary,
            on,
            **investigation(tree, "rectification", rectification_months=13),
        )
    assert "data.rectification_months" in refused.value.errors


def test_rectification_without_change_is_recorded_only_after_the_deadline_and_comes_back_as_a_proposal(tree):
    from workflows.services.disposition_proposals import open_proposals, refresh_proposals

    process = run_case(tree, tree.member, "rectification")
    deadline = process.disposition.rectification_deadline
    with pytest.raises(RuleViolation):
        record(
            process,
            "rectification_review",
            tree.secretary,
            deadline - datetime.timedelta(days=1),
            "unchanged",
            assessment="无改变",
        )
    record(process, "rectification_review", tree.secretary, deadline, "unchanged", assessment="无改变")
    process.refresh_from_db()
    assert process.finished is not None
    assert process.disposition.rectification_result == "unchanged"
    tree.member.refresh_from_db()
    assert tree.member.status == Status.RECTIFYING

    refresh_proposals(on=deadline + datetime.timedelta(days=1))
    proposal = open_proposals().get(person=tree.member)
    assert proposal.grounds == "rectification_unchanged"
    assert proposal.since == deadline
    new_case = open_case(
        tree, tree.member, "removal", grounds="rectification_unchanged", start=deadline, proposal=proposal
    )
    proposal.refresh_from_db()
    assert proposal.case == new_case.disposition


def test_a_rectification_corrected_in_time_makes_the_member_active_again(tree):
    process = run_case(tree, tree.member, "rectification")
    record(
        process,
        "rectification_review",
        tree.secretary,
        process.disposition.rectification_deadline,
        "improved",
        assessment="已改正",
    )
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE


# --- Advised withdrawal ------------------------------------------------------------------------------


def test_withdrawal_is_not_for_probationary_members(tree):
    with pytest.raises(RuleViolation) as refused:
        open_case(tree, tree.probationary, "withdrawal")
    assert "measure" in refused.value.errors
    process = open_case(tree, tree.probationary, "rectification")
    on = OPENED + datetime.timedelta(days=OFFSETS["investigation"])
    with pytest.raises(RuleViolation) as refused:
        record(process, "investigation", tree.secretary, on, **investigation(tree, "withdrawal"))
    assert "measure" in refused.value.errors
    record(process, "investigation", tree.secretary, on, **investigation(tree, "removal"))
    assert process.disposition.__class__.objects.get(pk=process.disposition.pk).measure == "removal"


def test_withdrawal_and_removal_are_pre_reviewed_by_the_county_as_well(tree):
    process = run_case(tree, tree.member, "withdrawal", through="pre_review")
    assert steps_open(process) == {"higher_pre_review"}
    rectification = run_case(tree, tree.b1_members[5], "rectification", through="pre_review")
    assert steps_open(rectification) == {"general_meeting_vote"}


def test_withdrawal_accepted_by_the_member_is_carried_out_when_told(tree):
    process = run_case(tree, tree.member, "withdrawal", through="approval")
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE  # approved, not yet told
    run_case(tree, tree.member, "withdrawal", process=process)
    tree.member.refresh_from_db()
    assert tree.member.status == Status.WITHDRAWN
    process.refresh_from_db()
    assert process.finished is not None
    assert process.disposition.outcome == DispositionOutcome.WITHDRAWN
    assert process.disposition.effective_on == OPENED + datetime.timedelta(days=OFFSETS["notification"])


def test_a_member_who_refuses_withdrawal_is_removed(tree):
    process = run_case(tree, tree.member, "withdrawal", through="approval")
    told = OPENED + datetime.timedelta(days=OFFSETS["notification"])
    record(process, "notification", tree.secretary, told, "refused")
    assert steps_open(process) == {"general_meeting_vote"}
    assert process.disposition.__class__.objects.get(pk=process.disposition.pk).measure == "removal"
    record(process, "general_meeting_vote", tree.secretary, told + datetime.timedelta(days=10), **vote())
    record(process, "approval", tree.reviewer, told + datetime.timedelta(days=20))
    tree.member.refresh_from_db()
    assert tree.member.status == Status.REMOVED
    record(process, "notification", tree.secretary, told + datetime.timedelta(days=25))
    process.refresh_from_db()
    assert process.finished is not None
    assert process.disposition.outcome == DispositionOutcome.REMOVED


def test_only_advised_withdrawal_can_be_refused(tree):
    process = run_case(tree, tree.member, "removal", through="approval")
    with pytest.raises(RuleViolation):
        record(
            process,
            "notification",
            tree.secretary,
            OPENED + datetime.timedelta(days=OFFSETS["notification"]),
            "refused",
        )


def test_withdrawal_and_removal_need_the_county_approval_where_the_county_asks_for_it(tree):
    set_setting(actor=tree.admin, key="disposition.county_approval", value=True, effective_from=today())
    start = today() - datetime.timedelta(days=5)
    process = open_case(tree, tree.member, "removal", start=start)
    record(process, "investigation", tree.secretary, start, **investigation(tree, "removal"))
    record(process, "pre_review", tree.reviewer, start)
    record(process, "higher_pre_review", tree.admin, start)
    record(process, "general_meeting_vote", tree.secretary, start, **vote())
    record(process, "approval", tree.reviewer, today())
    assert steps_open(process) == {"county_approval"}
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE
    record(process, "county_approval", tree.admin, today())
    tree.member.refresh_from_db()
    assert tree.member.status == Status.REMOVED
    assert steps_open(process) == {"notification"}

    # A rectification stays with the committee's approval.
    other = open_case(tree, tree.b1_members[5], "rectification", start=start)
    record(other, "investigation", tree.secretary, start, **investigation(tree, "rectification"))
    record(other, "pre_review", tree.reviewer, start)
    record(other, "general_meeting_vote", tree.secretary, start, **vote())
    record(other, "approval", tree.reviewer, today())
    assert steps_open(other) == {"notification"}


# --- The investigation -------------------------------------------------------------------------------


def test_investigation_needs_two_party_members_talking_with_the_member(tree):
    process = open_case(tree, tree.member, "rectification")
    on = OPENED + datetime.timedelta(days=OFFSETS["investigation"])
    one = investigation(tree, "rectification", talkers=[tree.b1_members[0].pk])
    with pytest.raises(RuleViolation):
        record(process, "investigation", tree.secretary, on, **one)
    themself = investigation(tree, "rectification", talkers=[tree.b1_members[0].pk, tree.member.pk])
    with pytest.raises(RuleViolation):
        record(process, "investigation", tree.secretary, on, **themself)
    activist = PersonFactory(org=tree.b1, stage=Stage.ACTIVIST)
    not_members = investigation(tree, "rectification", talkers=[tree.b1_members[0].pk, activist.pk])
    with pytest.raises(RuleViolation):
        record(process, "investigation", tree.secretary, on, **not_members)
    without_statement = {**investigation(tree, "rectification"), "statement": ""}
    with pytest.raises(RuleViolation) as refused:
        record(process, "investigation", tree.secretary, on, **without_statement)
    assert "data.statement" in refused.value.errors
    record(process, "investigation", tree.secretary, on, **investigation(tree, "rectification"))
    assert steps_open(process) == {"pre_review"}


def test_a_measure_does_not_duplicate_a_sanction_for_the_same_facts(tree):
    process = run_case(tree, tree.member, "rectification", sanction_reference="县纪委〔2026〕7号")
    record(
        process,
        "rectification_review",
        tree.secretary,
        process.disposition.rectification_deadline,
        "improved",
        assessment="已改正",
    )
    with pytest.raises(RuleViolation) as refused:
        open_case(tree, tree.member, "removal", start=D(2026, 11, 1), sanction_reference="县纪委〔2026〕7号")
    assert "sanction_reference" in refused.value.errors
    other = open_case(tree, tree.member, "removal", start=D(2026, 11, 1), sanction_reference="县纪委〔2026〕9号")
    with pytest.raises(RuleViolation) as refused:
        record(
            other,
            "investigation",
            tree.secretary,
            D(2026, 11, 2),
            **investigation(tree, "removal", sanction_reference="县纪委〔2026〕7号"),
        )
    assert "data.sanction_reference" in refused.value.errors


def test_one_case_at_a_time_and_only_for_party_members_on_the_roll(tree):
    open_case(tree, tree.member, "rectification")
    with pytest.raises(RuleViolation):
        open_case(tree, tree.member, "removal")
    with pytest.raises(RuleViolation):
        open_case(tree, PersonFactory(org=tree.b1, stage=Stage.ACTIVIST), "removal")


def test_every_step_files_into_the_member_archive_and_the_notice_files_the_decision(tree):
    run_case(tree, tree.member, "removal")
    steps = [entry.source_step for entry in entries_of(tree.member)]
    assert steps == [
        "initial_determination",
        "investigation",
        "pre_review",
        "higher_pre_review",
        "general_meeting_vote",
        "approval",
        "notification",
    ]
    decision = entries_of(tree.member).get(source_step="notification").data["disposition_decision"]
    assert decision["measure"] == "removal"
    assert decision["outcome"] == "removed"


# --- Re-admission: barred for 5 years ----------------------------------------------------------------


def test_readmission_bar_five_years_after_withdrawal_day_before_refused_on_the_day_allowed(tree):
    withdrawn_on = D(2021, 6, 10)
    start = withdrawn_on - datetime.timedelta(days=OFFSETS["notification"])
    run_case(tree, tree.member, "withdrawal", start=start)
    tree.member.refresh_from_db()
    assert tree.member.status == Status.WITHDRAWN
    allowed = D(2026, 6, 10)
    assert rule.readmission_allowed_from(tree.member) == allowed

    with pytest.raises(RuleViolation) as refused:
        start_admission(
            actor=tree.secretary, branch=tree.b1, date=allowed - datetime.timedelta(days=1), person=tree.member
        )
    assert "2026-06-10" in refused.value.message
    rule.check_readmission_bar(tree.member, allowed)


def test_readmission_bar_counts_from_the_status_date_of_a_person_removed_before_the_platform(tree):
    removed = set_status(
        actor=tree.admin,
        person=PersonFactory(org=tree.b1, stage=Stage.FULL),
        status=Status.REMOVED,
        on=D(2022, 3, 1),
        reason="2022年除名（纸质档案）",
    )
    assert rule.readmission_allowed_from(removed) == D(2027, 3, 1)
    with pytest.raises(RuleViolation):
        rule.check_readmission_bar(removed, D(2027, 2, 28))
    rule.check_readmission_bar(removed, D(2027, 3, 1))
    assert rule.readmission_allowed_from(tree.b1_members[0]) is None
