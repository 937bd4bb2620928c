"""Who is told what (issue 9), each through the public service that causes it: a task for one's
organization or overdue, a decision on one's own case, a public notice in one's branch, dues due."""

import datetime
from decimal import Decimal

from core.dates import today
from dues.models import MonthlyDue
from dues.months import first_of
from dues.tasks import monthly_run
from members.models import Stage
from notifications.models import Kind, Notice
from orgs.models import Role
from tests.admission.pipeline import happy_path, open_task, record, run_until, start
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory, UserFactory
from tests.workflows.conftest import user_with_role
from workflows.engine import APPROVE
from workflows.models import Notification
from workflows.services import dues_relief
from workflows.services.tasks import sweep_overdue


def told(user, kind: str) -> list[Notice]:
    return list(Notice.objects.filter(recipient=user, kind=kind))


def test_a_new_task_tells_the_role_holders_who_act_on_it(tree, actors, applicant, members):
    committee_member = user_with_role(tree.branch, Role.BRANCH_COMMITTEE)
    other_branch = user_with_role(tree.other_branch, Role.BRANCH_SECRETARY)

    process = start(actors, applicant, tree.branch)
    talk = open_task(process, "talk")

    [notice] = told(actors.branch, Kind.TASK_ASSIGNED)
    assert (notice.key, notice.link, notice.process_id) == (f"task:{talk.task_id}", "/tasks/", process.pk)
    assert (notice.object_type, notice.object_id) == ("workflows.StepTask", str(talk.pk))
    assert len(told(committee_member, Kind.TASK_ASSIGNED)) == 1
    assert told(other_branch, Kind.TASK_ASSIGNED) == []
    assert told(actors.committee, Kind.TASK_ASSIGNED) == []  # the committee acts later, and is told then


def test_a_task_of_the_committee_tells_its_reviewers(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "activist_filing")  # the committee files the activist
    task = open_task(process, "activist_filing")
    assert [n.key for n in told(actors.committee, Kind.TASK_ASSIGNED)] == [f"task:{task.task_id}"]


def test_an_overdue_task_tells_its_actors_and_the_committee_once(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)  # applied in 2023: the talk was due a month later
    talk = open_task(process, "talk")

    assert sweep_overdue() == 1
    for user in (actors.branch, actors.committee):
        [notice] = told(user, Kind.TASK_OVERDUE)
        assert (notice.key, notice.process_id) == (f"overdue:{talk.task_id}", process.pk)
        assert talk.due_date.isoformat() in notice.body
    # The organizations' own notice (workflows.Notification) is kept as before.
    assert set(Notification.objects.values_list("org_id", flat=True)) == {tree.branch.pk, tree.committee.pk}

    assert sweep_overdue() == 1  # the next hourly run tells nobody again
    assert Notice.objects.filter(kind=Kind.TASK_OVERDUE).count() == 2


def test_a_decision_on_ones_own_case_tells_the_person(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = happy_path(members)
    talk = record(process, actors, path[0])
    decision = record(process, actors, path[1])  # the activist decision

    notices = told(applicant.user, Kind.DECISION)
    assert [n.key for n in notices] == [f"decision:{decision.pk}", f"decision:{talk.pk}"]
    assert notices[0].link == "/me/application/"
    assert told(actors.branch, Kind.DECISION) == []


def test_a_step_without_a_choice_is_no_decision(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    rest = run_until(process, actors, happy_path(members), "activist_filing")
    before = len(told(applicant.user, Kind.DECISION))
    record(process, actors, rest[0])  # the committee files: nothing was decided
    assert len(told(applicant.user, Kind.DECISION)) == before


def test_a_person_without_a_sign_in_is_told_nothing(tree, actors, members):
    from tests.workflows.conftest import make_applicant

    person = make_applicant(tree.branch, with_user=False)
    process = start(actors, person, tree.branch)
    record(process, actors, happy_path(members)[0])
    assert not Notice.objects.filter(kind=Kind.DECISION).exists()


def test_a_dues_relief_decision_tells_the_member(tree, actors):
    member = PersonFactory(org=tree.branch, stage=Stage.FULL, user=UserFactory())
    DuesBaseFactory(person=member, monthly_base=Decimal("4500.00"))
    relief = dues_relief.propose_relief(
        actor=actors.branch,
        person=member,
        kind="waive",
        start_month=datetime.date(2025, 3, 1),
        end_month=datetime.date(2025, 5, 1),
        reason="因病生活困难",
        proposed_on=datetime.date(2025, 2, 20),
    )
    assert told(member.user, Kind.DECISION) == []
    assert len(told(actors.committee, Kind.TASK_ASSIGNED)) == 1  # the decision waits in the committee's inbox

    dues_relief.decide_relief(actor=actors.committee, relief=relief, decision=APPROVE, date=datetime.date(2025, 2, 25))

    [notice] = told(member.user, Kind.DECISION)
    assert notice.link == "/me/dues/"


def test_a_public_notice_tells_the_branch_members(tree, actors, applicant, members):
    readers = [
        PersonFactory(org=tree.branch, stage=stage, user=UserFactory()) for stage in (Stage.FULL, Stage.PROBATIONARY)
    ]
    activist = PersonFactory(org=tree.branch, stage=Stage.ACTIVIST, user=UserFactory())
    elsewhere = PersonFactory(org=tree.other_branch, stage=Stage.FULL, user=UserFactory())
    process = start(actors, applicant, tree.branch)
    rest = run_until(process, actors, happy_path(members), "public_notice")
    assert not Notice.objects.filter(kind=Kind.PUBLIC_NOTICE).exists()

    posted = record(process, actors, rest[0])

    for reader in readers:
        [notice] = told(reader.user, Kind.PUBLIC_NOTICE)
        assert notice.key == f"public-notice:{posted.pk}"
        assert "2024-06-17" in notice.body and "2024-06-21" in notice.body
        assert applicant.name in notice.title
    assert told(activist.user, Kind.PUBLIC_NOTICE) == []
    assert told(elsewhere.user, Kind.PUBLIC_NOTICE) == []
    assert told(applicant.user, Kind.PUBLIC_NOTICE) == []  # the candidate is told of decisions, not of their own notice


def test_dues_due_tells_each_member_with_a_sign_in_once_per_month(tree):
    month = first_of(today())
    member = PersonFactory(org=tree.branch, stage=Stage.FULL, user=UserFactory())
    without_sign_in = PersonFactory(org=tree.branch, stage=Stage.FULL)
    for person in (member, without_sign_in):
        DuesBaseFactory(person=person, year=month.year, monthly_base=Decimal("4500.00"))

    monthly_run.apply()
    monthly_run.apply()  # a repeated run (beat sent it twice, or an operator ran it again)

    [notice] = told(member.user, Kind.DUES_DUE)
    assert (notice.key, notice.link) == (f"dues:{month:%Y-%m}", "/me/dues/")
    assert f"{month:%Y-%m}" in notice.title
    assert Notice.objects.filter(kind=Kind.DUES_DUE).count() == 1


def test_a_month_already_overdue_is_not_told_as_due(tree):
    member = PersonFactory(org=tree.branch, stage=Stage.FULL, user=UserFactory())
    DuesBaseFactory(person=member, year=2025, monthly_base=Decimal("4500.00"))
    monthly_run.apply(kwargs={"as_of": "2025-03-15"})  # a late run for a month long past
    assert MonthlyDue.objects.filter(person=member, month=datetime.date(2025, 3, 1)).exists()
    assert told(member.user, Kind.DUES_DUE) == []
